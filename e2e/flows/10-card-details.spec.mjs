import { test } from '../support/fixtures.mjs';
import { assert, eventually } from '../support/expect.mjs';
import { card, openPage, settled, signIn } from '../support/dashboard.mjs';

const hashParams = async (page) => new URLSearchParams((await page.evaluate(() => window.location.hash)).split('?')[1] ?? '');

test('Costs: the cost trend, the projection and the comparison each keep a period of their own in the link', async ({ page, gateway, shot }) => {
  await signIn(page, gateway);
  await openPage(page, gateway, 'costs', { period: 'LAST_7D' });
  const trend = card(page, 'Daily cost by model');
  const projection = card(page, 'Projected monthly cost');
  const comparison = card(page, 'Model comparison');
  const projectionPicker = projection.getByRole('combobox', { name: 'Projected from' });
  const comparisonPicker = comparison.getByRole('combobox', { name: 'Usage over' });
  await projectionPicker.waitFor();
  assert.equal(await projectionPicker.inputValue(), '', 'the projection follows the page until picked');
  await eventually(async () => assert.match(await projection.innerText(), /From the daily average of the last 7 days/));

  await projectionPicker.selectOption('LAST_30D');
  await comparisonPicker.selectOption('LAST_24H');
  await trend.getByRole('combobox', { name: 'Period' }).selectOption('LAST_90D');
  const params = await hashParams(page);
  assert.deepEqual(
    ['period', 'projectionPeriod', 'comparisonPeriod', 'trendPeriod'].map((name) => params.get(name)),
    ['LAST_7D', 'LAST_30D', 'LAST_24H', 'LAST_90D'],
  );

  // The projection answers for its own period: the figure equals the API's for 30 days, not the page's 7.
  const { llmCostProjections: thirty } = await gateway.api(`{ llmCostProjections(period: LAST_30D, timezone: "UTC") { daysWithData } }`);
  await eventually(async () => {
    const text = await projection.innerText();
    assert.match(text, /From the daily average of the last 30 days/);
    assert.match(text, new RegExp(`${thirty.daysWithData} days? with calls in the last 30 days`));
  });
  await eventually(async () => assert.match(await comparison.innerText(), /use over the last 24 hours/));
  await eventually(async () => assert.match(await trend.innerText(), /over the last 90 days|Spend per model/));

  // A shared link opens every card as it was, and the page's picker leaves the cards' own periods alone.
  await page.reload();
  await projectionPicker.waitFor();
  assert.equal(await projectionPicker.inputValue(), 'LAST_30D');
  assert.equal(await comparisonPicker.inputValue(), 'LAST_24H');
  assert.equal(await trend.getByRole('combobox', { name: 'Period' }).inputValue(), 'LAST_90D');
  await page.getByRole('radio', { name: 'the last 24 hours' }).check();
  await eventually(async () => assert.equal((await hashParams(page)).get('period'), 'LAST_24H'));
  assert.equal(await projectionPicker.inputValue(), 'LAST_30D');
  await eventually(async () => assert.match(await projection.innerText(), /From the daily average of the last 30 days/));

  // Back to the page's period: the parameter leaves the link.
  await projectionPicker.selectOption('');
  await eventually(async () => assert.equal((await hashParams(page)).get('projectionPeriod'), null));
  await eventually(async () => assert.match(await projection.innerText(), /From the daily average of the last 24 hours/));
  await settled(page);
  await shot('card-periods');
});

test('Overview: the OpenRouter card shows the key’s rate limit, fetches credits again after a sync and announces the outcome', async ({ page, gateway, shot, expectAccessible }) => {
  const standIn = gateway.openRouter;
  assert.ok(standIn, 'this test needs the OpenRouter stand-in that npm run test:e2e starts with its gateway');
  // A workspace of its own, so the other tests' Overview keeps no OpenRouter key.
  const { createWorkspace } = await gateway.api(`mutation { createWorkspace(name: "OpenRouter e2e ${Date.now()}") { id } }`);
  const { createApiKey: key } = await gateway.api(`mutation ($id: ID!) { createApiKey(workspaceId: $id, role: ADMIN, label: "e2e openrouter") }`, { id: createWorkspace.id });
  await gateway.api(`mutation { setProviderKey(provider: "openrouter", key: "sk-or-v1-e2e-0000000000000000") { last4 } }`, {}, { key });

  await signIn(page, gateway, key);
  await openPage(page, gateway, 'overview');
  const credits = card(page, 'OpenRouter credits');
  await eventually(async () => assert.match(await credits.innerText(), /50\.0% used/), { timeoutMs: 20_000 });
  assert.match(await credits.locator('.credits-rate').innerText(), /Rate limit\s+200 requests every 10 seconds/i);

  const fetchesBefore = (await standIn.seen()).filter((path) => path === '/api/v1/credits').length;
  const keyFetchesBefore = (await standIn.seen()).filter((path) => path === '/api/v1/key').length;
  const announcements = page.getByRole('status').filter({ hasText: /Imported|Already up to date|no activity/ });
  await credits.getByRole('button', { name: 'Sync activity' }).click();
  await announcements.first().waitFor({ timeout: 20_000 });
  assert.match(await announcements.first().innerText(), /Imported 1 new row of daily activity\./);
  // Credits and key were asked for again: the stand-in spent a dollar on the sync, and the card shows it.
  assert.ok((await standIn.seen()).filter((path) => path === '/api/v1/credits').length > fetchesBefore, 'credits fetched again after the sync');
  assert.ok((await standIn.seen()).filter((path) => path === '/api/v1/key').length > keyFetchesBefore, 'key information fetched again after the sync');
  await eventually(async () => assert.match(await credits.innerText(), /55\.0% used/));
  // The page's other cards are read again too: the imported model's cost is on the Overview.
  await eventually(async () => assert.match(await card(page, 'Cost by model').innerText(), /gpt-4o-mini/));
  await shot('openrouter-sync-toast');
  await expectAccessible('the card with its rate limit and the sync toast');
  const { llmUsage } = await gateway.api(`{ llmUsage(period: LAST_7D, groupBy: MODEL) { key requests } }`, {}, { key });
  assert.equal(llmUsage.find((group) => group.key.includes('gpt-4o-mini'))?.requests, 40);

  // A second sync imports nothing new and says so in a new announcement; the toast can be dismissed.
  await credits.getByRole('button', { name: 'Sync activity' }).click();
  await page.getByRole('status').filter({ hasText: /Already up to date/ }).waitFor({ timeout: 20_000 });
  await page.getByRole('button', { name: 'Dismiss this message' }).click();
  await eventually(async () => assert.equal(await page.locator('.toast').count(), 0));
});

test('Monitoring: each row of API performance draws its last 100 response times', async ({ page, gateway, shot }) => {
  const operation = `Sparkline${Date.now()}`;
  for (let i = 0; i < 12; i++) await gateway.api(`query ${operation} { viewer { role } }`);
  await signIn(page, gateway);
  await openPage(page, gateway, 'monitoring');
  const table = card(page, 'API performance');
  const row = table.getByRole('row').filter({ hasText: `graphql query ${operation}` });
  const line = row.getByRole('img', { name: new RegExp(`^Response times of graphql query ${operation}\\. The last 12 responses: fastest`) });
  await line.waitFor({ timeout: 20_000 });
  const { apiMetrics } = await gateway.api(`{ apiMetrics { key recentTimesMs } }`);
  const times = apiMetrics.find((endpoint) => endpoint.key === `graphql query ${operation}`).recentTimesMs;
  assert.equal(times.length, 12);
  const points = (await line.locator('path').getAttribute('d')).split(' ');
  assert.equal(points.length, 12, 'one point per response time');
  // The busiest keys have 100 points: the ring holds the last 100 and no more.
  const busiest = apiMetrics.reduce((most, endpoint) => (endpoint.recentTimesMs.length > most.recentTimesMs.length ? endpoint : most));
  assert.ok(busiest.recentTimesMs.length <= 100);
  await settled(page);
  await shot('api-sparklines');
});
