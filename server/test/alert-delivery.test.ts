import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { Webhook } from 'standardwebhooks';
import { sendToChannel, SendFailed } from '../src/alert-rules/senders';
import { alertMessage } from '../src/alert-rules/messages';
import { call, TRACK_MANY } from './fixtures/calls';
import { createTestDatabase } from './support/database';
import { startSmtpReceiver, startWebhookReceiver, type SmtpReceiver, type WebhookReceiver } from './support/receivers';
import { startTestServer, type TestServer } from './support/server';

const START = new Date('2026-06-15T12:30:00Z');
let clock = START;
const recentCall = () => call({ occurredAt: new Date(START.getTime() - 60_000).toISOString() });

const SET_CHANNEL = `mutation C($input: NotificationChannelInput!) { setNotificationChannel(input: $input) { id name kind target enabled signingSecret } }`;
const SET_RULE = `mutation S($input: AlertRuleInput!) { setAlertRule(input: $input) { id state } }`;
const TEST_CHANNEL = `mutation T($id: ID!) { testNotificationChannel(id: $id) { id channelId alertId event alert { id } status attempts lastError deliveredAt } }`;
const DELIVERIES = `{ deliveries { id channelId alertId event alert { id kind message resolvedAt } status attempts lastError } }`;
const twoCalls = (channelIds: string[], extra: Record<string, unknown> = {}) => ({
  name: 'Two calls',
  metric: 'REQUESTS',
  comparison: 'ABOVE',
  threshold: 1,
  windowMinutes: 10,
  channelIds,
  ...extra,
});

let server: TestServer;
let smtp: SmtpReceiver;
let receiver: WebhookReceiver;
beforeAll(async () => {
  smtp = await startSmtpReceiver();
  receiver = await startWebhookReceiver();
  server = await startTestServer({
    now: () => clock,
    monitoring: { ruleCheckIntervalMs: 3_600_000 },
    env: { TALLY_WEBHOOK_ALLOW_PRIVATE: 'on', SMTP_URL: smtp.url, ALERT_EMAIL_FROM: 'alerts@tally.test', TALLY_PUBLIC_URL: 'https://tally.example.com' },
  });
});
afterAll(async () => {
  await server.dispose();
  await receiver.close();
  await smtp.close();
});
afterEach(() => {
  clock = START;
  receiver.answerWith(() => 200);
});

async function channel(key: string, kind: string, target: string, name = `${kind} channel`) {
  const { data, errors } = await server.gql(SET_CHANNEL, { input: { name, kind, target } }, { key });
  expect(errors).toBeUndefined();
  return data!.setNotificationChannel as { id: string; target: string; signingSecret: string | null };
}

describe('delivery to a webhook', () => {
  it('signs the alert as Standard Webhooks says, with a secret shown once, and resolves it the same way', async () => {
    const { key, workspaceId } = await server.workspaceWithKey('deliver-webhook');
    const hook = await channel(key, 'WEBHOOK', `${receiver.url}/hooks/tally?token=secret-part`);
    expect(hook.target).toBe(receiver.url);
    expect(hook.signingSecret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const listed = await server.gql(`{ notificationChannels { id target signingSecret } }`, {}, { key });
    expect(listed.data!.notificationChannels).toEqual([{ id: hook.id, target: receiver.url, signingSecret: null }]);

    const { data } = await server.gql(SET_RULE, { input: twoCalls([hook.id]) }, { key });
    await server.gql(TRACK_MANY, { inputs: [recentCall(), recentCall()] }, { key });
    const raised = await receiver.next();
    expect(raised.path).toBe('/hooks/tally?token=secret-part');
    const payload = new Webhook(hook.signingSecret!).verify(raised.body, raised.headers as Record<string, string>) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(payload).toEqual({
      type: 'alert.raised',
      timestamp: expect.any(String),
      data: {
        alert: expect.objectContaining({ kind: 'RULE', severity: 'WARNING', workspaceId, ruleId: data!.setAlertRule.id, resolvedAt: null }),
        rule: { id: data!.setAlertRule.id, name: 'Two calls', metric: 'REQUESTS', comparison: 'ABOVE', threshold: 1, windowMinutes: 10, filter: null, severity: 'WARNING' },
        value: 2,
        link: 'https://tally.example.com/#/monitoring',
        title: '[WARNING] Two calls: REQUESTS is 2, above 1 over the last 10 minutes',
      },
    });
    expect(raised.headers['webhook-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(() => new Webhook(`whsec_${Buffer.alloc(24, 1).toString('base64')}`).verify(raised.body, raised.headers as Record<string, string>)).toThrow();

    clock = new Date(START.getTime() + 11 * 60_000);
    await server.gateway.services.monitoring.checkRules();
    const resolved = await receiver.next();
    const resolution = new Webhook(hook.signingSecret!).verify(resolved.body, resolved.headers as Record<string, string>) as { type: string; data: { alert: { resolvedAt: string } } };
    expect(resolution.type).toBe('alert.resolved');
    expect(resolution.data.alert.resolvedAt).toBe(clock.toISOString());
    await server.gateway.services.deliveryWorker.idle();
    const { data: log } = await server.gql(DELIVERIES, {}, { key });
    // newest first, each with the alert it announced as it is now
    const announced = { id: payload.data.alert.id, kind: 'RULE', message: payload.data.alert.message, resolvedAt: clock.toISOString() };
    expect(log!.deliveries).toEqual([
      expect.objectContaining({ channelId: hook.id, alertId: announced.id, event: 'RESOLVED', alert: announced, status: 'SENT', attempts: 1, lastError: null }),
      expect.objectContaining({ channelId: hook.id, alertId: announced.id, event: 'RAISED', alert: announced, status: 'SENT', attempts: 1, lastError: null }),
    ]);
  });

  it('delivers the built-in alerts to every enabled channel of the workspace', async () => {
    const { key } = await server.workspaceWithKey('deliver-builtin');
    const hook = await channel(key, 'WEBHOOK', `${receiver.url}/builtin`);
    await server.gql(`mutation { setBudget(input: { amount: 0.001, window: DAY, thresholds: [1] }) { id } }`, {}, { key });
    await server.gql(TRACK_MANY, { inputs: [call({ occurredAt: START.toISOString().replace('12:30', '09:00') })] }, { key });
    const received = await receiver.next();
    const payload = new Webhook(hook.signingSecret!).verify(received.body, received.headers as Record<string, string>) as { type: string; data: { alert: { kind: string }; rule: unknown } };
    expect(payload.type).toBe('alert.raised');
    expect(payload.data.alert.kind).toBe('BUDGET_THRESHOLD');
    expect(payload.data.rule).toBeNull();
  });

  it('sends each delivery on its own: a receiver that does not answer delays no other', async () => {
    let answer = (): void => {};
    const held = new Promise<void>((resolve) => (answer = resolve));
    let reached = (): void => {};
    const slowReached = new Promise<void>((resolve) => (reached = resolve));
    const slow = createServer((request, response) => {
      request.resume();
      reached();
      void held.then(() => response.writeHead(204).end());
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    try {
      const a = await server.workspaceWithKey('deliver-slow');
      const slowHook = await channel(a.key, 'WEBHOOK', `http://127.0.0.1:${(slow.address() as AddressInfo).port}/slow`);
      await server.gql(SET_RULE, { input: twoCalls([slowHook.id]) }, { key: a.key });
      await server.gql(TRACK_MANY, { inputs: [recentCall(), recentCall()] }, { key: a.key });
      await slowReached;

      const b = await server.workspaceWithKey('deliver-beside-slow');
      const hook = await channel(b.key, 'WEBHOOK', `${receiver.url}/beside-slow`);
      await server.gql(SET_RULE, { input: twoCalls([hook.id]) }, { key: b.key });
      await server.gql(TRACK_MANY, { inputs: [recentCall(), recentCall()] }, { key: b.key });
      while ((await receiver.next()).path !== '/beside-slow');
      const { data } = await server.gql(DELIVERIES, {}, { key: a.key });
      expect(data!.deliveries).toEqual([expect.objectContaining({ channelId: slowHook.id, status: 'PENDING', attempts: 1, lastError: null })]);
    } finally {
      answer();
      await server.gateway.services.deliveryWorker.idle();
      await new Promise((resolve) => slow.close(resolve));
    }
  });

  it('retries a receiver that fails, with backoff, and records the last error until it succeeds', async () => {
    const { key } = await server.workspaceWithKey('deliver-retry');
    const hook = await channel(key, 'WEBHOOK', `${receiver.url}/flaky`);
    receiver.answerWith((count) => (count === 1 ? 503 : 200));
    // Counting from this test's first request on.
    const before = receiver.received.length;
    receiver.answerWith((count) => (count - before === 1 ? 503 : 200));
    const { data } = await server.gql(TEST_CHANNEL, { id: hook.id }, { key });
    expect(data!.testNotificationChannel).toMatchObject({ channelId: hook.id, alertId: null, status: 'PENDING', attempts: 1, lastError: '127.0.0.1 answered HTTP 503', deliveredAt: null });
    expect((await receiver.next()).status).toBe(503);
    expect((await receiver.next()).status).toBe(200);
    await server.gateway.services.deliveryWorker.idle();
    const { data: log } = await server.gql(DELIVERIES, {}, { key });
    expect(log!.deliveries).toEqual([
      { id: data!.testNotificationChannel.id, channelId: hook.id, alertId: null, event: 'TEST', alert: null, status: 'SENT', attempts: 2, lastError: null },
    ]);
  });

  it('marks a delivery FAILED with its last error after the last retry', async () => {
    const { key, workspaceId } = await server.workspaceWithKey('deliver-failed');
    const hook = await channel(key, 'WEBHOOK', `${receiver.url}/down`);
    receiver.answerWith(() => 500);
    const { data } = await server.gql(TEST_CHANNEL, { id: hook.id }, { key });
    expect(data!.testNotificationChannel.status).toBe('PENDING');
    await receiver.next();
    // Six retries later (1 s, 5 s, 30 s, 2 min, 10 min, 1 h): the row as the sixth retry leaves it, due now.
    await server.db.platform.query(`UPDATE deliveries SET attempts = 6, next_attempt_at = now() WHERE workspace_id = $1 AND id = $2`, [
      workspaceId,
      data!.testNotificationChannel.id,
    ]);
    server.gateway.services.pubsub.publish('DELIVERIES_DUE', { workspaceId });
    await receiver.next();
    await server.gateway.services.deliveryWorker.idle();
    const { data: log } = await server.gql(DELIVERIES, {}, { key });
    expect(log!.deliveries).toEqual([expect.objectContaining({ status: 'FAILED', attempts: 7, lastError: '127.0.0.1 answered HTTP 500' })]);
  });
});

describe('delivery to Slack and e-mail', () => {
  it('posts a Slack message with text and blocks', async () => {
    const { key } = await server.workspaceWithKey('deliver-slack');
    const slack = await channel(key, 'SLACK', `${receiver.url}/services/T000/B000/XXXX`);
    expect(slack).toMatchObject({ target: receiver.url, signingSecret: null });
    await server.gql(SET_RULE, { input: twoCalls([slack.id], { severity: 'CRITICAL' }) }, { key });
    await server.gql(TRACK_MANY, { inputs: [recentCall(), recentCall()] }, { key });
    const received = await receiver.next();
    expect(received.headers['webhook-signature']).toBeUndefined();
    expect(JSON.parse(received.body)).toEqual({
      text: '[CRITICAL] Two calls: REQUESTS is 2, above 1 over the last 10 minutes',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: ':rotating_light: *[CRITICAL] Two calls: REQUESTS is 2, above 1 over the last 10 minutes*' } },
        {
          type: 'section',
          fields: [
            { type: 'mrkdwn', text: '*Kind:* RULE' },
            { type: 'mrkdwn', text: '*Severity:* CRITICAL' },
            { type: 'mrkdwn', text: '*Rule:* Two calls (REQUESTS above 1, 10 min)' },
            { type: 'mrkdwn', text: '*Value:* 2' },
          ],
        },
        { type: 'context', elements: [{ type: 'mrkdwn', text: `<https://tally.example.com/#/monitoring|Open in Tally> · ${START.toISOString()}` }] },
      ],
    });
  });

  it('sends e-mail over SMTP, a test at once and an alert as it is raised', async () => {
    const { key } = await server.workspaceWithKey('deliver-email');
    const mail = await channel(key, 'EMAIL', 'ops@example.com');
    expect(mail).toMatchObject({ target: 'ops@example.com', signingSecret: null });
    const { data } = await server.gql(TEST_CHANNEL, { id: mail.id }, { key });
    expect(data!.testNotificationChannel).toMatchObject({ event: 'TEST', alertId: null, alert: null, status: 'SENT', attempts: 1, lastError: null, deliveredAt: expect.any(String) });
    const test = await smtp.next();
    expect(test).toMatchObject({ from: 'alerts@tally.test', to: ['ops@example.com'] });
    expect((await simpleParser(test.raw)).subject).toBe('Test message from Tally to the channel "EMAIL channel"');

    await server.gql(SET_RULE, { input: twoCalls([mail.id]) }, { key });
    await server.gql(TRACK_MANY, { inputs: [recentCall(), recentCall()] }, { key });
    const alert = await simpleParser((await smtp.next()).raw);
    expect(alert.subject).toBe('[WARNING] Two calls: REQUESTS is 2, above 1 over the last 10 minutes');
    expect(alert.text).toContain('Value: 2');
    expect(alert.text).toContain('Rule: Two calls: REQUESTS above 1 over 10 minutes');
    expect(alert.text).toContain('Open in Tally: https://tally.example.com/#/monitoring');
  });
});

describe('delivery that is never lost', () => {
  it('delivers after a gateway restart what it could not deliver before, because the receiver was down', async () => {
    const database = await createTestDatabase();
    const down = await startWebhookReceiver();
    const port = down.port;
    await down.close();
    // The same server secret before and after, as a restarted deployment keeps it.
    const env = { TALLY_WEBHOOK_ALLOW_PRIVATE: 'on', TALLY_SECRET_KEY: Buffer.alloc(32, 9).toString('base64') };
    const first = await startTestServer({ database, env, monitoring: { ruleCheckIntervalMs: 3_600_000 } });
    const { key, workspaceId } = await first.workspaceWithKey('restart');
    const hook = (await first.gql(SET_CHANNEL, { input: { name: 'hook', kind: 'WEBHOOK', target: `http://127.0.0.1:${port}/after-restart` } }, { key })).data!
      .setNotificationChannel;
    const tested = await first.gql(TEST_CHANNEL, { id: hook.id }, { key });
    expect(tested.data!.testNotificationChannel).toMatchObject({ status: 'PENDING', attempts: 1, lastError: '127.0.0.1: ECONNREFUSED' });
    await first.dispose();

    const up = await startWebhookReceiver(port);
    const second = await startTestServer({ database, env, monitoring: { ruleCheckIntervalMs: 3_600_000 } });
    try {
      const received = await up.next();
      expect(received.path).toBe('/after-restart');
      expect(received.headers['webhook-id']).toBe(tested.data!.testNotificationChannel.id);
      await second.gateway.services.deliveryWorker.idle();
      const rows: { status: string; attempts: number }[] = await database.platform.query(`SELECT status, attempts FROM deliveries WHERE workspace_id = $1`, [workspaceId]);
      expect(rows).toEqual([{ status: 'SENT', attempts: 2 }]);
    } finally {
      await second.dispose();
      await up.close();
      await database.dispose();
    }
  });
});

describe('targets', () => {
  let strict: TestServer;
  beforeAll(async () => {
    strict = await startTestServer();
  });
  afterAll(() => strict.dispose());

  it.each([
    ['https://127.0.0.1/hook', 'target must be on a public address, but 127.0.0.1 is a private, loopback or link-local address'],
    ['https://169.254.169.254/latest/meta-data', 'target must be on a public address, but 169.254.169.254 is a private, loopback or link-local address'],
    ['https://10.0.0.7/hook', 'target must be on a public address, but 10.0.0.7 is a private, loopback or link-local address'],
    ['https://[::1]/hook', 'target must be on a public address, but ::1 is a private, loopback or link-local address'],
    ['https://localhost/hook', 'target must be on a public address, but localhost resolves to 127.0.0.1, a private, loopback or link-local address'],
    ['http://example.com/hook', 'target must be an https URL, but got http'],
    ['not a url', 'target must be a URL such as https://example.com/hook, but got "not a url"'],
  ])('refuses the webhook target %s when the channel is saved', async (target, message) => {
    const { errors } = await strict.gql(SET_CHANNEL, { input: { name: 'hook', kind: 'WEBHOOK', target } });
    expect(errors).toEqual([expect.objectContaining({ message: expect.stringMatching(new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace('to 127\\.0\\.0\\.1,', 'to (127\\.0\\.0\\.1|::1),')}$`)), extensions: { code: 'BAD_USER_INPUT' } })]);
  });

  it('refuses a malformed e-mail address, and e-mail altogether where SMTP is not configured', async () => {
    const malformed = await server.gql(SET_CHANNEL, { input: { name: 'mail', kind: 'EMAIL', target: 'ops at example' } });
    expect(malformed.errors).toEqual([expect.objectContaining({ message: 'target must be one e-mail address such as ops@example.com, but got "ops at example"', extensions: { code: 'BAD_USER_INPUT' } })]);
    const unconfigured = await strict.gql(SET_CHANNEL, { input: { name: 'mail', kind: 'EMAIL', target: 'ops@example.com' } });
    expect(unconfigured.errors).toEqual([
      expect.objectContaining({ message: 'EMAIL channels need SMTP_URL and ALERT_EMAIL_FROM on the server, and neither is set', extensions: { code: 'NOT_CONFIGURED' } }),
    ]);
  });

  it('refuses at send time a name that resolves to a private address, whatever it resolved to when saved', async () => {
    const message = alertMessage('TEST', { alert: null, rule: null, value: null }, 'https://tally.example.com', 'hook');
    const sending = sendToChannel('WEBHOOK', { target: `https://localhost:${receiver.port}/`, signingSecret: `whsec_${Buffer.alloc(24, 7).toString('base64')}` }, message, 'd1', { allowPrivate: false, mailer: null }, START);
    await expect(sending).rejects.toThrow(SendFailed);
    await expect(sending).rejects.toThrow(/localhost resolves to (127\.0\.0\.1|::1), a private, loopback or link-local address/);
    expect(receiver.received.some((r) => r.path === '/' && r.body.includes('"type":"test"'))).toBe(false);
  });

  it('takes a deleted channel off the rules that named it, and leaves their other channels', async () => {
    const { key } = await server.workspaceWithKey('channels-off-rules');
    const kept = await channel(key, 'WEBHOOK', `${receiver.url}/kept`);
    const gone = await channel(key, 'WEBHOOK', `${receiver.url}/gone`);
    const rule = await server.gql(SET_RULE, { input: twoCalls([kept.id, gone.id]) }, { key });
    expect((await server.gql(`mutation { deleteNotificationChannel(id: "${gone.id}") }`, {}, { key })).data!.deleteNotificationChannel).toBe(true);
    const rules = await server.gql(`{ alertRules { id channelIds } }`, {}, { key });
    expect(rules.data!.alertRules).toEqual([{ id: (rule.data!.setAlertRule as { id: string }).id, channelIds: [kept.id] }]);
  });

  it('keeps channels and deliveries inside their workspace', async () => {
    const a = await server.workspaceWithKey('channels-iso-a');
    const b = await server.workspaceWithKey('channels-iso-b');
    const hook = await channel(a.key, 'WEBHOOK', `${receiver.url}/iso`);
    await server.gql(TEST_CHANNEL, { id: hook.id }, { key: a.key });
    await receiver.next();
    const seen = await server.gql(`{ notificationChannels { id } deliveries { id } }`, {}, { key: b.key });
    expect(seen.data).toEqual({ notificationChannels: [], deliveries: [] });
    const test = await server.gql(TEST_CHANNEL, { id: hook.id }, { key: b.key });
    expect(test.errors![0]).toMatchObject({ message: `id must be the id of a notification channel of this workspace, but no channel here has id ${hook.id}`, extensions: { code: 'BAD_USER_INPUT' } });
    const rule = await server.gql(SET_RULE, { input: twoCalls([hook.id]) }, { key: b.key });
    expect(rule.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect((await server.gql(`mutation { deleteNotificationChannel(id: "${hook.id}") }`, {}, { key: b.key })).data!.deleteNotificationChannel).toBe(false);
    expect((await server.gql(`mutation { deleteNotificationChannel(id: "${hook.id}") }`, {}, { key: a.key })).data!.deleteNotificationChannel).toBe(true);
    expect((await server.gql(`{ notificationChannels { id } deliveries { id } }`, {}, { key: a.key })).data).toEqual({ notificationChannels: [], deliveries: [] });
  });
});
