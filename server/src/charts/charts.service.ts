import { listAgents } from '../agents/agents.service';
import type { Db, EntityAccess } from '../db/db';
import { badInput } from '../graphql/errors';
import type { Dimension, Metric, MetricsQuery, MetricsRowValue, Scope } from '../metrics/metrics.model';
import { runMetrics, validateMetricsQuery } from '../metrics/metrics.service';
import { toMetricsQuery } from '../usage/usage.resolver';
import { getWorkspace } from '../workspaces/workspaces.service';
import { buildChart, type ChartValues } from './chart-builder';
import { CHART_PRESETS, findPreset } from './chart-presets';
import { interpretQuestion, type ChartType, type KnownEntities, type MetricsQueryJson, type ParseContext, type UsageFilterJson } from './question-parser';

/** A chart and the metrics query it ran, as JSON that usageMetrics accepts unchanged. */
export interface ChartAnswer extends ChartValues {
  interpretedAs: MetricsQueryJson;
}

/** What analyticsChart was asked: exactly one of a question and a preset id. */
export interface ChartRequest {
  query?: string | null;
  presetId?: string | null;
  chartType?: ChartType | null;
}

/** Who asks: the scope the data comes from, the workspace whose timezone applies, and whether the key is an admin's. */
export interface ChartAsker {
  scope: Scope;
  workspaceId: string;
  isAdmin: boolean;
}

/** Names a question may filter by: those with calls in the scope, and its agents. Nothing from outside the scope. */
export async function loadKnownEntities(db: Db, scope: Scope, now: Date): Promise<KnownEntities> {
  const range = { from: new Date('2000-01-01T00:00:00Z'), to: new Date(Math.ceil(now.getTime() / 3_600_000) * 3_600_000 + 3_600_000) };
  const [usage, agents] = await Promise.all([
    runMetrics(db, scope, { range, timezone: 'UTC', metrics: ['REQUESTS'], groupBy: ['MODEL', 'PROVIDER', 'REQUEST_TYPE', 'TIER'] }),
    listAgents(db, scope),
  ]);
  const distinct = (index: number) => [...new Set(usage.rows.map((row) => row.dimensions[index].value))].filter((v) => v !== '').sort();
  return {
    models: distinct(0),
    providers: distinct(1),
    requestTypes: distinct(2),
    tiers: distinct(3),
    agents: [...new Map(agents.map((a) => [a.id, { id: a.id, name: a.name }])).values()],
  };
}

/** The parser's context: the clock, the asker's workspace timezone, and the names known in the scope. */
export async function loadParseContext(db: Db & EntityAccess, asker: ChartAsker, now: Date): Promise<ParseContext> {
  const workspaceId = asker.scope.kind === 'workspace' ? asker.scope.workspaceId : asker.workspaceId;
  const [workspace, known] = await Promise.all([getWorkspace(db, workspaceId), loadKnownEntities(db, asker.scope, now)]);
  return { now, timezone: workspace?.timezone ?? 'UTC', known };
}

// TAG is left out: a tags filter keeps calls carrying every tag named, not any of the top ones.
const FILTER_OF_DIMENSION: Partial<Record<Dimension, 'modelIds' | 'providers' | 'agentIds' | 'tiers' | 'requestTypes' | 'userIds' | 'workflows'>> = {
  MODEL: 'modelIds',
  PROVIDER: 'providers',
  AGENT: 'agentIds',
  TIER: 'tiers',
  REQUEST_TYPE: 'requestTypes',
  USER: 'userIds',
  WORKFLOW: 'workflows',
};

/**
 * "top 5 models over time": the filter that keeps only the top groups. A group with no agent or
 * tier or workflow ('') has no filter value, and a split by workspace none at all: those keep every group.
 */
function narrowToTopGroups(filter: UsageFilterJson | undefined, groupBy: Dimension[], top: MetricsRowValue[]): UsageFilterJson | undefined {
  const narrowed: UsageFilterJson = { ...filter };
  groupBy.forEach((dimension, index) => {
    const values = [...new Set(top.map((row) => row.dimensions[index].value))];
    const key = FILTER_OF_DIMENSION[dimension];
    if (key && !values.includes('')) narrowed[key] = values;
    else if (dimension === 'IS_BYOK' && values.length === 1) narrowed.isByok = values[0] === 'true';
    else if (dimension === 'STATUS' && values.length === 1) narrowed.status = values[0] as UsageFilterJson['status'];
  });
  return Object.keys(narrowed).length > 0 ? narrowed : undefined;
}

function engineQuery(json: MetricsQueryJson, now: Date): MetricsQuery {
  return toMetricsQuery(
    {
      ...json,
      from: json.from ? new Date(json.from) : null,
      to: json.to ? new Date(json.to) : null,
    },
    now,
  );
}

/**
 * Answers a question (or a preset) with a chart: parse, run through the metrics engine, build.
 * A question the parser cannot place is BAD_USER_INPUT with what it understood and examples.
 */
export async function analyticsChart(db: Db & EntityAccess, asker: ChartAsker, request: ChartRequest, now: Date): Promise<ChartAnswer> {
  const hasQuery = request.query !== undefined && request.query !== null;
  const hasPreset = request.presetId !== undefined && request.presetId !== null;
  if (hasQuery && hasPreset) throw badInput('give either query or presetId, but got both');
  if (!hasQuery && !hasPreset) throw badInput('give a query (a question in plain words) or a presetId, but got neither');
  let question = request.query ?? '';
  let forcedChartType = request.chartType ?? null;
  if (hasPreset) {
    const preset = findPreset(request.presetId!);
    if (!preset) throw badInput(`presetId must be one of ${CHART_PRESETS.map((p) => p.id).join(', ')}, but got "${request.presetId}"`);
    question = preset.query;
    forcedChartType ??= preset.chartType;
  }

  const context = await loadParseContext(db, asker, now);
  const outcome = interpretQuestion(question, context);
  if (!outcome.ok) throw badInput(outcome.message);
  const { interpretation } = outcome;
  const asked = interpretation.query;
  const askedQuery = engineQuery(asked, now);
  validateMetricsQuery(askedQuery, asker.scope, asker.isAdmin);
  const metric: Metric = askedQuery.metrics[0];
  const run = (query: MetricsQuery) => runMetrics(db, asker.scope, query);
  const whole = { groupBy: [], bucket: null, orderBy: null, descending: null, limit: null };

  const split = askedQuery.groupBy.length > 0;
  const timed = !!askedQuery.bucket;
  // The whole range in one row, with the request count that tells an empty answer from a zero.
  const overallMetrics: Metric[] = [...new Set<Metric>([...askedQuery.metrics, 'REQUESTS'])];
  const [groupTotals, overall, timeline] = await Promise.all([
    split && timed ? run({ ...askedQuery, bucket: null, orderBy: metric, descending: interpretation.ranking !== 'least', limit: null }) : null,
    run({ ...askedQuery, ...whole, metrics: overallMetrics }),
    split && timed ? run({ ...askedQuery, groupBy: [], orderBy: null, descending: null, limit: null }) : null,
  ]);

  let finalJson = asked;
  if (split && timed && interpretation.topGroups !== null && groupTotals && groupTotals.rows.length > interpretation.topGroups) {
    const filter = narrowToTopGroups(asked.filter, askedQuery.groupBy, groupTotals.rows.slice(0, interpretation.topGroups));
    finalJson = { ...asked, ...(filter ? { filter } : {}) };
  }
  const finalQuery = finalJson === asked ? askedQuery : engineQuery(finalJson, now);
  const main = await run({ ...finalQuery, limit: null });
  const overallValues = overall.rows[0]?.values ?? {};

  const chart = buildChart({
    interpretation,
    query: finalQuery,
    rows: main.rows,
    overall: overallValues,
    hasData: (overallValues.REQUESTS ?? 0) > 0,
    groupTotals: groupTotals?.rows ?? null,
    timeline: timeline?.rows ?? null,
    askedFilter: asked.filter,
    agentNames: new Map(context.known.agents.map((a) => [a.id, a.name])),
    forcedChartType,
  });
  return { ...chart, interpretedAs: finalJson };
}
