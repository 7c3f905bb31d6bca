import type { RunDetailQuery, RunRowFragment, WorkflowStatsQuery } from '../../gql/graphql';
import { DEFAULT_RUN_SORT, mergeRunUpdate, prepareRunRows, prepareWaterfall, prepareWorkflows, prepareWorkflowTrends, runMatches, runViewFromParams } from './prepare-runs';

const run = (overrides: Partial<RunRowFragment>): RunRowFragment => ({
  __typename: 'Run',
  id: 'run-1',
  workflow: 'nightly-report',
  startedAt: '2025-06-15T12:00:00.000Z',
  endedAt: '2025-06-15T12:00:04.000Z',
  durationMs: 4000,
  callCount: 3,
  errorCount: 0,
  totalCost: 0.0421,
  inputTokens: 1200,
  outputTokens: 300,
  status: 'SUCCESS',
  models: ['gpt-4o'],
  agents: [{ __typename: 'Agent', id: 'support-bot', name: 'Support bot' }],
  ...overrides,
});

type Call = NonNullable<RunDetailQuery['run']>['calls'][number];
const call = (id: string, occurredAt: string, latencyMs: number, overrides: Partial<Call> = {}): Call => ({
  __typename: 'LlmCall',
  id,
  modelId: 'gpt-4o',
  provider: 'openai',
  occurredAt,
  latencyMs,
  inputTokens: 1000,
  outputTokens: 200,
  totalCost: 0.01,
  status: 'SUCCESS',
  errorType: null,
  agent: { __typename: 'Agent', id: 'support-bot', name: 'Support bot' },
  ...overrides,
});

describe('runViewFromParams', () => {
  it('reads the filters and the order of a shared link', () => {
    expect(runViewFromParams(new URLSearchParams('workflow=triage&agent=support-bot&status=ERROR&order=COST&asc=1'))).toEqual({
      filter: { workflow: 'triage', agentId: 'support-bot', status: 'ERROR' },
      sort: { key: 'COST', direction: 'ascending' },
    });
  });

  it('leaves out what the API would refuse and falls back to the newest first', () => {
    expect(runViewFromParams(new URLSearchParams('status=MAYBE&order=NAME'))).toEqual({ filter: {}, sort: DEFAULT_RUN_SORT });
  });
});

describe('runMatches and mergeRunUpdate', () => {
  const newest = { filter: {}, sort: DEFAULT_RUN_SORT };
  it('matches a run on its workflow, status and agents', () => {
    expect(runMatches(run({}), { workflow: 'nightly-report', status: 'SUCCESS', agentId: 'support-bot' })).toBe(true);
    expect(runMatches(run({}), { workflow: 'triage' })).toBe(false);
    expect(runMatches(run({}), { status: 'ERROR' })).toBe(false);
    expect(runMatches(run({}), { agentId: 'research-agent' })).toBe(false);
  });

  it('replaces a run already shown where it stands', () => {
    const rows = [run({ id: 'a' }), run({ id: 'b' }), run({ id: 'c' })];
    const updated = run({ id: 'b', callCount: 4, totalCost: 1 });
    expect(mergeRunUpdate(rows, updated, { filter: {}, sort: { key: 'COST', direction: 'descending' } }).map((r) => [r.id, r.callCount])).toEqual([
      ['a', 3],
      ['b', 4],
      ['c', 3],
    ]);
  });

  it('puts a new run first when the newest are first, and only when it matches the filter', () => {
    const rows = [run({ id: 'a' })];
    expect(mergeRunUpdate(rows, run({ id: 'n' }), newest).map((r) => r.id)).toEqual(['n', 'a']);
    expect(mergeRunUpdate(rows, run({ id: 'n' }), { filter: { workflow: 'triage' }, sort: DEFAULT_RUN_SORT }).map((r) => r.id)).toEqual(['a']);
    expect(mergeRunUpdate(rows, run({ id: 'n' }), { filter: {}, sort: { key: 'COST', direction: 'descending' } }).map((r) => r.id)).toEqual(['a']);
  });
});

describe('prepareRunRows', () => {
  it('writes each run’s figures in words, naming a run without workflow', () => {
    const [row, failed] = prepareRunRows([run({}), run({ id: 'run-2', workflow: null, status: 'ERROR', errorCount: 2, agents: [] })], 'UTC');
    expect(row).toEqual({
      id: 'run-1',
      workflow: 'nightly-report',
      startedAt: '2025-06-15T12:00:00.000Z',
      started: '15 Jun, 12:00',
      duration: '4.00 s',
      calls: '3',
      errors: 0,
      cost: '$0.04',
      tokens: '1.5k',
      agents: 'Support bot',
      models: 'gpt-4o',
      failed: false,
    });
    expect([failed.workflow, failed.failed, failed.errors, failed.agents]).toEqual(['(no workflow)', true, 2, '—']);
  });
});

describe('prepareWaterfall', () => {
  it('draws each call from occurredAt − latencyMs to occurredAt as shares of the run’s span, oldest first', () => {
    // The run: 12:00:00.000 to 12:00:04.000. Calls: 0–1 s, 1–3 s (failed), 3.5–4 s.
    const waterfall = prepareWaterfall({
      startedAt: '2025-06-15T12:00:00.000Z',
      durationMs: 4000,
      calls: [
        call('c3', '2025-06-15T12:00:04.000Z', 500),
        call('c1', '2025-06-15T12:00:01.000Z', 1000),
        call('c2', '2025-06-15T12:00:03.000Z', 2000, { status: 'ERROR', errorType: 'rate_limit', totalCost: 0 }),
      ],
    });
    expect(waterfall.span).toBe('4.00 s');
    expect(waterfall.bars.map((bar) => [bar.id, bar.offset, bar.width, bar.startsAfter, bar.latency, bar.error])).toEqual([
      ['c1', 0, 0.25, '+0 ms', '1.00 s', null],
      ['c2', 0.25, 0.5, '+1.00 s', '2.00 s', 'rate_limit'],
      ['c3', 0.875, 0.125, '+3.50 s', '500 ms', null],
    ]);
    expect(waterfall.bars[1]).toMatchObject({ failed: true, cost: '$0.00', tokens: '1.0k in · 200 out', model: 'gpt-4o', agent: 'Support bot' });
  });

  it('keeps an instant call visible and a one-call run whole', () => {
    const waterfall = prepareWaterfall({ startedAt: '2025-06-15T12:00:00.000Z', durationMs: 0, calls: [call('only', '2025-06-15T12:00:00.000Z', 0, { agent: null })] });
    expect(waterfall.bars).toEqual([expect.objectContaining({ id: 'only', offset: 0, agent: '—' })]);
    expect(waterfall.bars[0].width).toBeGreaterThan(0);
  });
});

describe('prepareWorkflows', () => {
  it('writes each workflow’s runs, success rate, p95 duration and cost per run, marking one that fails often', () => {
    const stats: WorkflowStatsQuery['workflowStats'] = [
      { __typename: 'WorkflowStats', workflow: 'triage', runs: 1200, successRate: 0.85, avgDurationMs: 2000, p95DurationMs: 12_500, totalCost: 24, costPerRun: 0.02 },
      { __typename: 'WorkflowStats', workflow: 'research', runs: 3, successRate: 1, avgDurationMs: 500, p95DurationMs: 640, totalCost: 0.003, costPerRun: 0.001 },
    ];
    expect(prepareWorkflows(stats)).toEqual([
      { workflow: 'triage', runs: '1,200', successRate: '85.0%', struggling: true, p95Duration: '12.5 s', costPerRun: '$0.02', totalCost: '$24.00' },
      { workflow: 'research', runs: '3', successRate: '100.0%', struggling: false, p95Duration: '640 ms', costPerRun: '$0.001', totalCost: '$0.003' },
    ]);
  });
});

describe('prepareWorkflowTrends', () => {
  const row = (day: string, workflow: string, cost: number) => ({
    __typename: 'MetricsRow' as const,
    bucket: `${day}T00:00:00.000Z`,
    dimensions: [{ __typename: 'DimensionValue' as const, dimension: 'WORKFLOW' as const, value: workflow }],
    values: [{ __typename: 'MetricValue' as const, metric: 'TOTAL_COST' as const, value: cost }],
  });

  it('gives each workflow a cost for every day from the first to the last, zero on its quiet days, and leaves out calls of no workflow', () => {
    const trends = prepareWorkflowTrends([row('2025-06-01', 'triage', 2), row('2025-06-01', '', 9), row('2025-06-03', 'triage', 1.5), row('2025-06-04', 'research', 0.25)]);
    expect([...trends.entries()]).toEqual([
      ['triage', [2, 0, 1.5, 0]],
      ['research', [0, 0, 0, 0.25]],
    ]);
  });

  it('is empty when no workflow cost anything', () => {
    expect(prepareWorkflowTrends([]).size).toBe(0);
  });
});
