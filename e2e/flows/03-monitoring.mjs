import { test } from '../support/runner.mjs';
import { assert, eventually } from '../support/expect.mjs';
import { card, openPage, signIn } from '../support/dashboard.mjs';

test('Monitoring: the response-time chart moves as requests arrive', async ({ page, gateway }) => {
  await signIn(page, gateway);
  await openPage(page, gateway, 'monitoring');
  const latency = card(page, 'Response time, live');
  const drawing = async () => (await latency.locator('svg path[d]').evaluateAll((paths) => paths.map((p) => p.getAttribute('d')).join('|'))) || '';
  const first = await eventually(async () => {
    for (let i = 0; i < 5; i++) await gateway.api('{ viewer { role } }');
    const d = await drawing();
    assert.ok(d.length > 0, 'the chart draws lines once requests arrive');
    return d;
  }, { timeoutMs: 20_000, intervalMs: 500 });
  await eventually(async () => {
    await gateway.api('{ viewer { role } }');
    assert.notEqual(await drawing(), first, 'the lines move with the next snapshot');
  }, { timeoutMs: 15_000, intervalMs: 500 });
});

test('Monitoring: a worker that stops beating turns STALE, in words as well as colour', async ({ page, gateway }) => {
  const instanceId = `e2e-${Date.now()}`;
  const beat = () => gateway.api(`mutation ($instanceId: String!) { heartbeat(service: "e2e-worker", instanceId: $instanceId, intervalSeconds: 1) { status } }`, { instanceId });
  await signIn(page, gateway);
  await openPage(page, gateway, 'monitoring');
  const heartbeats = card(page, 'Heartbeats');
  await heartbeats.getByRole('table').waitFor();
  assert.equal((await beat()).heartbeat.status, 'ALIVE');
  const row = heartbeats.getByRole('row').filter({ hasText: instanceId });
  await eventually(async () => assert.match(await row.innerText(), /ALIVE/), { timeoutMs: 10_000 });
  // No more beats: two intervals (2 s) and HEARTBEAT_STALE_AFTER_MS (2 s) later it is STALE.
  await eventually(async () => assert.match(await row.innerText(), /STALE/), { timeoutMs: 20_000, intervalMs: 250 });
  const { heartbeats: stored } = await gateway.api(`{ heartbeats { instanceId status } }`);
  assert.equal(stored.find((h) => h.instanceId === instanceId)?.status, 'STALE');
  await card(page, 'Alerts').getByText(/e2e-worker/).first().waitFor({ timeout: 10_000 });
});
