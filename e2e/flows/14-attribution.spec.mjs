import { test } from '../support/fixtures.mjs';
import { assert, eventually, numberIn } from '../support/expect.mjs';
import { card, expectChart, openPage, settled, signIn, tileValue } from '../support/dashboard.mjs';

const TRACK = `mutation ($inputs: [LlmCallInput!]!) { trackLlmCalls(inputs: $inputs) { accepted rejected { index message } } }`;
const BY_USER = `query ($filter: UsageFilter, $limit: Int) {
  usageMetrics(query: { period: LAST_30D, groupBy: [USER], metrics: [TOTAL_COST], orderBy: TOTAL_COST, descending: true, limit: $limit, filter: $filter }) { rows { dimensions { value label } } }
}`;
const TOTALS = `query ($filter: UsageFilter) { usageMetrics(query: { period: LAST_24H, metrics: [REQUESTS, TOTAL_COST], filter: $filter }) { rows { values { metric value } } } }`;

/**
 * Sends calls for end users of this test's own (ids unique to the run): each call gives its user,
 * session, tags and metadata. Resolves with the ids it used.
 */
async function sendAttributedCalls(gateway) {
  const stamp = Date.now();
  const ids = { ada: `e2e-ada-${stamp}`, grace: `e2e-grace-${stamp}`, tag: `e2e-attr-${stamp}`, run: `e2e-attr-run-${stamp}` };
  const at = (minutesAgo) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
  const call = (n, userId, sessionId, tags, metadata, extra = {}) => ({
    eventId: `${ids.tag}-${n}`,
    agentId: 'research-agent',
    modelId: n % 2 ? 'gpt-4o' : 'gpt-4o-mini',
    provider: 'openai',
    requestType: 'chat',
    inputTokens: 20_000 * n,
    outputTokens: 2_000 * n,
    latencyMs: 400 + n,
    occurredAt: at(30 - n),
    status: 'SUCCESS',
    userId,
    sessionId,
    tags,
    metadata,
    ...extra,
  });
  const inputs = [
    call(1, ids.grace, 'g-s1', [ids.tag, 'e2e-prod'], { feature: 'search', plan: 'pro' }, { executionId: ids.run, workflow: 'e2e-attribution' }),
    call(2, ids.grace, 'g-s1', [ids.tag], { feature: 'search' }, { executionId: ids.run, workflow: 'e2e-attribution' }),
    call(3, ids.grace, 'g-s2', [ids.tag], { feature: 'chat' }),
    call(4, ids.ada, 'a-s1', ['e2e-prod'], { feature: 'search' }),
  ];
  const { trackLlmCalls } = await gateway.api(TRACK, { inputs });
  assert.equal(trackLlmCalls.accepted, inputs.length, JSON.stringify(trackLlmCalls.rejected));
  return ids;
}

const firstColumn = async (region) => (await region.getByRole('table').locator('tbody tr td:nth-child(1)').allInnerTexts()).map((text) => text.trim());
const requestsOf = async (gateway, filter) => (await gateway.api(TOTALS, { filter })).usageMetrics.rows[0]?.values.find((v) => v.metric === 'REQUESTS')?.value ?? 0;

test('Costs: the Users breakdown ranks users as the API does, a search finds one, and a user opens to their cost, models, sessions and runs', async ({ page, gateway, expectAccessible, shot }) => {
  const ids = await sendAttributedCalls(gateway);
  const rows = (await gateway.api(BY_USER, { limit: 10 })).usageMetrics.rows;
  const top = rows.map((row) => row.dimensions[0].label || row.dimensions[0].value);
  assert.ok(top.length > 2, 'the demo data and this test have users');
  const named = rows.filter((row) => row.dimensions[0].value !== '').length;
  await signIn(page, gateway);
  await openPage(page, gateway, 'costs', { period: 'LAST_30D' });
  const users = card(page, 'Users');
  await eventually(async () => assert.deepEqual(await firstColumn(users), top));
  // Each named user's cost per day is a sparkline that says what it draws.
  await eventually(async () => assert.equal(await users.getByRole('img', { name: /^Daily cost of .*\. The last \d+ days: cheapest/ }).count(), named));
  const tags = card(page, 'Tags');
  await eventually(async () => assert.ok((await firstColumn(tags)).includes(ids.tag)));
  assert.match(await tags.innerText(), /tags overlap and their costs do not add up to a total/);
  await expectAccessible('the Users and Tags breakdowns');

  // Past the first ten, "Show more" lists the next ones in the API's order.
  const next = (await gateway.api(BY_USER, { limit: 60 })).usageMetrics.rows.map((row) => row.dimensions[0].label || row.dimensions[0].value);
  assert.ok(next.length > top.length, 'the demo data has more than ten users');
  await users.getByRole('button', { name: `Show ${next.length - top.length} more` }).click();
  await eventually(async () => assert.deepEqual(await firstColumn(users), next));

  // A search finds a user by part of its id, wherever it ranks.
  await users.getByRole('searchbox', { name: 'Find a user' }).fill(ids.grace.slice(0, -3));
  await eventually(async () => assert.deepEqual(await firstColumn(users), [ids.grace]));
  await shot('costs-users-search');
  await users.getByRole('link', { name: ids.grace, exact: true }).click();
  await eventually(async () => assert.ok(decodeURIComponent(page.url()).includes(`#/users/${ids.grace}`), page.url()));
  const figures = card(page, `User ${ids.grace}`);
  await eventually(async () => assert.match(await figures.innerText(), /Requests\s*3\b/));
  await eventually(async () => assert.match(await figures.innerText(), /Sessions\s*2\b/));
  await expectChart(card(page, 'Cost over time'), 1);
  assert.deepEqual(await firstColumn(card(page, 'Models')), ['gpt-4o', 'gpt-4o-mini']);
  await eventually(async () => assert.deepEqual(await firstColumn(card(page, 'Sessions')), ['g-s2', 'g-s1']));
  await eventually(async () => assert.deepEqual(await firstColumn(card(page, 'Recent runs')), [ids.run]));
  await settled(page);
  await expectAccessible('a user’s page');

  // The same address opens the same view in a new page.
  const again = await page.context().newPage();
  await again.goto(page.url());
  await card(again, `User ${ids.grace}`).getByText(/Requests\s*3/).waitFor();
  await again.close();
});

test('Overview and Costs: the filter bar narrows every figure to the calls with its tags, metadata and users, and survives a reload', async ({ page, gateway, expectAccessible }) => {
  const ids = await sendAttributedCalls(gateway);
  await signIn(page, gateway);
  await openPage(page, gateway, 'overview', { period: 'LAST_24H' });
  await page.getByRole('button', { name: 'Filter by tag, metadata or user' }).click();
  const bar = page.getByRole('region', { name: 'Filter', exact: true });
  await bar.getByRole('combobox', { name: 'Tag' }).fill(ids.tag);
  await bar.getByRole('button', { name: 'Add', exact: true }).click();
  await eventually(async () => assert.equal(numberIn(await tileValue(page, 'Requests')), await requestsOf(gateway, { tags: [ids.tag] })));
  assert.equal(numberIn(await tileValue(page, 'Requests')), 3);
  // The unfiltered cards step aside, and the bar says so.
  assert.equal(await card(page, 'Workspace memory').count(), 0);
  assert.match(await bar.innerText(), /hidden while a filter is set/);

  await bar.getByRole('combobox', { name: 'Filter by' }).selectOption('meta');
  await bar.getByRole('textbox', { name: 'Metadata key' }).fill('feature');
  await bar.getByRole('textbox', { name: 'Metadata value' }).fill('search');
  await bar.getByRole('button', { name: 'Add', exact: true }).click();
  await eventually(async () => assert.equal(numberIn(await tileValue(page, 'Requests')), 2));
  const params = new URLSearchParams(new URL(page.url()).hash.split('?')[1]);
  assert.deepEqual([params.getAll('tag'), params.getAll('meta')], [[ids.tag], ['feature=search']]);
  await expectAccessible('the Overview under a filter');

  // A reload opens the same filtered view from the URL.
  await page.reload();
  await page.getByRole('region', { name: 'Filter', exact: true }).getByText(`tag ${ids.tag}`).waitFor();
  await eventually(async () => assert.equal(numberIn(await tileValue(page, 'Requests')), 2));

  // The filter goes with the page links: on Costs the breakdowns count the same calls.
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Costs' }).click();
  await page.getByRole('heading', { level: 1, name: 'Costs' }).waitFor();
  await eventually(async () => assert.deepEqual(await firstColumn(card(page, 'Users')), [ids.grace]));
  assert.equal(await card(page, 'Projected monthly cost').count(), 0);
  await page.getByRole('button', { name: 'Remove feature = search' }).click();
  await page.getByRole('button', { name: `Remove tag ${ids.tag}` }).click();
  await page.getByRole('region', { name: 'Filter', exact: true }).getByRole('combobox', { name: 'Filter by' }).selectOption('user');
  await page.getByRole('combobox', { name: 'User id' }).fill(ids.ada);
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await eventually(async () => assert.deepEqual(await firstColumn(card(page, 'Users')), [ids.ada]));
  await eventually(async () => assert.deepEqual(await firstColumn(card(page, 'Tags')), ['e2e-prod']));
  await settled(page);
  await expectAccessible('the Costs page under a user filter');
});
