import { interpretQuestion, type MetricsQueryJson, type ParseContext } from '../src/charts/question-parser';
import { DIMENSION_CATALOGUE } from '../src/metrics/dimension-catalogue';
import { DIMENSIONS } from '../src/metrics/metrics.model';

// Wednesday 17 June 2026, 15:30 UTC: every time expression below is resolved against it.
const NOW = new Date('2026-06-17T15:30:00.000Z');
const KNOWN: ParseContext['known'] = {
  models: ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'claude-sonnet-4-5', 'claude-3-5-haiku-latest', 'gemini-2.5-pro', 'gemini-2.0-flash'],
  providers: ['openai', 'anthropic', 'google', 'self-hosted'],
  agents: [
    { id: 'support-bot', name: 'Support Bot' },
    { id: 'research-agent', name: 'Research Agent' },
  ],
  requestTypes: ['chat', 'workflow', 'embedding', 'tool_call'],
  tiers: ['free', 'pro'],
};
const context = (timezone = 'UTC'): ParseContext => ({ now: NOW, timezone, known: KNOWN });

const week = { period: 'LAST_7D', timezone: 'UTC' } as const;
const between = (from: string, to: string, timezone = 'UTC') => ({ from: `${from}:00.000Z`, to: `${to}:00.000Z`, timezone });
const untilNow = (from: string, timezone = 'UTC') => ({ from: `${from}:00.000Z`, to: NOW.toISOString(), timezone });

const CASES: [string, MetricsQueryJson][] = [
  // measures in everyday words and abbreviations
  ['cost by model', { ...week, metrics: ['TOTAL_COST'], groupBy: ['MODEL'] }],
  ['spend per provider', { ...week, metrics: ['TOTAL_COST'], groupBy: ['PROVIDER'] }],
  ['how much money did each agent spend', { ...week, metrics: ['TOTAL_COST'], groupBy: ['AGENT'] }],
  ['$ by vendor', { ...week, metrics: ['TOTAL_COST'], groupBy: ['PROVIDER'] }],
  ['input tokens by model', { ...week, metrics: ['INPUT_TOKENS'], groupBy: ['MODEL'] }],
  ['prompt vs completion tokens per agent', { ...week, metrics: ['INPUT_TOKENS', 'OUTPUT_TOKENS'], groupBy: ['AGENT'] }],
  ['total tokens across providers', { ...week, metrics: ['TOTAL_TOKENS'], groupBy: ['PROVIDER'] }],
  ['output cost by model', { ...week, metrics: ['OUTPUT_COST'], groupBy: ['MODEL'] }],
  ['reasoning tokens by model', { ...week, metrics: ['REASONING_TOKENS'], groupBy: ['MODEL'] }],
  ['thinking tokens per agent', { ...week, metrics: ['REASONING_TOKENS'], groupBy: ['AGENT'] }],
  ['cache read tokens per provider', { ...week, metrics: ['CACHE_READ_TOKENS'], groupBy: ['PROVIDER'] }],
  ['cached tokens by model', { ...week, metrics: ['CACHE_READ_TOKENS'], groupBy: ['MODEL'] }],
  ['cache write tokens by model', { ...week, metrics: ['CACHE_WRITE_TOKENS'], groupBy: ['MODEL'] }],
  ['unpriced requests by model', { ...week, metrics: ['UNPRICED_REQUESTS'], groupBy: ['MODEL'] }],
  ['requests by model', { ...week, metrics: ['REQUESTS'], groupBy: ['MODEL'] }],
  ['number of calls per agent', { ...week, metrics: ['REQUESTS'], groupBy: ['AGENT'] }],
  ['call volume by provider', { ...week, metrics: ['REQUESTS'], groupBy: ['PROVIDER'] }],
  ['reqs per model', { ...week, metrics: ['REQUESTS'], groupBy: ['MODEL'] }],
  ['latency by model', { ...week, metrics: ['AVG_LATENCY_MS'], groupBy: ['MODEL'] }],
  ['avg response time per provider', { ...week, metrics: ['AVG_LATENCY_MS'], groupBy: ['PROVIDER'] }],
  ['median latency by agent', { ...week, metrics: ['P50_LATENCY_MS'], groupBy: ['AGENT'] }],
  ['p99 lat by model', { ...week, metrics: ['P99_LATENCY_MS'], groupBy: ['MODEL'] }],
  ['95th percentile latency', { ...week, metrics: ['P95_LATENCY_MS'] }],
  ['p50 and p95 latency', { ...week, metrics: ['P50_LATENCY_MS', 'P95_LATENCY_MS'] }],
  ['how fast is each provider', { ...week, metrics: ['AVG_LATENCY_MS'], groupBy: ['PROVIDER'] }],
  ['errors by model', { ...week, metrics: ['ERROR_COUNT'], groupBy: ['MODEL'] }],
  ['failure rate per provider', { ...week, metrics: ['ERROR_RATE'], groupBy: ['PROVIDER'] }],
  ['error % by agent', { ...week, metrics: ['ERROR_RATE'], groupBy: ['AGENT'] }],
  ['percentage of failed calls by model', { ...week, metrics: ['ERROR_RATE'], groupBy: ['MODEL'] }],
  ['how many failed calls', { ...week, metrics: ['ERROR_COUNT'] }],
  ['cost and requests by model', { ...week, metrics: ['TOTAL_COST', 'REQUESTS'], groupBy: ['MODEL'] }],

  // groupings, top N, which … most/least
  ['cost by request type', { ...week, metrics: ['TOTAL_COST'], groupBy: ['REQUEST_TYPE'] }],
  ['cost per tier', { ...week, metrics: ['TOTAL_COST'], groupBy: ['TIER'] }],
  ['requests by byok', { ...week, metrics: ['REQUESTS'], groupBy: ['IS_BYOK'] }],
  ['byok vs platform cost', { ...week, metrics: ['TOTAL_COST'], groupBy: ['IS_BYOK'] }],
  ['requests by status', { ...week, metrics: ['REQUESTS'], groupBy: ['STATUS'] }],
  ['cost by model and agent', { ...week, metrics: ['TOTAL_COST'], groupBy: ['MODEL', 'AGENT'] }],
  ['top 3 models by cost', { ...week, metrics: ['TOTAL_COST'], groupBy: ['MODEL'], orderBy: 'TOTAL_COST', descending: true, limit: 3 }],
  ['top-5 agents by tokens', { ...week, metrics: ['TOTAL_TOKENS'], groupBy: ['AGENT'], orderBy: 'TOTAL_TOKENS', descending: true, limit: 5 }],
  ['bottom 2 providers by requests', { ...week, metrics: ['REQUESTS'], groupBy: ['PROVIDER'], orderBy: 'REQUESTS', descending: false, limit: 2 }],
  ['top model by tokens', { ...week, metrics: ['TOTAL_TOKENS'], groupBy: ['MODEL'], orderBy: 'TOTAL_TOKENS', descending: true, limit: 1 }],
  ['which model is the slowest', { ...week, metrics: ['AVG_LATENCY_MS'], groupBy: ['MODEL'], orderBy: 'AVG_LATENCY_MS', descending: true }],
  ['which provider had the fewest errors', { ...week, metrics: ['ERROR_COUNT'], groupBy: ['PROVIDER'], orderBy: 'ERROR_COUNT', descending: false }],
  ['cheapest models', { ...week, metrics: ['TOTAL_COST'], groupBy: ['MODEL'], orderBy: 'TOTAL_COST', descending: false }],
  ['most used agents', { ...week, metrics: ['REQUESTS'], groupBy: ['AGENT'], orderBy: 'REQUESTS', descending: true }],
  [
    'which agent spent the most this month?',
    { ...untilNow('2026-06-01T00:00'), metrics: ['TOTAL_COST'], groupBy: ['AGENT'], orderBy: 'TOTAL_COST', descending: true },
  ],

  // rolling ranges, calendar ranges, dates
  ['cost last 24 hours', { period: 'LAST_24H', timezone: 'UTC', metrics: ['TOTAL_COST'] }],
  ['cost in the last hour', { period: 'LAST_1H', timezone: 'UTC', metrics: ['TOTAL_COST'] }],
  ['cost past 3 days', { ...untilNow('2026-06-14T15:30'), metrics: ['TOTAL_COST'] }],
  ['cost over the last two weeks', { ...untilNow('2026-06-03T15:30'), metrics: ['TOTAL_COST'] }],
  ['cost past month', { period: 'LAST_30D', timezone: 'UTC', metrics: ['TOTAL_COST'] }],
  ['cost last 3 months', { period: 'LAST_90D', timezone: 'UTC', metrics: ['TOTAL_COST'] }],
  ['cost past 12h', { ...untilNow('2026-06-17T03:30'), metrics: ['TOTAL_COST'] }],
  ['cost last 7d', { ...week, metrics: ['TOTAL_COST'] }],
  ['cost today', { ...untilNow('2026-06-17T00:00'), metrics: ['TOTAL_COST'] }],
  ['cost yesterday', { ...between('2026-06-16T00:00', '2026-06-17T00:00'), metrics: ['TOTAL_COST'] }],
  ['cost the day before yesterday', { ...between('2026-06-15T00:00', '2026-06-16T00:00'), metrics: ['TOTAL_COST'] }],
  ['cost 2 days ago', { ...between('2026-06-15T00:00', '2026-06-16T00:00'), metrics: ['TOTAL_COST'] }],
  ['cost this week', { ...untilNow('2026-06-15T00:00'), metrics: ['TOTAL_COST'] }],
  ['cost last week', { ...between('2026-06-08T00:00', '2026-06-15T00:00'), metrics: ['TOTAL_COST'] }],
  ['cost this month', { ...untilNow('2026-06-01T00:00'), metrics: ['TOTAL_COST'] }],
  ['month to date spend', { ...untilNow('2026-06-01T00:00'), metrics: ['TOTAL_COST'] }],
  ['cost last month', { ...between('2026-05-01T00:00', '2026-06-01T00:00'), metrics: ['TOTAL_COST'] }],
  ['cost this year', { ...untilNow('2026-01-01T00:00'), metrics: ['TOTAL_COST'] }],
  ['cost since 2026-06-01', { ...untilNow('2026-06-01T00:00'), metrics: ['TOTAL_COST'] }],
  ['cost since june 3rd', { ...untilNow('2026-06-03T00:00'), metrics: ['TOTAL_COST'] }],
  ['cost since last monday', { ...untilNow('2026-06-15T00:00'), metrics: ['TOTAL_COST'] }],
  ['cost between 2026-05-01 and 2026-05-15', { ...between('2026-05-01T00:00', '2026-05-16T00:00'), metrics: ['TOTAL_COST'] }],
  ['cost from may 1 to may 15', { ...between('2026-05-01T00:00', '2026-05-16T00:00'), metrics: ['TOTAL_COST'] }],
  ['cost 1 June 2026 – 3 June 2026', { ...between('2026-06-01T00:00', '2026-06-04T00:00'), metrics: ['TOTAL_COST'] }],
  ['cost on 2026-06-03', { ...between('2026-06-03T00:00', '2026-06-04T00:00'), metrics: ['TOTAL_COST'] }],
  ['cost in march', { ...between('2026-03-01T00:00', '2026-04-01T00:00'), metrics: ['TOTAL_COST'] }],
  ['cost in 2025', { ...between('2025-01-01T00:00', '2026-01-01T00:00'), metrics: ['TOTAL_COST'] }],
  ['requests during 2026', { ...untilNow('2026-01-01T00:00'), metrics: ['REQUESTS'] }],
  ['monthly requests since january', { ...untilNow('2026-01-01T00:00'), metrics: ['REQUESTS'], bucket: 'MONTH' }],
  ['requests since september', { ...untilNow('2025-09-01T00:00'), metrics: ['REQUESTS'] }],
  ['requests since march 2025', { ...untilNow('2025-03-01T00:00'), metrics: ['REQUESTS'] }],
  ['cost in december', { ...between('2025-12-01T00:00', '2026-01-01T00:00'), metrics: ['TOTAL_COST'] }],

  // buckets, "over time", "trend"
  ['daily cost last 30 days', { period: 'LAST_30D', timezone: 'UTC', metrics: ['TOTAL_COST'], bucket: 'DAY' }],
  ['cost per day by model last week', { ...between('2026-06-08T00:00', '2026-06-15T00:00'), metrics: ['TOTAL_COST'], groupBy: ['MODEL'], bucket: 'DAY' }],
  ['hourly requests today', { ...untilNow('2026-06-17T00:00'), metrics: ['REQUESTS'], bucket: 'HOUR' }],
  ['weekly tokens since 2026-04-01', { ...untilNow('2026-04-01T00:00'), metrics: ['TOTAL_TOKENS'], bucket: 'WEEK' }],
  ['monthly cost this year', { ...untilNow('2026-01-01T00:00'), metrics: ['TOTAL_COST'], bucket: 'MONTH' }],
  ['cost over time', { period: 'LAST_30D', timezone: 'UTC', metrics: ['TOTAL_COST'], bucket: 'DAY' }],
  ['latency trend yesterday', { ...between('2026-06-16T00:00', '2026-06-17T00:00'), metrics: ['AVG_LATENCY_MS'], bucket: 'HOUR' }],
  ['daily requests', { period: 'LAST_30D', timezone: 'UTC', metrics: ['REQUESTS'], bucket: 'DAY' }],
  ['busiest day this month', { ...untilNow('2026-06-01T00:00'), metrics: ['REQUESTS'], bucket: 'DAY' }],

  // timezones: named in the question
  ['cost today in Europe/Berlin', { ...untilNow('2026-06-16T22:00', 'Europe/Berlin'), metrics: ['TOTAL_COST'] }],
  ['requests yesterday PST', { ...between('2026-06-16T07:00', '2026-06-17T07:00', 'America/Los_Angeles'), metrics: ['REQUESTS'] }],
  ['cost by day in tokyo time', { period: 'LAST_30D', timezone: 'Asia/Tokyo', metrics: ['TOTAL_COST'], bucket: 'DAY' }],
  ['requests per hour today in asia/kolkata', { ...untilNow('2026-06-16T18:30', 'Asia/Kolkata'), metrics: ['REQUESTS'], bucket: 'HOUR' }],

  // filters on known names, errors only, BYOK only
  ['cost for gpt-4o', { ...week, metrics: ['TOTAL_COST'], filter: { modelIds: ['gpt-4o'] } }],
  ['requests only anthropic', { ...week, metrics: ['REQUESTS'], filter: { providers: ['anthropic'] } }],
  ['tokens for agent support-bot', { ...week, metrics: ['TOTAL_TOKENS'], filter: { agentIds: ['support-bot'] } }],
  ['Support Bot latency', { ...week, metrics: ['AVG_LATENCY_MS'], filter: { agentIds: ['support-bot'] } }],
  ['chat requests', { ...week, metrics: ['REQUESTS'], filter: { requestTypes: ['chat'] } }],
  ['cost of errors only by model', { ...week, metrics: ['TOTAL_COST'], groupBy: ['MODEL'], filter: { status: 'ERROR' } }],
  ['cost of failed calls', { ...week, metrics: ['TOTAL_COST'], filter: { status: 'ERROR' } }],
  ['byok only cost', { ...week, metrics: ['TOTAL_COST'], filter: { isByok: true } }],
  ['non-byok requests', { ...week, metrics: ['REQUESTS'], filter: { isByok: false } }],
  ['cost by model for openai, byok only, errors only', { ...week, metrics: ['TOTAL_COST'], groupBy: ['MODEL'], filter: { providers: ['openai'], isByok: true, status: 'ERROR' } }],
  ['gemini cost', { ...week, metrics: ['TOTAL_COST'], filter: { modelIds: ['gemini-2.5-pro', 'gemini-2.0-flash'] } }],
  ['gpt-4o vs gpt-4o-mini latency', { ...week, metrics: ['AVG_LATENCY_MS'], groupBy: ['MODEL'], filter: { modelIds: ['gpt-4o', 'gpt-4o-mini'] } }],
  // end users, tags and metadata
  ['cost per user', { ...week, metrics: ['TOTAL_COST'], groupBy: ['USER'] }],
  ['top 10 customers by cost last month', { ...between('2026-05-01T00:00', '2026-06-01T00:00'), metrics: ['TOTAL_COST'], groupBy: ['USER'], orderBy: 'TOTAL_COST', descending: true, limit: 10 }],
  ['cost by tag', { ...week, metrics: ['TOTAL_COST'], groupBy: ['TAG'] }],
  ['cost for tag prod', { ...week, metrics: ['TOTAL_COST'], filter: { tags: ['prod'] } }],
  ['requests tagged beta by model', { ...week, metrics: ['REQUESTS'], groupBy: ['MODEL'], filter: { tags: ['beta'] } }],
  ['cost for user u-42', { ...week, metrics: ['TOTAL_COST'], filter: { userIds: ['u-42'] } }],
  ['tokens where feature is search', { ...week, metrics: ['TOTAL_TOKENS'], filter: { metadata: [{ key: 'feature', value: 'search' }] } }],
  ['cost where plan = Pro and region is eu', { ...week, metrics: ['TOTAL_COST'], filter: { metadata: [{ key: 'plan', value: 'Pro' }, { key: 'region', value: 'eu' }] } }],
  ['requests feature=search', { ...week, metrics: ['REQUESTS'], filter: { metadata: [{ key: 'feature', value: 'search' }] } }],
  ['cost by provider excluding google', { ...week, metrics: ['TOTAL_COST'], groupBy: ['PROVIDER'], filter: { providers: ['openai', 'anthropic', 'self-hosted'] } }],

  // case, punctuation and word order
  ['COST BY MODEL!!!', { ...week, metrics: ['TOTAL_COST'], groupBy: ['MODEL'] }],
  ['By model, cost?', { ...week, metrics: ['TOTAL_COST'], groupBy: ['MODEL'] }],
  ['last 7 days: cost — by model', { ...week, metrics: ['TOTAL_COST'], groupBy: ['MODEL'] }],
  ['spend/model', { ...week, metrics: ['TOTAL_COST'], groupBy: ['MODEL'] }],

  // one-letter typos in model and provider names
  ['cost for gtp-4o', { ...week, metrics: ['TOTAL_COST'], filter: { modelIds: ['gpt-4o'] } }],
  ['cost for gpt-4o-mni', { ...week, metrics: ['TOTAL_COST'], filter: { modelIds: ['gpt-4o-mini'] } }],
  ['antropic requests', { ...week, metrics: ['REQUESTS'], filter: { providers: ['anthropic'] } }],
  ['opnai cost by model', { ...week, metrics: ['TOTAL_COST'], groupBy: ['MODEL'], filter: { providers: ['openai'] } }],
  ['Claude Sonet 4.5 latency', { ...week, metrics: ['AVG_LATENCY_MS'], filter: { modelIds: ['claude-sonnet-4-5'] } }],

  // more everyday phrasings: workflows, users, tags, tiers, request types, rankings, ranges
  ['what did we spend yesterday', { ...between('2026-06-16T00:00', '2026-06-17T00:00'), metrics: ['TOTAL_COST'] }],
  ['total spend this week by provider', { ...untilNow('2026-06-15T00:00'), metrics: ['TOTAL_COST'], groupBy: ['PROVIDER'] }],
  ['how many tokens did research agent use today', { ...untilNow('2026-06-17T00:00'), metrics: ['TOTAL_TOKENS'], filter: { agentIds: ['research-agent'] } }],
  ['show me p95 latency per model for the last 24 hours', { period: 'LAST_24H', timezone: 'UTC', metrics: ['P95_LATENCY_MS'], groupBy: ['MODEL'] }],
  ['error rate over time', { period: 'LAST_30D', timezone: 'UTC', metrics: ['ERROR_RATE'], bucket: 'DAY' }],
  ['cost per workflow', { ...week, metrics: ['TOTAL_COST'], groupBy: ['WORKFLOW'] }],
  ['requests by workflow last month', { ...between('2026-05-01T00:00', '2026-06-01T00:00'), metrics: ['REQUESTS'], groupBy: ['WORKFLOW'] }],
  ['which user spent the most', { ...week, metrics: ['TOTAL_COST'], groupBy: ['USER'], orderBy: 'TOTAL_COST', descending: true }],
  ['top 5 users by requests this week', { ...untilNow('2026-06-15T00:00'), metrics: ['REQUESTS'], groupBy: ['USER'], orderBy: 'REQUESTS', descending: true, limit: 5 }],
  ['tokens by tag last 30 days', { period: 'LAST_30D', timezone: 'UTC', metrics: ['TOTAL_TOKENS'], groupBy: ['TAG'] }],
  ['input cost for anthropic', { ...week, metrics: ['INPUT_COST'], filter: { providers: ['anthropic'] } }],
  ['cost of claude models', { ...week, metrics: ['TOTAL_COST'], groupBy: ['MODEL'], filter: { modelIds: ['claude-sonnet-4-5', 'claude-3-5-haiku-latest'] } }],
  ['average latency for gpt-4.1 yesterday', { ...between('2026-06-16T00:00', '2026-06-17T00:00'), metrics: ['AVG_LATENCY_MS'], filter: { modelIds: ['gpt-4.1'] } }],
  ['p50 latency daily this month', { ...untilNow('2026-06-01T00:00'), metrics: ['P50_LATENCY_MS'], bucket: 'DAY' }],
  ['weekly errors last 3 months', { period: 'LAST_90D', timezone: 'UTC', metrics: ['ERROR_COUNT'], bucket: 'WEEK' }],
  ['cost per hour yesterday', { ...between('2026-06-16T00:00', '2026-06-17T00:00'), metrics: ['TOTAL_COST'], bucket: 'HOUR' }],
  ['requests in the last 6 hours', { ...untilNow('2026-06-17T09:30'), metrics: ['REQUESTS'] }],
  ['cost past 48 hours', { ...untilNow('2026-06-15T15:30'), metrics: ['TOTAL_COST'] }],
  ['spend over the past 14 days', { ...untilNow('2026-06-03T15:30'), metrics: ['TOTAL_COST'] }],
  ['cost between june 1 and june 10', { ...between('2026-06-01T00:00', '2026-06-11T00:00'), metrics: ['TOTAL_COST'] }],
  ['cost from 2026-06-01 to 2026-06-07', { ...between('2026-06-01T00:00', '2026-06-08T00:00'), metrics: ['TOTAL_COST'] }],
  ['cost in may', { ...between('2026-05-01T00:00', '2026-06-01T00:00'), metrics: ['TOTAL_COST'] }],
  ['cost since monday', { ...untilNow('2026-06-15T00:00'), metrics: ['TOTAL_COST'] }],
  ['tokens last 2 weeks by agent', { ...untilNow('2026-06-03T15:30'), metrics: ['TOTAL_TOKENS'], groupBy: ['AGENT'] }],
  ['failed requests by provider yesterday', { ...between('2026-06-16T00:00', '2026-06-17T00:00'), metrics: ['ERROR_COUNT'], groupBy: ['PROVIDER'] }],
  ['successful calls per agent', { ...week, metrics: ['REQUESTS'], groupBy: ['AGENT'], filter: { status: 'SUCCESS' } }],
  ['how many requests did support bot make this week', { ...untilNow('2026-06-15T00:00'), metrics: ['REQUESTS'], filter: { agentIds: ['support-bot'] } }],
  ['most expensive agent', { ...week, metrics: ['TOTAL_COST'], groupBy: ['AGENT'], orderBy: 'TOTAL_COST', descending: true }],
  ['least used model', { ...week, metrics: ['REQUESTS'], groupBy: ['MODEL'], orderBy: 'REQUESTS', descending: false }],
  ['slowest provider', { ...week, metrics: ['AVG_LATENCY_MS'], groupBy: ['PROVIDER'], orderBy: 'AVG_LATENCY_MS', descending: true }],
  ['fastest model last month', { ...between('2026-05-01T00:00', '2026-06-01T00:00'), metrics: ['AVG_LATENCY_MS'], groupBy: ['MODEL'], orderBy: 'AVG_LATENCY_MS', descending: false }],
  ['which model failed the most', { ...week, metrics: ['ERROR_COUNT'], groupBy: ['MODEL'], orderBy: 'ERROR_COUNT', descending: true }],
  ['total tokens for google', { ...week, metrics: ['TOTAL_TOKENS'], filter: { providers: ['google'] } }],
  ['cost for pro tier', { ...week, metrics: ['TOTAL_COST'], filter: { tiers: ['pro'] } }],
  ['requests by tier this month', { ...untilNow('2026-06-01T00:00'), metrics: ['REQUESTS'], groupBy: ['TIER'] }],
  ['embedding requests per model', { ...week, metrics: ['REQUESTS'], groupBy: ['MODEL'], filter: { requestTypes: ['embedding'] } }],
  ['tool call cost', { ...week, metrics: ['TOTAL_COST'], filter: { requestTypes: ['tool_call'] } }],
  ['platform vs byok requests', { ...week, metrics: ['REQUESTS'], groupBy: ['IS_BYOK'] }],
  ['cost where region is us', { ...week, metrics: ['TOTAL_COST'], filter: { metadata: [{ key: 'region', value: 'us' }] } }],
  ['requests for user alice', { ...week, metrics: ['REQUESTS'], filter: { userIds: ['alice'] } }],
  ['cost tagged prod by agent', { ...week, metrics: ['TOTAL_COST'], groupBy: ['AGENT'], filter: { tags: ['prod'] } }],
  ['daily tokens per provider last 14 days', { ...untilNow('2026-06-03T15:30'), metrics: ['TOTAL_TOKENS'], groupBy: ['PROVIDER'], bucket: 'DAY' }],
  ['hourly error rate today', { ...untilNow('2026-06-17T00:00'), metrics: ['ERROR_RATE'], bucket: 'HOUR' }],
  ['gpt-4o cost per day', { period: 'LAST_30D', timezone: 'UTC', metrics: ['TOTAL_COST'], bucket: 'DAY', filter: { modelIds: ['gpt-4o'] } }],
  ['compare gpt-4o and claude-sonnet-4-5 cost', { ...week, metrics: ['TOTAL_COST'], groupBy: ['MODEL'], filter: { modelIds: ['gpt-4o', 'claude-sonnet-4-5'] } }],
  ['cost by model as a bar chart', { ...week, metrics: ['TOTAL_COST'], groupBy: ['MODEL'] }],
  ['share of cost by provider', { ...week, metrics: ['TOTAL_COST'], groupBy: ['PROVIDER'] }],
  ['latency p99 for openai this week', { ...untilNow('2026-06-15T00:00'), metrics: ['P99_LATENCY_MS'], filter: { providers: ['openai'] } }],
  ['output tokens per agent in the last hour', { period: 'LAST_1H', timezone: 'UTC', metrics: ['OUTPUT_TOKENS'], groupBy: ['AGENT'] }],
  ['what is our error rate', { ...week, metrics: ['ERROR_RATE'] }],
  ['total cost', { ...week, metrics: ['TOTAL_COST'] }],

  // quarters, weekends, fortnights, minutes, times of day, abbreviations and ranges that share a month
  ['cost in the past fortnight', { ...untilNow('2026-06-03T15:30'), metrics: ['TOTAL_COST'] }],
  ['cost in q1', { ...between('2026-01-01T00:00', '2026-04-01T00:00'), metrics: ['TOTAL_COST'] }],
  ['cost this quarter', { ...untilNow('2026-04-01T00:00'), metrics: ['TOTAL_COST'] }],
  ['spend by provider last quarter', { ...between('2026-01-01T00:00', '2026-04-01T00:00'), metrics: ['TOTAL_COST'], groupBy: ['PROVIDER'] }],
  ['requests in Q4 2025', { ...between('2025-10-01T00:00', '2026-01-01T00:00'), metrics: ['REQUESTS'] }],
  ['daily spend by model since the start of the month', { ...untilNow('2026-06-01T00:00'), metrics: ['TOTAL_COST'], groupBy: ['MODEL'], bucket: 'DAY' }],
  ['tokens for the support bot since the beginning of the year', { ...untilNow('2026-01-01T00:00'), metrics: ['TOTAL_TOKENS'], filter: { agentIds: ['support-bot'] } }],
  ['cost the week before last', { ...between('2026-06-01T00:00', '2026-06-08T00:00'), metrics: ['TOTAL_COST'] }],
  ['requests last weekend', { ...between('2026-06-13T00:00', '2026-06-15T00:00'), metrics: ['REQUESTS'] }],
  ['cost from march 3 to 9', { ...between('2026-03-03T00:00', '2026-03-10T00:00'), metrics: ['TOTAL_COST'] }],
  ['cost march 3-9', { ...between('2026-03-03T00:00', '2026-03-10T00:00'), metrics: ['TOTAL_COST'] }],
  ['cost 3–9 march', { ...between('2026-03-03T00:00', '2026-03-10T00:00'), metrics: ['TOTAL_COST'] }],
  ['cost between the 3rd and 9th of march', { ...between('2026-03-03T00:00', '2026-03-10T00:00'), metrics: ['TOTAL_COST'] }],
  ['requests from the 3rd to the 9th of march 2025', { ...between('2025-03-03T00:00', '2025-03-10T00:00'), metrics: ['REQUESTS'] }],
  ['cost 28th to 3rd of march', { ...between('2026-02-28T00:00', '2026-03-04T00:00'), metrics: ['TOTAL_COST'] }],
  ['cost last 12 months', { ...untilNow('2025-06-17T15:30'), metrics: ['TOTAL_COST'] }],
  ['claude-3-5-haiku-latest cost on 2026-03-09', { ...between('2026-03-09T00:00', '2026-03-10T00:00'), metrics: ['TOTAL_COST'], filter: { modelIds: ['claude-3-5-haiku-latest'] } }],
  ['tokens between the 1st and the 10th', { ...between('2026-06-01T00:00', '2026-06-11T00:00'), metrics: ['TOTAL_TOKENS'] }],
  ['errors since 9am', { ...untilNow('2026-06-17T09:00'), metrics: ['ERROR_COUNT'] }],
  ['requests in the last 30 mins', { ...untilNow('2026-06-17T15:00'), metrics: ['REQUESTS'] }],
  ['cost prev month', { ...between('2026-05-01T00:00', '2026-06-01T00:00'), metrics: ['TOTAL_COST'] }],
  ['Costs by model, last wk.', { ...between('2026-06-08T00:00', '2026-06-15T00:00'), metrics: ['TOTAL_COST'], groupBy: ['MODEL'] }],
  // more words for measures, and errors as the thing measured
  ['burn by model', { ...week, metrics: ['TOTAL_COST'], groupBy: ['MODEL'] }],
  ['token consumption by agent', { ...week, metrics: ['TOTAL_TOKENS'], groupBy: ['AGENT'] }],
  ['api calls per model yesterday', { ...between('2026-06-16T00:00', '2026-06-17T00:00'), metrics: ['REQUESTS'], groupBy: ['MODEL'] }],
  ['cache reads by model', { ...week, metrics: ['CACHE_READ_TOKENS'], groupBy: ['MODEL'] }],
  ['avg latency in ms by provider', { ...week, metrics: ['AVG_LATENCY_MS'], groupBy: ['PROVIDER'] }],
  ['errors only', { ...week, metrics: ['ERROR_COUNT'] }],
  ['only errors by model last week', { ...between('2026-06-08T00:00', '2026-06-15T00:00'), metrics: ['ERROR_COUNT'], groupBy: ['MODEL'] }],
  ['llm spend this month', { ...untilNow('2026-06-01T00:00'), metrics: ['TOTAL_COST'] }],
  // groupings named with a qualifier
  ['spend by llm provider', { ...week, metrics: ['TOTAL_COST'], groupBy: ['PROVIDER'] }],
  ['cost by model name', { ...week, metrics: ['TOTAL_COST'], groupBy: ['MODEL'] }],
  ['requests by end user', { ...week, metrics: ['REQUESTS'], groupBy: ['USER'] }],
  ['cost by service tier', { ...week, metrics: ['TOTAL_COST'], groupBy: ['TIER'] }],
  ['tokens per assistant', { ...week, metrics: ['TOTAL_TOKENS'], groupBy: ['AGENT'] }],
  // rankings with a count before them, and reliability
  ['3 most expensive models', { ...week, metrics: ['TOTAL_COST'], groupBy: ['MODEL'], orderBy: 'TOTAL_COST', descending: true, limit: 3 }],
  ['5 cheapest providers last month', { ...between('2026-05-01T00:00', '2026-06-01T00:00'), metrics: ['TOTAL_COST'], groupBy: ['PROVIDER'], orderBy: 'TOTAL_COST', descending: false, limit: 5 }],
  ['which model is used the most', { ...week, metrics: ['REQUESTS'], groupBy: ['MODEL'], orderBy: 'REQUESTS', descending: true }],
  ['most reliable provider', { ...week, metrics: ['ERROR_RATE'], groupBy: ['PROVIDER'], orderBy: 'ERROR_RATE', descending: false }],
  ['flakiest model this week', { ...untilNow('2026-06-15T00:00'), metrics: ['ERROR_RATE'], groupBy: ['MODEL'], orderBy: 'ERROR_RATE', descending: true }],
  // exclusions over a list, "but", plural request types
  [
    'cost by model, excluding gpt-4o and gpt-4o-mini',
    { ...week, metrics: ['TOTAL_COST'], groupBy: ['MODEL'], filter: { modelIds: ['gpt-4.1', 'claude-sonnet-4-5', 'claude-3-5-haiku-latest', 'gemini-2.5-pro', 'gemini-2.0-flash'] } },
  ],
  ['cost for everything but openai', { ...week, metrics: ['TOTAL_COST'], filter: { providers: ['anthropic', 'google', 'self-hosted'] } }],
  ['embeddings by model', { ...week, metrics: ['REQUESTS'], groupBy: ['MODEL'], filter: { requestTypes: ['embedding'] } }],
  // typos in the reader's own words, contractions, chart words
  ['cost by provdier', { ...week, metrics: ['TOTAL_COST'], groupBy: ['PROVIDER'] }],
  ['tokns per agent yesterday', { ...between('2026-06-16T00:00', '2026-06-17T00:00'), metrics: ['TOTAL_TOKENS'], groupBy: ['AGENT'] }],
  ["I'd like to see cost by model pls", { ...week, metrics: ['TOTAL_COST'], groupBy: ['MODEL'] }],
  ['horizontal bar chart of spend by provider', { ...week, metrics: ['TOTAL_COST'], groupBy: ['PROVIDER'] }],
];

describe('interpretQuestion', () => {
  it('has a corpus of at least 150 phrasings', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(150);
  });

  it.each(CASES)('reads "%s"', (question, expected) => {
    const outcome = interpretQuestion(question, context());
    if (!outcome.ok) throw new Error(outcome.message);
    expect(outcome.interpretation.query).toEqual(expected);
  });

  // Every noun the dimension catalogue gives a dimension groups by it, singular and plural alike.
  const catalogueNouns = DIMENSIONS.flatMap((dimension) => DIMENSION_CATALOGUE[dimension].nouns.flat().map((noun) => [noun, dimension] as const));
  it.each(catalogueNouns)('groups "cost by %s" by %s', (noun, dimension) => {
    const outcome = interpretQuestion(`cost by ${noun}`, context());
    if (!outcome.ok) throw new Error(outcome.message);
    expect(outcome.interpretation.query.groupBy).toEqual([dimension]);
  });

  it("takes days in the workspace's timezone when the question names none", () => {
    const outcome = interpretQuestion('cost yesterday', context('Asia/Tokyo'));
    expect(outcome.ok && outcome.interpretation.query).toEqual({ ...between('2026-06-16T15:00', '2026-06-17T15:00', 'Asia/Tokyo'), metrics: ['TOTAL_COST'] });
  });

  it('ranks whole groups for "top N" over time instead of limiting rows', () => {
    const outcome = interpretQuestion('top 3 models by cost over time', context());
    expect(outcome.ok && outcome.interpretation.topGroups).toBe(3);
    expect(outcome.ok && outcome.interpretation.query).toEqual({ period: 'LAST_30D', timezone: 'UTC', metrics: ['TOTAL_COST'], groupBy: ['MODEL'], bucket: 'DAY' });
  });

  it.each([
    ['share of requests by provider', 'asksForShare', true],
    ['cost by request type as a pie chart', 'namedChartType', 'PIE'],
    ['cost by model over the last 7 days', 'rangePhrase', 'over the last 7 days'],
    ['cost last week', 'rangeTitle', 'last week'],
    ['cost between 2026-05-01 and 2026-05-15', 'rangeTitle', '1 May – 15 May 2026'],
    ['cheapest model', 'ranking', 'least'],
  ])('reads "%s" with %s %p', (question, field, value) => {
    const outcome = interpretQuestion(question, context());
    expect(outcome.ok && outcome.interpretation[field as 'asksForShare']).toEqual(value);
  });
});

describe('questions it cannot read', () => {
  const EXAMPLES = 'Try a question like: "cost by model last 7 days", "p95 latency per model yesterday", "which agent spent the most this month?".';

  it.each([
    ['banana cost by model', `Could not place "banana" in the question "banana cost by model". Understood so far: cost, by model. ${EXAMPLES}`],
    ['asdf qwerty', `Could not place "asdf qwerty" in the question "asdf qwerty". Nothing in it names a measure, a grouping or a time range. ${EXAMPLES}`],
    [
      'models last week',
      `Found nothing to measure in the question "models last week": name cost, tokens, requests, latency or errors. Understood so far: by model, last week. ${EXAMPLES}`,
    ],
    [
      'cost for gpt-5',
      `Could not place "gpt-5" (not a model, provider or agent this workspace has used) in the question "cost for gpt-5". Understood so far: cost. ${EXAMPLES}`,
    ],
    [
      'cost for gpt-4x',
      `Could not place "gpt-4x" ("gpt 4x" is close to several names: gpt-4o, gpt-4.1) in the question "cost for gpt-4x". Understood so far: cost. ${EXAMPLES}`,
    ],
    [
      'cost yesterday last week',
      `Could not place "last week" (the question already names a time range: yesterday) in the question "cost yesterday last week". Understood so far: cost, yesterday. ${EXAMPLES}`,
    ],
    [
      'p90 latency',
      `Could not place "p90" (the percentiles on offer are p50, p95 and p99, but got p90) in the question "p90 latency". Understood so far: latency. ${EXAMPLES}`,
    ],
    ['median cost', `Could not place "median" ("median" goes with latency only) in the question "median cost". Understood so far: cost. ${EXAMPLES}`],
    [
      'cost per call',
      `Could not place "per call" (an average per call is not something the metrics engine measures; ask for the total and the number of requests) in the question "cost per call". Understood so far: cost. ${EXAMPLES}`,
    ],
    [
      'cost next 7 days',
      `Could not place "next 7 days" (a time range in the future has no data yet) in the question "cost next 7 days". Understood so far: cost. ${EXAMPLES}`,
    ],
    // words that name what every JavaScript object has are no words of the reader's
    ['cost in constructor', `Could not place "constructor" in the question "cost in constructor". Understood so far: cost. ${EXAMPLES}`],
    ['cost since constructor', `Could not place "since constructor" in the question "cost since constructor". Understood so far: cost. ${EXAMPLES}`],
    ['cache constructor tokens', `Could not place "cache constructor" in the question "cache constructor tokens". Understood so far: tokens. ${EXAMPLES}`],
    [
      'cost in 2027',
      `Could not place "2027" (a year in the future has no data yet, but got 2027) in the question "cost in 2027". Understood so far: cost. ${EXAMPLES}`,
    ],
    [
      'hourly cost last 90 days',
      `Hourly buckets over the last 90 days would draw 2,160 points, more than the 1,000 a chart shows: ask for a coarser bucket or a shorter range. ${EXAMPLES}`,
    ],
    ['', `The question is empty. ${EXAMPLES}`],
    // a ranking with nothing to rank would answer a bare total
    [
      'who spent the most',
      'The question "who spent the most" asks for the most, but of what? Name what to rank, as in "which agent spent the most", "which model cost the most" or "which day cost the most". Understood so far: cost, most.',
    ],
    [
      'least tokens yesterday',
      'The question "least tokens yesterday" asks for the least, but of what? Name what to rank, as in "which agent spent the least", "which model cost the least" or "which day cost the least". Understood so far: least, tokens, yesterday.',
    ],
  ])('refuses "%s" saying what it could not place', (question, message) => {
    const outcome = interpretQuestion(question, context());
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.message).toBe(message);
  });

  it('does not know a name that is not among the known ones', () => {
    const outcome = interpretQuestion('cost for secret-model-x', { ...context(), known: { ...KNOWN, models: [] } });
    expect(!outcome.ok && outcome.unplaced).toEqual(['"secret-model-x" (not a model, provider or agent this workspace has used)']);
  });
});
