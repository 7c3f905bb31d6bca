import { readFileSync } from 'node:fs';
import { test } from '../support/fixtures.mjs';
import { assert, cents, eventually, numberIn } from '../support/expect.mjs';
import { card, expectChart, openPage, signIn } from '../support/dashboard.mjs';

test('Costs: picking two models shows them side by side in the comparison table and the radar', async ({ page, gateway }) => {
  await signIn(page, gateway);
  await openPage(page, gateway, 'costs', { period: 'LAST_30D' });
  const comparison = card(page, 'Model comparison');
  const pickers = comparison.getByRole('checkbox');
  await pickers.first().waitFor();
  for (const box of await pickers.all()) if (await box.isChecked()) await box.uncheck();
  const picked = ['gpt-4o', 'claude-3-5-haiku-latest'];
  for (const model of picked) await comparison.getByRole('checkbox', { name: model, exact: true }).check();

  const table = comparison.getByRole('table', { name: 'Compared models, one per column' });
  await eventually(async () => assert.equal(await table.getByRole('columnheader').count(), 1 + picked.length));
  const { llmUsage } = await gateway.api(`{ llmUsage(period: LAST_30D, groupBy: MODEL) { key requests totalCost } }`);
  const requestsRow = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Requests', exact: true }) });
  const costRow = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Total cost', exact: true }) });
  await eventually(async () => {
    const requests = (await requestsRow.getByRole('cell').allInnerTexts()).map(numberIn);
    const costs = (await costRow.getByRole('cell').allInnerTexts()).map(numberIn);
    const expected = picked.map((model) => llmUsage.find((group) => group.key === model));
    assert.deepEqual(requests, expected.map((group) => group.requests));
    assert.deepEqual(costs, expected.map((group) => cents(group.totalCost)));
  });
  const radar = comparison.getByRole('figure');
  assert.ok(await radar.getByRole('img', { name: /Compared models on/ }).isVisible());
  // The radar's grid, and a filled shape per model on it.
  await expectChart(radar, picked.length + 3);
});

test('Costs: the CSV download saves every call of the period and says what it saved', async ({ page, gateway }) => {
  await signIn(page, gateway);
  await openPage(page, gateway, 'costs', { period: 'LAST_24H' });
  const button = page.getByRole('button', { name: /Download CSV/ });
  const downloading = page.waitForEvent('download');
  await button.click();
  const download = await downloading;
  const text = readFileSync(await download.path(), 'utf8');
  const lines = text.trim().split('\n');
  const { llmSummary } = await gateway.api(`{ llmSummary(period: LAST_24H) { totalRequests } }`);
  assert.match(lines[0], /model/i, `the CSV starts with a header line: ${lines[0]}`);
  assert.equal(lines.length - 1, llmSummary.totalRequests);
  assert.match(download.suggestedFilename(), /\.csv$/);
  await page.getByRole('status').filter({ hasText: `Saved ${download.suggestedFilename()}` }).waitFor();
});

const RECORD_ACTION = `mutation ($input: ComposioActionInput!) { recordComposioAction(input: $input) { usageCount } }`;

test('Tools: the action leaderboard sorts by the column heading a person picks', async ({ page, gateway }) => {
  const actions = [
    { agentId: 'support-bot', appName: 'slack', actionName: 'SLACK_SEND_MESSAGE', count: 15 },
    { agentId: 'research-agent', appName: 'github', actionName: 'GITHUB_CREATE_ISSUE', count: 7 },
    { agentId: 'support-bot', appName: 'gmail', actionName: 'GMAIL_SEND_EMAIL', count: 3 },
    { agentId: 'code-reviewer', appName: 'notion', actionName: 'NOTION_CREATE_PAGE', count: 11 },
  ];
  for (const input of actions) await gateway.api(RECORD_ACTION, { input });
  await signIn(page, gateway);
  await openPage(page, gateway, 'tools');
  const table = card(page, 'Action leaderboard').getByRole('table');
  // Only this test's actions: a gateway that served earlier runs may list others too.
  const names = async () => (await table.locator('tbody tr td:nth-child(2)').allInnerTexts()).map((t) => t.trim()).filter((t) => actions.some((a) => a.actionName === t));
  const byUses = [...actions].sort((a, b) => b.count - a.count).map((a) => a.actionName);
  await eventually(async () => assert.deepEqual(await names(), byUses));

  await table.getByRole('button', { name: 'Action' }).click();
  await eventually(async () => assert.equal(await table.getByRole('columnheader', { name: 'Action' }).getAttribute('aria-sort'), 'ascending'));
  assert.deepEqual(await names(), [...byUses].sort());

  await table.getByRole('button', { name: 'Uses' }).click();
  await table.getByRole('button', { name: 'Uses' }).click();
  await eventually(async () => assert.equal(await table.getByRole('columnheader', { name: 'Uses' }).getAttribute('aria-sort'), 'ascending'));
  assert.deepEqual(await names(), [...byUses].reverse());
});
