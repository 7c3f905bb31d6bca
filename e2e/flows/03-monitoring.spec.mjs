import WebSocket from 'ws';
import { test } from '../support/fixtures.mjs';
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

/** Opens a graphql-transport-ws socket with `key`; resolves with `acked`, or with the close code the gateway answered. */
function openSocket(gateway, key) {
  const socket = new WebSocket(`${gateway.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
  const outcome = new Promise((resolve) => {
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } })));
    socket.on('message', (data) => JSON.parse(String(data)).type === 'connection_ack' && resolve({ acked: true }));
    socket.on('close', (code, reason) => resolve({ code, reason: String(reason) }));
  });
  return { socket, outcome };
}

test('Monitoring: a socket refused by its key’s limit shows in API performance as limited', async ({ page, gateway }) => {
  const { viewer } = await gateway.api('{ viewer { workspace { id } } }');
  const { createApiKey: key } = await gateway.api(`mutation ($id: ID!) { createApiKey(workspaceId: $id, role: MEMBER, label: "e2e sockets") }`, { id: viewer.workspace.id });
  const opened = Array.from({ length: 50 }, () => openSocket(gateway, key));
  try {
    for (const { outcome } of opened) assert.deepEqual(await outcome, { acked: true });
    const refused = openSocket(gateway, key);
    assert.deepEqual(await refused.outcome, { code: 4429, reason: 'Too many sockets: an API key may hold 50 open at once' });
  } finally {
    for (const { socket } of opened) socket.close();
  }
  const { apiMetrics } = await gateway.api('{ apiMetrics { key limitedCount } }');
  const limited = apiMetrics.find((e) => e.key === 'WS /graphql')?.limitedCount;
  assert.ok(limited >= 1, 'apiMetrics counts the refused socket');

  await signIn(page, gateway);
  await openPage(page, gateway, 'monitoring');
  const table = card(page, 'API performance');
  await table.getByRole('table').waitFor();
  const header = await table.getByRole('columnheader').allInnerTexts();
  const column = header.findIndex((text) => /^limited/i.test(text.trim()));
  assert.ok(column > 0, 'the table has a Limited column');
  const row = table.getByRole('row').filter({ hasText: 'WS /graphql' });
  await eventually(async () => assert.equal((await row.getByRole('cell').nth(column).innerText()).trim(), String(limited)), { timeoutMs: 15_000 });
  // Sorted by Limited, the refused sockets' row comes first (the picture this test leaves shows it).
  await table.getByRole('button', { name: /^limited/i }).click();
  await eventually(async () => assert.match(await table.getByRole('row').nth(1).innerText(), /WS \/graphql/), { timeoutMs: 5_000 });
});
