import { createServer } from 'node:http';
import { test } from '../support/runner.mjs';
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
    await rules.scrollIntoViewIfNeeded();
    await shot('alert-rules');
  } finally {
    await receiver.close();
  }
});
