import type { LlmCallInputValues } from '../ingest/validate-call';
import {
  DEMO_ERROR_TYPES,
  DEMO_MODELS,
  type DemoAgent,
  type DemoIncident,
  type DemoModel,
  type DemoRequestType,
  type DemoWorkspace,
} from './demo.catalogue';
import { createRandom, deriveSeed, type Random } from './random';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const MAX_INPUT_TOKENS = 150_000;
const MAX_OUTPUT_TOKENS = 16_000;
/** Traffic at the end of the data set relative to its start. */
const GROWTH = 1.5;

const MODELS = new Map<string, DemoModel>(DEMO_MODELS.map((m) => [m.modelId, m]));

/** What shapes a demo data set; the same options give the same calls. */
export interface DemoDataOptions {
  seed: number;
  /** The data set's time axis ends here. */
  now: Date;
  /** How far back the data set reaches. */
  days: number;
}

/** How many of `total` calls each workspace gets: its share, the last one taking the remainder. */
export function callsPerWorkspace(total: number, workspaces: readonly DemoWorkspace[]): number[] {
  const counts = workspaces.map((w) => Math.round(total * w.share));
  counts[counts.length - 1] = total - counts.slice(0, -1).reduce((sum, n) => sum + n, 0);
  return counts;
}

function circularHourDistance(a: number, b: number): number {
  const d = Math.abs(a - b) % 24;
  return Math.min(d, 24 - d);
}

/** Relative traffic of each hour of the data set: growth, weekday/weekend, time of day, day-to-day noise. */
function hourWeights(workspace: DemoWorkspace, start: number, hours: number, random: Random): number[] {
  const dayNoise = Array.from({ length: Math.ceil(hours / 24) + 1 }, () => random.lognormal(1, 0.12));
  return Array.from({ length: hours }, (_, i) => {
    const at = new Date(start + i * HOUR_MS);
    const weekday = at.getUTCDay() === 0 || at.getUTCDay() === 6 ? workspace.weekendFactor : 1;
    const distance = circularHourDistance(at.getUTCHours(), workspace.peakHourUtc);
    const timeOfDay = 0.12 + Math.exp(-(distance * distance) / (2 * 3.5 * 3.5));
    const growth = 1 + (GROWTH - 1) * (i / hours);
    return growth * weekday * timeOfDay * dayNoise[Math.floor(i / 24)];
  });
}

/** Splits `total` over the hours in proportion to their weights, exactly (the counts add up to `total`). */
function allocate(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  let cumulative = 0;
  let placed = 0;
  return weights.map((w) => {
    cumulative += w;
    const upTo = Math.round((total * cumulative) / sum);
    const count = upTo - placed;
    placed = upTo;
    return count;
  });
}

type ModelMix = readonly (readonly [DemoModel, number])[];
const mixes = new WeakMap<DemoAgent, Map<number, ModelMix>>();

/** The agent's models in use on `day`, with their weights (kept, as every call asks). */
function activeModels(agent: DemoAgent, day: number): ModelMix {
  let byDay = mixes.get(agent);
  if (!byDay) mixes.set(agent, (byDay = new Map()));
  let mix = byDay.get(day);
  if (!mix) {
    mix = agent.models
      .filter((m) => (m.fromDay === undefined || day >= m.fromDay) && (m.untilDay === undefined || day < m.untilDay))
      .map((m) => [MODELS.get(m.modelId)!, m.weight] as const);
    byDay.set(day, mix);
  }
  return mix;
}

function incidentAt(workspace: DemoWorkspace, modelId: string, at: number, end: number): DemoIncident | undefined {
  return workspace.incidents.find((incident) => {
    if (incident.modelId !== modelId) return false;
    const day = Math.floor((end - incident.daysAgo * DAY_MS) / DAY_MS) * DAY_MS;
    const from = day + incident.startHourUtc * HOUR_MS;
    return at >= from && at < from + incident.hours * HOUR_MS;
  });
}

/** Where a call is made: which workspace, which agent, which day of the data set, and when the data set ends. */
export interface CallSetting {
  workspace: DemoWorkspace;
  agent: DemoAgent;
  requestType: DemoRequestType;
  /** Days since the data set began (picks the models in use). */
  day: number;
  end: number;
}

/** One call as `setting.agent` would make it; its latency says how long it took. */
export function demoCall(random: Random, setting: CallSetting, at: number, eventId: string, executionId: string | null): LlmCallInputValues {
  const { workspace, agent, requestType } = setting;
  const model = random.weighted(activeModels(agent, setting.day));
  let inputTokens = Math.min(MAX_INPUT_TOKENS, Math.max(1, Math.round(random.lognormal(agent.inputTokens.median, agent.inputTokens.sigma))));
  let outputTokens =
    agent.outputTokens.median === 0
      ? 0
      : Math.min(MAX_OUTPUT_TOKENS, Math.max(1, Math.round(random.lognormal(agent.outputTokens.median, agent.outputTokens.sigma))));
  let cacheReadTokens = 0;
  let cacheWriteTokens = 0;
  if (model.caches && random.chance(agent.cacheShare)) cacheReadTokens = Math.floor(inputTokens * random.between(0.4, 0.85));
  else if (model.caches && model.provider === 'anthropic' && random.chance(0.08)) {
    cacheWriteTokens = Math.floor(inputTokens * random.between(0.3, 0.7));
  }
  let latencyMs = Math.round(random.lognormal(model.baseLatencyMs, 0.45) + outputTokens * model.msPerOutputToken * random.between(0.8, 1.25));

  const incident = incidentAt(workspace, model.modelId, at, setting.end);
  const failed = random.chance(incident ? incident.errorRate : model.errorRate);
  let errorType: string | null = null;
  if (failed) {
    errorType = incident && random.chance(0.9) ? incident.errorType : random.weighted(DEMO_ERROR_TYPES);
    outputTokens = 0;
    if (errorType === 'rate_limit' || errorType === 'context_length_exceeded') {
      // Refused before any work: nothing is billed.
      inputTokens = 0;
      cacheReadTokens = 0;
      cacheWriteTokens = 0;
      latencyMs = Math.round(random.lognormal(120, 0.5));
    } else if (errorType === 'timeout') latencyMs = random.int(30_000, 60_000);
  }
  const reasoningTokens = model.reasoningShare && outputTokens > 0 ? Math.floor(outputTokens * random.between(0.5, 1.5) * model.reasoningShare) : 0;
  const isByok = workspace.byokShare > 0 && model.provider !== 'self-hosted' && random.chance(workspace.byokShare);

  return {
    eventId,
    occurredAt: new Date(at),
    modelId: model.modelId,
    provider: model.provider,
    inputTokens,
    outputTokens,
    cacheReadTokens,
    cacheWriteTokens,
    reasoningTokens: Math.min(reasoningTokens, outputTokens),
    latencyMs,
    status: failed ? 'ERROR' : 'SUCCESS',
    errorType,
    isByok,
    agentId: agent.id,
    executionId,
    requestType,
  };
}

/**
 * A number of calls from one agent that belong together: a workflow run is 3 to 30 calls in a
 * row, most of them short (at most `room`, the calls left to place).
 */
export function activitySize(random: Random, requestType: DemoRequestType, room: number): number {
  if (requestType !== 'workflow') return 1;
  return Math.min(room, random.chance(0.2) ? random.int(10, 30) : random.int(3, 9));
}

/** Customers of a demo workspace: a few heavy ones, a long tail of light ones. */
const DEMO_CUSTOMERS = 400;
const DEMO_FEATURES: readonly (readonly [string, number])[] = [
  ['search', 5],
  ['chat', 6],
  ['summarize', 3],
  ['extract', 2],
];
const DEMO_PLANS: readonly (readonly [string, number])[] = [
  ['free', 6],
  ['pro', 3],
  ['enterprise', 1],
];

/** Who an activity (a call, or a run's calls) is for: the end user, the session, tags and metadata. */
export type DemoAttribution = Pick<LlmCallInputValues, 'userId' | 'sessionId' | 'tags' | 'metadata'>;

/**
 * One activity's attribution. A user is drawn log-uniformly from DEMO_CUSTOMERS (customer 1 is
 * far busier than customer 300), one call in ten names no user, and each user keeps a plan.
 */
export function demoAttribution(random: Random, workspace: DemoWorkspace): DemoAttribution {
  const feature = random.weighted(DEMO_FEATURES);
  const environment = random.chance(0.9) ? 'prod' : 'staging';
  const tags = [environment, random.chance(0.6) ? 'eu' : 'us', ...(random.chance(0.15) ? ['beta'] : [])];
  if (random.chance(0.1)) return { userId: null, sessionId: null, tags: [...tags, 'batch'], metadata: { feature } };
  const customer = Math.floor(DEMO_CUSTOMERS ** random.next());
  const plan = DEMO_PLANS[customer % DEMO_PLANS.length][0];
  return {
    userId: `${workspace.slug}-customer-${String(customer).padStart(3, '0')}`,
    sessionId: `sess-${Math.floor(random.next() * 1e9).toString(36)}`,
    tags,
    metadata: { feature, plan, app: random.chance(0.7) ? 'web' : 'mobile' },
  };
}

/** The workflows and recipes demo runs belong to, each with how often it runs. */
export const DEMO_WORKFLOWS: readonly (readonly [string, number])[] = [
  ['nightly report', 2],
  ['ticket triage', 5],
  ['research', 3],
  ['lead enrichment', 2],
  ['code review', 2],
];

/**
 * One workspace's demo calls, oldest first, in batches of at most `batchSize`. The calls fill the
 * `options.days` before `options.now`, shaped by the workspace's catalogue entry; event ids are
 * `demo-<slug>-<n>`, so the same options always give the same calls.
 */
export function* demoCallBatches(
  workspace: DemoWorkspace,
  count: number,
  options: DemoDataOptions,
  batchSize = 1000,
): Generator<LlmCallInputValues[]> {
  const random = createRandom(deriveSeed(options.seed, workspace.slug));
  // Attribution draws come from their own sequence: the calls stay what they were without them.
  const attributionRandom = createRandom(deriveSeed(options.seed, `${workspace.slug}/attribution`));
  const end = options.now.getTime();
  const hours = options.days * 24;
  const start = end - hours * HOUR_MS;
  const perHour = allocate(count, hourWeights(workspace, start, hours, random));
  const agents = workspace.agents.map((a) => [a, a.weight] as const);
  let sequence = 0;
  let runs = 0;
  let pending: LlmCallInputValues[] = [];

  for (let hour = 0; hour < hours; hour++) {
    const from = start + hour * HOUR_MS;
    const until = from + HOUR_MS;
    const day = Math.floor(hour / 24);
    const drafts: { at: number; call: LlmCallInputValues }[] = [];
    let room = perHour[hour];
    while (room > 0) {
      const agent = random.weighted(agents);
      const requestType = random.weighted(agent.requestTypes);
      const size = activitySize(random, requestType, room);
      const executionId = requestType === 'workflow' ? `demo-${workspace.slug}-run-${++runs}` : null;
      const workflow = executionId ? random.weighted(DEMO_WORKFLOWS) : null;
      const attribution = demoAttribution(attributionRandom, workspace);
      let at = from + Math.floor(random.next() * HOUR_MS);
      for (let step = 0; step < size; step++) {
        const time = Math.min(at, until - 1);
        // The call's own draws happen now, so the data does not depend on the sort below.
        const call = { ...demoCall(random, { workspace, agent, requestType, day, end }, time, '', executionId), workflow, ...attribution };
        drafts.push({ at: time, call });
        at = time + call.latencyMs + random.int(50, 1500);
      }
      room -= size;
    }
    drafts.sort((a, b) => a.at - b.at);
    for (const draft of drafts) {
      draft.call.eventId = `demo-${workspace.slug}-${String(++sequence).padStart(7, '0')}`;
      pending.push(draft.call);
      if (pending.length === batchSize) {
        yield pending;
        pending = [];
      }
    }
  }
  if (pending.length > 0) yield pending;
}
