import type { LlmCallRecord } from '../ingest/llm-call.record';
import { DIMENSIONS, type Dimension } from './metrics.model';

/** A UsageFilter field that lists values of one dimension. */
export type ListFilterField = 'modelIds' | 'providers' | 'agentIds' | 'tiers' | 'requestTypes' | 'workflows' | 'userIds' | 'tags';

/** The call record's properties that column filters match in JavaScript (NULL read as ''). */
type ColumnCallField = keyof Pick<LlmCallRecord, 'modelId' | 'provider' | 'agentId' | 'tier' | 'requestType' | 'workflow'>;

/** Everything the engine, the charts and the question reader know of one dimension. */
export interface DimensionDefinition {
  /** Its column in the unified source: raw rows and every rollup level expose it under this name. */
  column: string;
  /** How raw rows give that column: a call that names none reads as ''. */
  rawSql: string;
  /** What it groups by, for the GraphQL enum's documentation. */
  description: string;
  /** The dimension in words, for titles and messages: "request type". */
  words: string;
  /** Its groups counted, [one, many]: "1 model", "3 kinds of key". */
  groups: [string, string];
  /** The label of '' (calls that name none), when a call may name none. */
  noneLabel?: string;
  /** Labels of values that are fixed words rather than names. */
  fixedLabels?: Record<string, string>;
  /**
   * The UsageFilter list that keeps some of its values: matched on `rawSql` in SQL and on the
   * call's `callField` in the live feeds ('column'), or by the attribution filter, which knows
   * users and tags (see attribution-filter.ts).
   */
  filter?: { field: ListFilterField; matches: 'column'; callField: ColumnCallField } | { field: ListFilterField; matches: 'attribution' };
  /** The nouns a question names it by, each as [singular, plural], of one or two words: "cost by model", "top 3 models", "by end user". */
  nouns: [string, string][];
}

/** One entry per dimension: adding a dimension is an entry here (plus its rollup column, if it is rolled up). */
export const DIMENSION_CATALOGUE: Record<Dimension, DimensionDefinition> = {
  MODEL: {
    description: 'The model a call used, by the id it was sent with.',
    column: 'model_id',
    rawSql: 'model_id',
    words: 'model',
    groups: ['model', 'models'],
    filter: { field: 'modelIds', matches: 'column', callField: 'modelId' },
    nouns: [
      ['model', 'models'],
      ['llm', 'llms'],
    ],
  },
  PROVIDER: {
    description: 'The provider that served the call.',
    column: 'provider',
    rawSql: 'provider',
    words: 'provider',
    groups: ['provider', 'providers'],
    filter: { field: 'providers', matches: 'column', callField: 'provider' },
    nouns: [
      ['provider', 'providers'],
      ['vendor', 'vendors'],
    ],
  },
  AGENT: {
    description: `The agent that made the call, by id (the label is its name); '' ("No agent") for calls that name none.`,
    column: 'agent_id',
    rawSql: "coalesce(agent_id, '')",
    words: 'agent',
    groups: ['agent', 'agents'],
    noneLabel: 'No agent',
    filter: { field: 'agentIds', matches: 'column', callField: 'agentId' },
    nouns: [
      ['agent', 'agents'],
      ['bot', 'bots'],
      ['assistant', 'assistants'],
    ],
  },
  TIER: {
    description: `The provider's service tier of the call; '' ("No tier") when it names none.`,
    column: 'tier',
    rawSql: "coalesce(tier, '')",
    words: 'tier',
    groups: ['tier', 'tiers'],
    noneLabel: 'No tier',
    filter: { field: 'tiers', matches: 'column', callField: 'tier' },
    nouns: [
      ['tier', 'tiers'],
      ['service tier', 'service tiers'],
    ],
  },
  IS_BYOK: {
    description: `Whether the call used the workspace's own provider key ('true', "BYOK") or the platform's ('false', "Platform key").`,
    column: 'is_byok',
    rawSql: 'is_byok',
    words: 'BYOK or not',
    groups: ['kind of key', 'kinds of key'],
    fixedLabels: { true: 'BYOK', false: 'Platform key' },
    nouns: [],
  },
  REQUEST_TYPE: {
    description: 'The kind of request: chat, embedding, tool_call, workflow or another the caller named.',
    column: 'request_type',
    rawSql: 'request_type',
    words: 'request type',
    groups: ['request type', 'request types'],
    filter: { field: 'requestTypes', matches: 'column', callField: 'requestType' },
    nouns: [
      ['type', 'types'],
      ['kind', 'kinds'],
    ],
  },
  STATUS: {
    description: 'How the call ended: SUCCESS or ERROR.',
    column: 'status',
    rawSql: 'status',
    words: 'status',
    groups: ['status', 'statuses'],
    fixedLabels: { SUCCESS: 'Success', ERROR: 'Error' },
    nouns: [
      ['status', 'statuses'],
      ['outcome', 'outcomes'],
    ],
  },
  WORKSPACE: {
    description: 'The workspace of the call (admin keys only; the label is its name).',
    column: 'workspace_id',
    rawSql: 'workspace_id',
    words: 'workspace',
    groups: ['workspace', 'workspaces'],
    nouns: [['workspace', 'workspaces']],
  },
  WORKFLOW: {
    description: `The workflow the call ran in; '' ("No workflow") when it names none.`,
    column: 'workflow',
    rawSql: "coalesce(workflow, '')",
    words: 'workflow',
    groups: ['workflow', 'workflows'],
    noneLabel: 'No workflow',
    filter: { field: 'workflows', matches: 'column', callField: 'workflow' },
    nouns: [
      ['workflow', 'workflows'],
      ['recipe', 'recipes'],
    ],
  },
  USER: {
    description: `The end user the call was made for; '' ("No user") when it names none.`,
    column: 'user_id',
    rawSql: "coalesce(user_id, '')",
    words: 'user',
    groups: ['user', 'users'],
    noneLabel: 'No user',
    filter: { field: 'userIds', matches: 'attribution' },
    nouns: [
      ['user', 'users'],
      ['customer', 'customers'],
      ['end user', 'end users'],
    ],
  },
  TAG: {
    description: `Each tag of the call: a call counts once under each of its tags ('' when it has none), so the rows overlap.`,
    column: 'tag',
    rawSql: 'tag',
    words: 'tag',
    groups: ['tag', 'tags'],
    noneLabel: 'No tag',
    filter: { field: 'tags', matches: 'attribution' },
    nouns: [['tag', 'tags']],
  },
};

const entries = DIMENSIONS.map((dimension) => [dimension, DIMENSION_CATALOGUE[dimension]] as const);

/** A dimension in words: "model", "request type". */
export function dimensionWords(dimension: Dimension): string {
  return DIMENSION_CATALOGUE[dimension].words;
}

/** A list filter matched on its dimension's column. */
export interface ColumnFilter {
  field: ListFilterField;
  /** The column in the unified source (a rollup key). */
  column: string;
  /** The value in raw rows, NULL read as ''. */
  rawSql: string;
  callField: ColumnCallField;
}

/** The list filters matched on their dimension's column, in catalogue order. */
export const COLUMN_FILTERS: ColumnFilter[] = entries.flatMap(([, d]) =>
  d.filter?.matches === 'column' ? [{ field: d.filter.field, column: d.column, rawSql: d.rawSql, callField: d.filter.callField }] : [],
);

/** Every UsageFilter field that lists values of a dimension. */
export const LIST_FILTER_FIELDS: ListFilterField[] = entries.flatMap(([, d]) => (d.filter ? [d.filter.field] : []));

/** Each dimension's column in the unified source. */
export const DIMENSION_COLUMN = Object.fromEntries(entries.map(([dimension, d]) => [dimension, d.column])) as Record<Dimension, string>;

/** How raw rows give each dimension column, by column name. */
export const RAW_DIMENSION_COLUMNS: Record<string, string> = Object.fromEntries(entries.map(([, d]) => [d.column, d.rawSql]));
