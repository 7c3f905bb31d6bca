import { test } from '../support/fixtures.mjs';
import { assert, cents, eventually, numberIn } from '../support/expect.mjs';
import { card, expectChart, expectSummaryTiles, openPage, signIn, tileValue } from '../support/dashboard.mjs';

const SUMMARY = `query ($period: Period!) { llmSummary(period: $period) { totalRequests totalCost totalTokens } }`;

test('the #key= link signs in, lands on Overview with its charts, and keeps the key out of the address bar', async ({ page, gateway }) => {
  const askSummary = async () => (await gateway.api(SUMMARY, { period: 'LAST_7D' })).llmSummary;
  const before = await askSummary();
  await signIn(page, gateway);
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
  assert.ok(!page.url().includes('key='), `the key stayed in the address bar: ${page.url()}`);
  await expectSummaryTiles(page, askSummary, before);
  await expectChart(card(page, 'Cost by model'), 3);
  await expectChart(card(page, 'Tokens over time'), 2);
});

test('a wrong key is refused with a message saying so', async ({ page, gateway }) => {
  await page.goto(`${gateway.url}/#key=tly_not_a_key_of_this_gateway`);
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /not valid/i);
  await page.getByRole('heading', { name: 'Sign in with an API key' }).waitFor();
  assert.equal(await page.getByRole('navigation', { name: 'Pages' }).count(), 0);
});

test('switching the period shows that period\'s figures, and the back button returns to the last one', async ({ page, gateway }) => {
  await signIn(page, gateway);
  const week = (await gateway.api(SUMMARY, { period: 'LAST_7D' })).llmSummary;
  const month = (await gateway.api(SUMMARY, { period: 'LAST_30D' })).llmSummary;
  assert.notEqual(week.totalRequests, month.totalRequests, 'the demo data should differ between 7 and 30 days');
  await eventually(async () => assert.equal(numberIn(await tileValue(page, 'Requests')), week.totalRequests));

  await page.getByRole('radio', { name: 'the last 30 days' }).check();
  await eventually(async () => assert.equal(numberIn(await tileValue(page, 'Requests')), month.totalRequests));
  assert.equal(numberIn(await tileValue(page, 'Cost')), cents(month.totalCost));
  assert.match(page.url(), /period=LAST_30D/);
  assert.match(await card(page, 'At a glance').innerText(), /The last 30 days/);

  await page.goBack();
  await eventually(async () => assert.equal(numberIn(await tileValue(page, 'Requests')), week.totalRequests));
  assert.ok(await page.getByRole('radio', { name: 'the last 7 days' }).isChecked());
});

test('a call sent through the API appears in the live feed and the figures without a reload', async ({ page, gateway }) => {
  await signIn(page, gateway);
  const feed = card(page, 'Live calls');
  await feed.getByText('Live ·').waitFor();
  const before = (await gateway.api(SUMMARY, { period: 'LAST_7D' })).llmSummary.totalRequests;
  await eventually(async () => assert.equal(numberIn(await tileValue(page, 'Requests')), before));

  const agentId = `e2e-live-${Date.now()}`;
  await gateway.api(
    `mutation ($input: LlmCallInput!) { trackLlmCall(input: $input) { id } }`,
    { input: { modelId: 'gpt-4o', provider: 'openai', inputTokens: 4321, outputTokens: 321, latencyMs: 812, status: 'SUCCESS', requestType: 'chat', agentId } },
  );
  const row = feed.getByRole('row').filter({ hasText: agentId });
  await row.waitFor({ timeout: 10_000 });
  const text = await row.innerText();
  assert.match(text, /gpt-4o/);
  assert.match(text, /4\.3k in · 321 out/);
  assert.match(text, /812 ms/);
  await eventually(async () => assert.equal(numberIn(await tileValue(page, 'Requests')), before + 1));
});

test('a lost WebSocket shows "Reconnecting…" and the live view recovers, whether the network or the gateway dropped it', async ({ page, gateway }) => {
  const sockets = [];
  await page.routeWebSocket(/\/graphql$/, (socket) => {
    sockets.push(socket);
    socket.connectToServer();
  });
  await signIn(page, gateway);
  const indicator = page.getByRole('banner').getByRole('status');
  await indicator.getByText('Live').waitFor();
  // 1006: the connection vanished (network); 1011: the other side failed, which graphql-ws does not retry by itself.
  for (const code of [1006, 1011]) {
    for (const socket of sockets.splice(0)) await socket.close({ code, reason: 'e2e: connection lost' });
    await indicator.getByText('Reconnecting…').waitFor({ timeout: 5_000 });
    await indicator.getByText('Live').waitFor({ timeout: 20_000 });

    // And live updates flow again over the new socket.
    const agentId = `e2e-after-${code}-${Date.now()}`;
    await gateway.api(`mutation ($input: LlmCallInput!) { trackLlmCall(input: $input) { id } }`, {
      input: { modelId: 'gpt-4o-mini', provider: 'openai', inputTokens: 100, outputTokens: 10, latencyMs: 100, status: 'SUCCESS', requestType: 'chat', agentId },
    });
    await card(page, 'Live calls').getByRole('row').filter({ hasText: agentId }).waitFor({ timeout: 10_000 });
  }
});

test('a time zone chosen on Settings shows every time in it, on every page the link leads to', async ({ page, gateway }) => {
  await signIn(page, gateway);
  await openPage(page, gateway, 'settings');
  await page.getByRole('combobox', { name: 'Time zone' }).selectOption('America/New_York');
  await page.waitForURL(/tz=America%2FNew_York/);
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Overview' }).click();
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
  assert.match(page.url(), /tz=America%2FNew_York/);
  await eventually(async () => assert.match(await card(page, 'Tokens over time').innerText(), /\(America\/New_York\)/));

  const { llmCalls } = await gateway.api(`{ llmCalls(limit: 1) { occurredAt } }`);
  const expected = new Date(llmCalls[0].occurredAt).toLocaleTimeString('en-GB', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const newest = card(page, 'Live calls').getByRole('row').nth(1);
  await eventually(async () => assert.equal((await newest.locator('time').innerText()).trim(), expected));
});
