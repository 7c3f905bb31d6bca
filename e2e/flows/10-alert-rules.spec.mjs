import { createServer } from 'node:http';
import { test } from '../support/fixtures.mjs';
import { assert, eventually } from '../support/expect.mjs';
import { card, openPage, signIn } from '../support/dashboard.mjs';

/** A local webhook receiver: every request body it was sent, parsed. */
async function startReceiver() {
  const bodies = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      bodies.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.end('ok');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/hook`, bodies, close: () => new Promise((resolve) => server.close(resolve)) };
}

test('Monitoring: a rule made in the dashboard fires, is delivered to its webhook, and is resolved by hand', async ({ page, gateway, shot }) => {
  const receiver = await startReceiver();
  try {
    await gateway.api(`mutation ($input: LlmCallInput!) { trackLlmCall(input: $input) { id } }`, {
      input: { modelId: 'gpt-4o', provider: 'openai', inputTokens: 1000, outputTokens: 100, latencyMs: 300, status: 'SUCCESS', requestType: 'chat' },
    });
    await signIn(page, gateway);
    await openPage(page, gateway, 'monitoring');

    const channels = card(page, 'Channels');
    const channelForm = channels.getByRole('form', { name: 'Add a channel' });
    await channelForm.getByLabel('Name').fill('E2E hook');
    await channelForm.getByLabel('Kind').selectOption('WEBHOOK');
    await channelForm.getByLabel('URL').fill(receiver.url);
    await channelForm.getByRole('button', { name: 'Add the channel' }).click();
    await channels.getByText('Its signing secret is shown this once').waitFor();
    assert.match(await channels.locator('code.secret').innerText(), /^whsec_/);
    await channels.getByRole('button', { name: 'Send a test to E2E hook' }).click();
    await channels.getByText('Test message delivered.').waitFor();
    assert.equal(receiver.bodies.at(-1).body.type, 'test');

    const rules = card(page, 'Alert rules');
    const ruleForm = rules.getByRole('form', { name: 'Add a rule' });
    await ruleForm.getByLabel('Name').fill('E2E busy');
    await ruleForm.getByLabel('Metric').selectOption('REQUESTS');
    await ruleForm.getByLabel('Fires when').selectOption('ABOVE');
    await ruleForm.getByLabel('Threshold').fill('0');
    await ruleForm.getByLabel('Window (minutes)').fill('60');
    await ruleForm.getByText(/^Now: requests is [1-9]\d* over the last 60 minutes\.$/).waitFor();
    await ruleForm.getByLabel('E2E hook').check();
    await ruleForm.getByRole('button', { name: 'Add the rule' }).click();
    await rules.getByText('Rule saved; it is firing now.').waitFor();
    const item = rules.getByRole('listitem').filter({ hasText: 'E2E busy' });
    await item.getByText('Firing').waitFor();
    assert.match(await item.innerText(), /requests above 0 over 60 min/);

    await eventually(() => assert.ok(receiver.bodies.some((b) => b.body.type === 'alert.raised' && b.body.data.rule?.name === 'E2E busy'), 'the alert reaches the webhook'), {
      timeoutMs: 15_000,
    });
    const alerts = card(page, 'Alerts');
    const alert = alerts.getByRole('listitem').filter({ hasText: 'E2E busy: REQUESTS is' });
    await alert.getByRole('button', { name: /^Resolve the alert/ }).click();
    await alert.getByText(/resolved /).waitFor();
    await eventually(() => assert.ok(receiver.bodies.some((b) => b.body.type === 'alert.resolved'), 'the resolution reaches the webhook'), { timeoutMs: 15_000 });

    const log = card(page, 'Delivery log');
    await eventually(async () => assert.ok((await log.getByRole('row').filter({ hasText: 'E2E hook' }).filter({ hasText: 'sent' }).count()) >= 3, 'test, alert and resolution are sent'), {
      timeoutMs: 15_000,
    });
    // Each row says what it announced, in the alert's own words.
    for (const what of ['A test message', 'Raised: E2E busy: REQUESTS is', 'Resolved: E2E busy: REQUESTS is']) {
      assert.ok((await log.getByRole('row').filter({ hasText: 'E2E hook' }).filter({ hasText: what }).count()) >= 1, what);
    }
    await rules.scrollIntoViewIfNeeded();
    await shot('alert-rules');
  } finally {
    await receiver.close();
  }
});

test('Monitoring: the rule form shows the metric now and a sparkline of its window, and both follow the metric and the window', async ({ page, gateway, shot }) => {
  // A burst half an hour ago: inside a 60-minute window, outside a 5-minute one.
  const at = new Date(Date.now() - 32 * 60_000).toISOString();
  const burst = Array.from({ length: 40 }, () => ({ modelId: 'gpt-4o', provider: 'openai', inputTokens: 1000, outputTokens: 100, latencyMs: 300, status: 'SUCCESS', requestType: 'chat', occurredAt: at }));
  await gateway.api(`mutation ($inputs: [LlmCallInput!]!) { trackLlmCalls(inputs: $inputs) { accepted } }`, { inputs: burst });
  await signIn(page, gateway);
  await openPage(page, gateway, 'monitoring');

  const form = card(page, 'Alert rules').getByRole('form', { name: 'Add a rule' });
  await form.getByLabel('Metric').selectOption('REQUESTS');
  await form.getByLabel('Window (minutes)').fill('60');
  const value = form.getByTestId('rule-preview-value');
  const nowOf = async (words, minutes) => {
    const pattern = new RegExp(`^Now: ${words.replace(/[()$]/g, '\\$&')} is ([\\d.e+-]+) over the last ${minutes} minutes\\.$`);
    await eventually(async () => assert.match(await value.innerText(), pattern), { timeoutMs: 10_000 });
    return Number(pattern.exec(await value.innerText())[1]);
  };
  const sparkline = (words, minutes) => form.getByRole('img', { name: new RegExp(`^${words.replace(/[()$]/g, '\\$&')} across the last ${minutes} minutes\\.`) });
  /** The sparkline's highest value, from its accessible name, and the points its line has. */
  const drawn = async (line) => {
    const name = await line.getAttribute('aria-label');
    const path = await line.locator('path').getAttribute('d');
    return { name, highest: Number(/highest ([\d.e+-]+)/.exec(name)[1]), points: path.split(' ').length };
  };

  const hour = await nowOf('requests', 60);
  assert.ok(hour >= 40, `the hour counts the burst: ${hour}`);
  const hourLine = await drawn(sparkline('requests', 60));
  assert.match(hourLine.name, /requests in 12 slices of 5 min: lowest \d+, highest \d+, latest \d+$/);
  assert.equal(hourLine.points, 12);
  assert.ok(hourLine.highest >= 40, `the burst's slice stands out: ${hourLine.name}`);
  await form.scrollIntoViewIfNeeded();
  await shot('alert-rule-preview-hour');

  await form.getByLabel('Window (minutes)').fill('5');
  const fiveMinutes = await nowOf('requests', 5);
  assert.ok(fiveMinutes <= hour - 40, `five minutes leave the burst out: ${fiveMinutes} against ${hour}`);
  const fiveLine = await drawn(sparkline('requests', 5));
  assert.match(fiveLine.name, /requests in 12 slices of 25 s:/);
  assert.ok(fiveLine.highest < hourLine.highest, `${fiveLine.name} against ${hourLine.name}`);

  await form.getByLabel('Metric').selectOption('TOTAL_COST');
  await nowOf('cost ($)', 5);
  assert.match(await sparkline('cost ($)', 5).getAttribute('aria-label'), /^cost \(\$\) across the last 5 minutes\. cost \(\$\) in 12 slices of 25 s: lowest/);
  await form.getByLabel('Window (minutes)').fill('60');
  // 40 calls of gpt-4o at 1,000 tokens in and 100 out: $0.0035 each, $0.14 in all.
  const hourCost = await nowOf('cost ($)', 60);
  assert.ok(hourCost >= 0.14, `the hour's cost counts the burst: ${hourCost}`);
  const costLine = await drawn(sparkline('cost ($)', 60));
  assert.ok(costLine.highest >= 0.14, `the burst's slice stands out: ${costLine.name}`);
  await shot('alert-rule-preview-cost');
});
