import { test } from '../support/fixtures.mjs';
import { assert, eventually, numberIn } from '../support/expect.mjs';
import { card, expectChart, openPage, signIn } from '../support/dashboard.mjs';

const RUN_FIELDS = `id workflow status totalCost callCount`;
const RUNS = `query ($period: Period!, $filter: RunFilter, $orderBy: RunOrder, $after: String) {
  runs(period: $period, filter: $filter, orderBy: $orderBy, after: $after) { runs { ${RUN_FIELDS} } nextCursor }
}`;
const TRACK = `mutation ($inputs: [LlmCallInput!]!) { trackLlmCalls(inputs: $inputs) { accepted rejected { index message } } }`;

/** The run ids the Runs table shows, top to bottom. */
const shownRunIds = (table) => table.locator('tbody tr[data-run-id]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-run-id')));
/** The text of one column of the Runs table (1-based). */
const column = (table, n) => table.locator(`tbody tr[data-run-id] td:nth-child(${n})`).allInnerTexts();

test('Agents: every agent with its figures and its service heartbeat, and an agent opens to its cost by model, tools, memory, runs and calls', async ({ page, gateway }) => {
  const { agentAnalytics } = await gateway.api(`{ agentAnalytics(period: LAST_30D) { agent { id name } requests runs } }`);
  assert.ok(agentAnalytics.length > 1, 'the demo data has agents');
  const busiest = agentAnalytics.find((entry) => entry.runs > 0) ?? agentAnalytics[0];
  // The busiest agent runs as a service of its own, beating under its id; no other agent beats.
  await gateway.api(`mutation ($service: String!) { heartbeat(service: $service, instanceId: "e2e-1", intervalSeconds: 30) { status } }`, { service: busiest.agent.id });
  await signIn(page, gateway);
  await openPage(page, gateway, 'agents', { period: 'LAST_30D' });
  const agents = card(page, 'Agents');
  const table = agents.getByRole('table');
  await eventually(async () => {
    const names = (await table.locator('tbody tr td:nth-child(1)').allInnerTexts()).map((text) => text.trim());
    assert.deepEqual(names, agentAnalytics.map((entry) => entry.agent.name));
    const requests = (await table.locator('tbody tr td:nth-child(3)').allInnerTexts()).map(numberIn);
    assert.deepEqual(requests, agentAnalytics.map((entry) => entry.requests));
  });
  // Each agent's daily cost is a sparkline that says what it draws.
  assert.equal(await table.getByRole('img', { name: /^Daily cost of .*\. The last \d+ days: cheapest/ }).count(), agentAnalytics.length);
  // Its service's heartbeat, for the one agent whose service beats (here a beat turns STALE after 2 s: either state shows it).
  await eventually(async () => {
    const services = (await table.locator('tbody tr td:nth-child(8)').allInnerTexts()).map((text) => text.trim());
    assert.equal(services.length, agentAnalytics.length);
    services.forEach((text, i) => (agentAnalytics[i] === busiest ? assert.match(text, /^(Alive|Stale) · beat (just now|\d+ s ago)$/) : assert.equal(text, '—')));
  });

  await table.getByRole('link', { name: busiest.agent.name, exact: true }).click();
  await eventually(async () => assert.ok(decodeURIComponent(page.url()).includes(`#/agents/${busiest.agent.id}`), page.url()));
  await page.getByRole('heading', { level: 2, name: busiest.agent.name, exact: true }).waitFor();
  const figures = card(page, busiest.agent.name);
  await eventually(async () => assert.match(await figures.innerText(), new RegExp(`Runs\\s*${busiest.runs.toLocaleString('en-US')}`)));
  await expectChart(card(page, 'Cost by model'));
  await card(page, 'Tools and memory').waitFor();
  const recent = card(page, 'Recent runs');
  await eventually(async () => assert.equal(await recent.locator('tbody tr').count(), Math.min(10, busiest.runs)));
  assert.match(await figures.innerText(), /(Alive|Stale) · beat/);
  // Its latest calls, newest first, as the API lists them.
  const { llmCalls } = await gateway.api(`query ($id: ID!) { llmCalls(filter: { agentIds: [$id] }, limit: 20) { id modelId } }`, { id: busiest.agent.id });
  const calls = card(page, 'Recent calls');
  await eventually(async () => {
    const models = (await calls.locator('tbody tr td:nth-child(2)').allInnerTexts()).map((text) => text.trim());
    assert.equal(models.length, llmCalls.length);
  });

  // The same address opens the same view in a new page.
  const url = page.url();
  const again = await page.context().newPage();
  await again.goto(url);
  await again.getByRole('heading', { level: 2, name: busiest.agent.name, exact: true }).waitFor();
  await again.close();
});

test('Runs: the workflows, a table filtered by workflow and status, sorted by cost, paged by cursor', async ({ page, gateway }) => {
  const { workflowStats } = await gateway.api(`{ workflowStats(period: LAST_30D) { workflow runs } }`);
  assert.ok(workflowStats.length > 1, 'the demo data has runs of several workflows');
  await signIn(page, gateway);
  await openPage(page, gateway, 'runs', { period: 'LAST_30D' });
  const workflows = card(page, 'Workflows').getByRole('table');
  await eventually(async () => {
    const names = (await workflows.locator('tbody tr td:nth-child(1)').allInnerTexts()).map((text) => text.trim());
    assert.deepEqual(names, workflowStats.map((stat) => stat.workflow));
    assert.deepEqual((await workflows.locator('tbody tr td:nth-child(2)').allInnerTexts()).map(numberIn), workflowStats.map((stat) => stat.runs));
  });
  // Each workflow's trend: its daily cost as a sparkline that says what it draws.
  await eventually(async () =>
    assert.equal(await workflows.getByRole('img', { name: /^Daily cost of .*\. (The last \d+ days|One day)/ }).count(), workflowStats.length),
  );

  const runs = card(page, 'Runs');
  const table = runs.getByRole('table');
  const first = (await gateway.api(RUNS, { period: 'LAST_30D' })).runs;
  await eventually(async () => assert.deepEqual(await shownRunIds(table), first.runs.map((run) => run.id)));

  // Paged by the API's cursor: the next page follows without a repeat.
  assert.ok(first.nextCursor, 'more than one page of runs in the demo data');
  const second = (await gateway.api(RUNS, { period: 'LAST_30D', after: first.nextCursor })).runs;
  await runs.getByRole('button', { name: 'Load more' }).click();
  await eventually(async () => assert.deepEqual(await shownRunIds(table), [...first.runs, ...second.runs].map((run) => run.id)));

  // Sorted by cost, costliest first, as the API orders them.
  await table.getByRole('button', { name: 'Cost' }).click();
  await eventually(async () => assert.equal(await table.getByRole('columnheader', { name: 'Cost' }).getAttribute('aria-sort'), 'descending'));
  const byCost = (await gateway.api(RUNS, { period: 'LAST_30D', orderBy: 'COST' })).runs.runs;
  await eventually(async () => assert.deepEqual(await shownRunIds(table), byCost.map((run) => run.id)));
  assert.match(page.url(), /order=COST/);

  // Filtered by a workflow and by failure.
  const workflow = workflowStats[0].workflow;
  await runs.getByRole('combobox', { name: 'Workflow' }).selectOption(workflow);
  await runs.getByRole('combobox', { name: 'Status' }).selectOption('ERROR');
  const failed = (await gateway.api(RUNS, { period: 'LAST_30D', orderBy: 'COST', filter: { workflow, status: 'ERROR' } })).runs.runs;
  await eventually(async () => assert.deepEqual(await shownRunIds(table), failed.map((run) => run.id)));
  for (const text of await column(table, 2)) assert.equal(text.trim(), workflow);
  for (const text of await column(table, 8)) assert.match(text, /Failed/);
  const params = new URLSearchParams(new URL(page.url()).hash.split('?')[1]);
  assert.deepEqual([params.get('workflow'), params.get('status'), params.get('order')], [workflow, 'ERROR', 'COST']);
});

test('Runs: a run opens to a waterfall of its calls, and a live run appears and grows without a reload', async ({ page, gateway, expectAccessible }) => {
  const executionId = `e2e-run-${Date.now()}`;
  const base = Date.now() - 60_000;
  const at = (ms) => new Date(base + ms).toISOString();
  const call = (n, endMs, latencyMs, extra = {}) => ({
    eventId: `${executionId}-${n}`,
    executionId,
    workflow: 'e2e-waterfall',
    agentId: 'research-agent',
    modelId: 'gpt-4o',
    provider: 'openai',
    requestType: 'workflow',
    inputTokens: 1000 * n,
    outputTokens: 100 * n,
    latencyMs,
    occurredAt: at(endMs),
    status: 'SUCCESS',
    ...extra,
  });
  const { trackLlmCalls } = await gateway.api(TRACK, {
    inputs: [call(1, 1000, 1000), call(2, 3000, 2000, { status: 'ERROR', errorType: 'rate_limit' }), call(3, 4000, 500, { modelId: 'gpt-4o-mini' })],
  });
  assert.equal(trackLlmCalls.accepted, 3, JSON.stringify(trackLlmCalls.rejected));

  await signIn(page, gateway);
  await page.goto(`${gateway.url}/#/runs/${encodeURIComponent(executionId)}?period=LAST_24H`);
  const detail = card(page, 'Run of e2e-waterfall');
  const waterfall = detail.getByRole('table');
  await eventually(async () => assert.equal(await waterfall.locator('tbody tr').count(), 3));
  assert.deepEqual((await waterfall.locator('tbody tr td:nth-child(1)').allInnerTexts()).map((t) => t.trim()), ['gpt-4o', 'gpt-4o', 'gpt-4o-mini']);
  assert.deepEqual((await waterfall.locator('tbody tr td:nth-child(4)').allInnerTexts()).map((t) => t.trim()), ['+0 ms', '+1.00 s', '+3.50 s']);
  assert.match(await waterfall.locator('tbody tr').nth(1).innerText(), /rate_limit/);
  // Each bar starts where its call started on the run's 4 s and is as wide as its latency.
  const bars = await waterfall.locator('.waterfall-bar').evaluateAll((spans) => spans.map((span) => [span.style.left, span.style.width]));
  assert.deepEqual(bars, [
    ['0%', '25%'],
    ['25%', '50%'],
    ['87.5%', '12.5%'],
  ]);
  assert.match(await detail.innerText(), /Failed/);
  await expectAccessible('a run’s waterfall');
  await detail.getByRole('link', { name: '← All runs' }).click();

  // Live: the newest runs first, and a run that starts now appears, then grows as its calls land.
  await page.getByRole('banner').getByRole('status').getByText('Live').waitFor();
  const table = card(page, 'Runs').getByRole('table');
  await table.waitFor();
  const liveId = `e2e-live-run-${Date.now()}`;
  const liveCall = (n) => ({ ...call(n, 60_000, 300), executionId: liveId, eventId: `${liveId}-${n}`, workflow: 'e2e-live', occurredAt: new Date().toISOString() });
  let sent = 0;
  // A call sent before the subscription reached the gateway is not pushed: send the run's calls until its row shows.
  await eventually(
    async () => {
      if ((await table.locator(`tr[data-run-id="${liveId}"]`).count()) === 0) {
        sent += 1;
        await gateway.api(TRACK, { inputs: [liveCall(sent)] });
      }
      assert.equal(await table.locator(`tr[data-run-id="${liveId}"]`).count(), 1);
    },
    { intervalMs: 500 },
  );
  const row = table.locator(`tr[data-run-id="${liveId}"]`);
  const callsNow = (await gateway.api(`query ($id: ID!) { run(id: $id) { callCount } }`, { id: liveId })).run.callCount;
  await eventually(async () => assert.equal(numberIn(await row.locator('td:nth-child(5)').innerText()), callsNow));
  await gateway.api(TRACK, { inputs: [liveCall(sent + 1)] });
  await eventually(async () => assert.equal(numberIn(await row.locator('td:nth-child(5)').innerText()), callsNow + 1));
  assert.equal(await table.locator(`tr[data-run-id="${liveId}"]`).count(), 1);
});
