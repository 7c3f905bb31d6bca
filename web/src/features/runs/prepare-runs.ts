import type { TableSort } from '../../components/table-sort';
import { formatCount, formatDateTime, formatDollars, formatLatency, formatPercent, formatTokens } from '../../format';
import type { RunDetailQuery, RunFilter, RunOrder, RunRowFragment, RunStatus, WorkflowStatsQuery, WorkflowTrendQuery } from '../../gql/graphql';

/** The newest runs first, as the API orders by default. */
export const DEFAULT_RUN_SORT: TableSort<RunOrder> = { key: 'STARTED_AT', direction: 'descending' };

const ORDERS: readonly RunOrder[] = ['STARTED_AT', 'COST', 'DURATION', 'CALLS'];
const STATUSES: readonly RunStatus[] = ['SUCCESS', 'ERROR'];

/** What the runs table shows, as the URL says it: `workflow`, `agent`, `status`, `order`, `asc`. */
export interface RunView {
  filter: RunFilter;
  /** One of the API's orders, and its direction. */
  sort: TableSort<RunOrder>;
}

/** The view from the URL's parameters; a value the API would refuse is left out. */
export function runViewFromParams(params: URLSearchParams): RunView {
  const workflow = params.get('workflow');
  const agentId = params.get('agent');
  const status = params.get('status') as RunStatus | null;
  const order = params.get('order') as RunOrder | null;
  const filter: RunFilter = {};
  if (workflow) filter.workflow = workflow;
  if (agentId) filter.agentId = agentId;
  if (status && STATUSES.includes(status)) filter.status = status;
  return {
    filter,
    sort: { key: order && ORDERS.includes(order) ? order : DEFAULT_RUN_SORT.key, direction: params.get('asc') === '1' ? 'ascending' : 'descending' },
  };
}

/** Whether a run belongs in a table filtered this way. */
export function runMatches(run: RunRowFragment, filter: RunFilter): boolean {
  if (filter.workflow && run.workflow !== filter.workflow) return false;
  if (filter.status && run.status !== filter.status) return false;
  if (filter.agentId && !run.agents.some((agent) => agent.id === filter.agentId)) return false;
  return true;
}

/**
 * A run pushed by `runUpdated` merged into the rows on screen: a run already shown is replaced
 * where it stands; a new one that matches the filter is put first when the table shows the
 * newest runs first (where the next fetch would put it), and otherwise left to the next fetch.
 */
export function mergeRunUpdate<T extends RunRowFragment>(rows: readonly T[], run: T, view: RunView): T[] {
  const index = rows.findIndex((row) => row.id === run.id);
  if (index !== -1) return rows.map((row, i) => (i === index ? run : row));
  if (!runMatches(run, view.filter)) return [...rows];
  if (view.sort.key === 'STARTED_AT' && view.sort.direction === 'descending') return [run, ...rows];
  return [...rows];
}

/** One row of the runs table, in words. */
export interface RunTableRow {
  id: string;
  workflow: string;
  startedAt: string;
  started: string;
  duration: string;
  calls: string;
  errors: number;
  cost: string;
  tokens: string;
  agents: string;
  models: string;
  failed: boolean;
}

/** The runs as the table writes them. */
export function prepareRunRows(runs: readonly RunRowFragment[], timeZone: string): RunTableRow[] {
  return runs.map((run) => ({
    id: run.id,
    workflow: run.workflow ?? '(no workflow)',
    startedAt: run.startedAt as string,
    started: formatDateTime(run.startedAt as string, timeZone),
    duration: formatLatency(run.durationMs),
    calls: formatCount(run.callCount),
    errors: run.errorCount,
    cost: formatDollars(run.totalCost),
    tokens: formatTokens(run.inputTokens + run.outputTokens),
    agents: run.agents.map((agent) => agent.name).join(', ') || '—',
    models: run.models.join(', '),
    failed: run.status === 'ERROR',
  }));
}

type RunCall = NonNullable<RunDetailQuery['run']>['calls'][number];

/** One call of a run's waterfall: where its bar starts and how wide it is, as shares of the run's span. */
export interface WaterfallBar {
  id: string;
  model: string;
  agent: string;
  /** From the run's start to the call's start, 0 to 1. */
  offset: number;
  /** The call's latency over the run's span, 0 to 1 (a sliver at least, so an instant call still shows). */
  width: number;
  startsAfter: string;
  latency: string;
  tokens: string;
  cost: string;
  failed: boolean;
  error: string | null;
}

/** A run's waterfall: the span it covers and each call as a bar from `occurredAt − latencyMs` to `occurredAt`, oldest first. */
export interface Waterfall {
  span: string;
  bars: WaterfallBar[];
}

const MIN_WIDTH = 0.004;

/** Each call as a bar on the run's time line, from its start (occurredAt − latencyMs) to its end. */
export function prepareWaterfall(run: { startedAt: unknown; durationMs: number; calls: readonly RunCall[] }): Waterfall {
  const start = new Date(run.startedAt as string).getTime();
  const span = Math.max(run.durationMs, 1);
  const bars = [...run.calls]
    .map((call) => ({ call, begins: new Date(call.occurredAt as string).getTime() - call.latencyMs }))
    .sort((a, b) => a.begins - b.begins || a.call.id.localeCompare(b.call.id))
    .map(({ call, begins }) => {
      const offset = Math.min(1, Math.max(0, (begins - start) / span));
      return {
        id: call.id,
        model: call.modelId,
        agent: call.agent?.name ?? '—',
        offset,
        width: Math.min(1 - offset, Math.max(MIN_WIDTH, call.latencyMs / span)),
        startsAfter: `+${formatLatency(Math.max(0, begins - start))}`,
        latency: formatLatency(call.latencyMs),
        tokens: `${formatTokens(call.inputTokens)} in · ${formatTokens(call.outputTokens)} out`,
        cost: formatDollars(call.totalCost),
        failed: call.status !== 'SUCCESS',
        error: call.status !== 'SUCCESS' ? (call.errorType ?? call.status.toLowerCase()) : null,
      };
    });
  return { span: formatLatency(run.durationMs), bars };
}

/** One workflow's line of the Workflows card. */
export interface WorkflowRow {
  workflow: string;
  runs: string;
  successRate: string;
  /** The share of failed runs is worth a colour when it is more than one in ten. */
  struggling: boolean;
  p95Duration: string;
  costPerRun: string;
  totalCost: string;
}

/** The workflows as the card writes them, in the API's order (costliest first). */
export function prepareWorkflows(stats: WorkflowStatsQuery['workflowStats']): WorkflowRow[] {
  return stats.map((stat) => ({
    workflow: stat.workflow,
    runs: formatCount(stat.runs),
    successRate: formatPercent(stat.successRate),
    struggling: stat.successRate < 0.9,
    p95Duration: formatLatency(stat.p95DurationMs),
    costPerRun: formatDollars(stat.costPerRun),
    totalCost: formatDollars(stat.totalCost),
  }));
}

const DAY_MS = 86_400_000;

/**
 * Each workflow's cost per day, from the first day any workflow cost something to the last, a
 * day without a cost of its own a zero (a gap in a trend would read as missing data). Calls
 * naming no workflow ('') are left out: the card lists workflows.
 */
export function prepareWorkflowTrends(rows: WorkflowTrendQuery['usageMetrics']['rows']): Map<string, number[]> {
  const days = rows.map((row) => Date.parse(row.bucket as string)).filter((t) => !Number.isNaN(t));
  const trends = new Map<string, number[]>();
  if (days.length === 0) return trends;
  const first = Math.min(...days);
  const length = Math.round((Math.max(...days) - first) / DAY_MS) + 1;
  for (const row of rows) {
    const workflow = row.dimensions[0]?.value ?? '';
    if (workflow === '') continue;
    const series = trends.get(workflow) ?? new Array<number>(length).fill(0);
    series[Math.round((Date.parse(row.bucket as string) - first) / DAY_MS)] = row.values.find((v) => v.metric === 'TOTAL_COST')?.value ?? 0;
    trends.set(workflow, series);
  }
  return trends;
}
