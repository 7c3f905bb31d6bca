import { test } from '../support/fixtures.mjs';
import { assert, cents, eventually, numberIn } from '../support/expect.mjs';
import { card, chooseScope, expectChart, expectSummaryTiles, openPage, signIn } from '../support/dashboard.mjs';

const SUMMARY = `{ llmSummary(period: LAST_7D) { totalRequests totalCost } }`;

test('Admin: "All workspaces" shows the platform total, on Overview and on the Admin page', async ({ page, gateway }) => {
  const askOwn = async () => (await gateway.api(SUMMARY)).llmSummary;
  const askAll = async () => (await gateway.api(SUMMARY, {}, { workspace: '__all__' })).llmSummary;
  const ownBefore = await askOwn();
  await signIn(page, gateway);
  await expectSummaryTiles(page, askOwn, ownBefore);

  const allBefore = await askAll();
  assert.ok(allBefore.totalRequests > ownBefore.totalRequests, 'the demo has calls in more than one workspace');
  await chooseScope(page, 'All', 'All workspaces');
  const all = await expectSummaryTiles(page, askAll, allBefore);
  assert.match(page.url(), /scope=all/);

  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Admin' }).click();
  await page.getByRole('heading', { level: 1, name: 'Admin' }).waitFor();
  const { adminDashboard } = await gateway.api(`{ adminDashboard(period: LAST_7D) { totalCost apiRequests workspaceCount } }`);
  const glance = card(page, 'Platform at a glance');
  const tile = (label) => glance.getByRole('listitem').filter({ hasText: label });
  await eventually(async () => assert.equal(numberIn((await tile('Total cost').innerText()).replace(/^Total cost/, '')), cents(adminDashboard.totalCost)));
  assert.equal(numberIn((await tile('API requests').innerText()).replace(/^API requests/, '')), adminDashboard.apiRequests);
  assert.equal(cents(adminDashboard.totalCost), cents(all.totalCost));
  await expectChart(card(page, 'Daily cost by provider'), 3);
  const rows = card(page, 'Workspaces by cost').getByRole('table').locator('tbody tr');
  // The table shows a page of 50 rows at most.
  await eventually(async () => assert.equal(await rows.count(), Math.min(50, adminDashboard.workspaceCount)));
});

test('Admin: a member key sees its own workspace, with no Admin page and no scope switcher', async ({ page, gateway }) => {
  const { viewer } = await gateway.api(`{ viewer { workspace { id name } } }`);
  const { createApiKey: memberKey } = await gateway.api(`mutation ($id: ID!) { createApiKey(workspaceId: $id, role: MEMBER, label: "e2e member") }`, { id: viewer.workspace.id });
  await signIn(page, gateway, memberKey);
  const nav = page.getByRole('navigation', { name: 'Pages' });
  await nav.getByRole('link', { name: 'Overview' }).waitFor();
  assert.equal(await nav.getByRole('link', { name: 'Admin' }).count(), 0);
  assert.equal(await page.getByRole('combobox', { name: 'Workspace scope' }).count(), 0);
  assert.match(await page.getByRole('banner').innerText(), /member/i);

  await openPage(page, gateway, 'admin');
  assert.match(await page.getByRole('alert').innerText(), /needs an admin key/);
  assert.equal(await card(page, 'Platform at a glance').count(), 0);
});

test('Insights: a question in plain words gives a chart and a summary of the same numbers as the API', async ({ page, gateway }) => {
  await signIn(page, gateway);
  await openPage(page, gateway, 'insights');
  const question = 'cost by model last 7 days';
  await page.getByRole('searchbox', { name: 'Your question' }).fill(question);
  await page.getByRole('button', { name: 'Chart it' }).click();
  const { analyticsChart } = await gateway.api(`query ($q: String!) { analyticsChart(query: $q) { title summary } }`, { q: question });
  const summary = page.locator('.insight-summary').first();
  await summary.waitFor({ timeout: 20_000 });
  assert.equal((await summary.innerText()).trim(), analyticsChart.summary);
  const chartCard = page.getByRole('region', { name: analyticsChart.title }).first();
  await expectChart(chartCard, 3);
  // And how it was read, as the metrics query the API runs unchanged (the runner then checks this open state too).
  await chartCard.getByText('How this was understood').click();
  const query = JSON.parse(await chartCard.locator('.insight-json').innerText());
  assert.equal(typeof query, 'object');
});

test('Admin: the platform cost breakdown shows adminCostAnalytics by model and by provider', async ({ page, gateway, shot }) => {
  await signIn(page, gateway);
  await openPage(page, gateway, 'admin');
  const { adminCostAnalytics } = await gateway.api(`{ adminCostAnalytics(period: LAST_7D) { totalCost byModel { label totalCost } byProvider { label totalCost } } }`);
  const breakdown = card(page, 'Platform cost breakdown');
  const rows = breakdown.getByRole('table').locator('tbody tr');
  const costliest = (list) => [...list].sort((a, b) => b.totalCost - a.totalCost)[0].label;
  const firstName = async () => (await rows.first().locator('td').first().innerText()).trim();

  await eventually(async () => assert.equal(await rows.count(), adminCostAnalytics.byModel.length));
  assert.match(await breakdown.locator('.card-caption').innerText(), new RegExp(`per model over the last 7 days · ${adminCostAnalytics.byModel.length} models`));
  assert.equal(numberIn(await breakdown.locator('.card-aside').innerText()), cents(adminCostAnalytics.totalCost));
  assert.equal(await firstName(), costliest(adminCostAnalytics.byModel));
  await shot('admin-cost-breakdown');

  await breakdown.getByRole('radio', { name: 'By provider' }).check();
  await eventually(async () => assert.equal(await rows.count(), adminCostAnalytics.byProvider.length));
  assert.equal(await firstName(), costliest(adminCostAnalytics.byProvider));
  assert.match(await breakdown.locator('.card-caption').innerText(), new RegExp(`per provider over the last 7 days · ${adminCostAnalytics.byProvider.length} providers`));
});

test('Admin: opened straight after Overview, it has the styles of the controls it shares with Costs and Settings', async ({ page, gateway }) => {
  await signIn(page, gateway);
  await openPage(page, gateway, 'admin');
  const controls = card(page, 'Platform cost breakdown').locator('.card-controls');
  await controls.waitFor();
  assert.equal(await controls.evaluate((element) => getComputedStyle(element).display), 'flex');
  const storage = card(page, 'Storage');
  const input = storage.getByLabel('Workspace name contains');
  assert.equal(await input.evaluate((element) => getComputedStyle(element).borderRadius), '8px');
  const [field, button] = [await input.boundingBox(), await storage.getByRole('button', { name: 'Show storage' }).boundingBox()];
  assert.ok(button.width < field.width, `the button keeps its own width (${button.width} px), narrower than the field (${field.width} px)`);
});
