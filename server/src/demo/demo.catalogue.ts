import { MAIN_WORKSPACE_ID } from '../bootstrap';

/** A model the demo calls, and how it behaves. */
export interface DemoModel {
  modelId: string;
  provider: string;
  /** Median time before the first output token. */
  baseLatencyMs: number;
  /** Time per output token. */
  msPerOutputToken: number;
  /** Share of calls that fail on an ordinary day. */
  errorRate: number;
  /** Whether the provider reports cache reads (and, for Anthropic, cache writes). */
  caches: boolean;
  /** Share of output tokens spent on reasoning, for reasoning models. */
  reasoningShare?: number;
}

export type DemoRequestType = 'chat' | 'workflow' | 'embedding' | 'tool_call';

/** One model in an agent's mix; `fromDay`/`untilDay` (days into the data set) model a migration. */
export interface ModelShare {
  modelId: string;
  weight: number;
  fromDay?: number;
  untilDay?: number;
}

/** An agent: what it calls and how big its prompts and answers are. */
export interface DemoAgent {
  /** The agentId calls carry; null for calls made outside any agent. */
  id: string | null;
  name: string;
  /** Share of the workspace's calls. */
  weight: number;
  models: ModelShare[];
  requestTypes: readonly (readonly [DemoRequestType, number])[];
  inputTokens: { median: number; sigma: number };
  outputTokens: { median: number; sigma: number };
  /** Share of calls that reuse a cached prompt prefix. */
  cacheShare: number;
}

/** A period where one model in one workspace fails far more often than usual. */
export interface DemoIncident {
  modelId: string;
  /** Days before the end of the data set. */
  daysAgo: number;
  startHourUtc: number;
  hours: number;
  errorRate: number;
  errorType: string;
}

/** A demo workspace and the shape of its traffic. */
export interface DemoWorkspace {
  id: string;
  /** Short name used in event and execution ids. */
  slug: string;
  name: string;
  plan: string;
  /** Share of all demo calls. */
  share: number;
  /** Share of provider calls made with the workspace's own key. */
  byokShare: number;
  /** UTC hour of the daily peak. */
  peakHourUtc: number;
  /** Weekend traffic relative to a weekday. */
  weekendFactor: number;
  agents: DemoAgent[];
  incidents: DemoIncident[];
}

/** Models the price registry knows, from four providers, and one self-hosted model it does not. */
export const DEMO_MODELS: DemoModel[] = [
  { modelId: 'gpt-4o', provider: 'openai', baseLatencyMs: 450, msPerOutputToken: 5, errorRate: 0.02, caches: true },
  { modelId: 'gpt-4o-mini', provider: 'openai', baseLatencyMs: 300, msPerOutputToken: 3, errorRate: 0.015, caches: true },
  { modelId: 'text-embedding-3-small', provider: 'openai', baseLatencyMs: 110, msPerOutputToken: 0, errorRate: 0.01, caches: false },
  { modelId: 'claude-sonnet-4-5', provider: 'anthropic', baseLatencyMs: 900, msPerOutputToken: 7, errorRate: 0.03, caches: true },
  { modelId: 'claude-3-5-sonnet-latest', provider: 'anthropic', baseLatencyMs: 800, msPerOutputToken: 7, errorRate: 0.03, caches: true },
  { modelId: 'claude-3-5-haiku-latest', provider: 'anthropic', baseLatencyMs: 400, msPerOutputToken: 4, errorRate: 0.02, caches: true },
  { modelId: 'gemini-2.0-flash', provider: 'google', baseLatencyMs: 280, msPerOutputToken: 2.5, errorRate: 0.02, caches: true },
  {
    modelId: 'gemini-2.5-pro',
    provider: 'google',
    baseLatencyMs: 1400,
    msPerOutputToken: 6,
    errorRate: 0.035,
    caches: true,
    reasoningShare: 0.4,
  },
  { modelId: 'mistral-large-latest', provider: 'mistral', baseLatencyMs: 600, msPerOutputToken: 6, errorRate: 0.025, caches: false },
  { modelId: 'mistral-small-latest', provider: 'mistral', baseLatencyMs: 250, msPerOutputToken: 3, errorRate: 0.02, caches: false },
  { modelId: 'internal-llama-8b', provider: 'self-hosted', baseLatencyMs: 350, msPerOutputToken: 4, errorRate: 0.04, caches: false },
];

/** The failures a call can end with, and how often each happens. */
export const DEMO_ERROR_TYPES: readonly (readonly [string, number])[] = [
  ['rate_limit', 45],
  ['timeout', 25],
  ['server_error', 20],
  ['context_length_exceeded', 10],
];

const DAYS_INTO_MIGRATION = 45;

/** The Pro and Free demo workspaces; the Enterprise one is the bootstrap admin's. */
export const DEMO_PRO_WORKSPACE_ID = '00000000-0000-4000-8000-00000000de01';
export const DEMO_FREE_WORKSPACE_ID = '00000000-0000-4000-8000-00000000de02';

/** Three workspaces on different plans, ten agents between them. */
export const DEMO_WORKSPACES: DemoWorkspace[] = [
  {
    id: MAIN_WORKSPACE_ID,
    slug: 'main',
    name: 'Main workspace',
    plan: 'enterprise',
    share: 0.6,
    byokShare: 0.15,
    peakHourUtc: 15,
    weekendFactor: 0.35,
    incidents: [],
    agents: [
      {
        id: 'support-bot',
        name: 'Support Bot',
        weight: 32,
        models: [
          { modelId: 'gpt-4o-mini', weight: 60 },
          { modelId: 'claude-3-5-haiku-latest', weight: 25 },
          { modelId: 'gpt-4o', weight: 15 },
        ],
        requestTypes: [
          ['chat', 80],
          ['tool_call', 20],
        ],
        inputTokens: { median: 1800, sigma: 0.6 },
        outputTokens: { median: 220, sigma: 0.7 },
        cacheShare: 0.5,
      },
      {
        id: 'research-agent',
        name: 'Research Agent',
        weight: 14,
        models: [
          { modelId: 'gemini-2.5-pro', weight: 40 },
          { modelId: 'claude-sonnet-4-5', weight: 35 },
          { modelId: 'gpt-4o', weight: 25 },
        ],
        requestTypes: [
          ['workflow', 70],
          ['tool_call', 30],
        ],
        inputTokens: { median: 6000, sigma: 0.7 },
        outputTokens: { median: 900, sigma: 0.6 },
        cacheShare: 0.3,
      },
      {
        id: 'code-reviewer',
        name: 'Code Reviewer',
        weight: 14,
        models: [
          { modelId: 'claude-3-5-sonnet-latest', weight: 80, untilDay: DAYS_INTO_MIGRATION },
          { modelId: 'claude-sonnet-4-5', weight: 80, fromDay: DAYS_INTO_MIGRATION },
          { modelId: 'gpt-4o', weight: 20 },
        ],
        requestTypes: [
          ['workflow', 60],
          ['chat', 40],
        ],
        inputTokens: { median: 9000, sigma: 0.6 },
        outputTokens: { median: 700, sigma: 0.6 },
        cacheShare: 0.45,
      },
      {
        id: 'doc-indexer',
        name: 'Doc Indexer',
        weight: 22,
        models: [{ modelId: 'text-embedding-3-small', weight: 1 }],
        requestTypes: [['embedding', 1]],
        inputTokens: { median: 700, sigma: 0.5 },
        outputTokens: { median: 0, sigma: 0 },
        cacheShare: 0,
      },
      {
        id: 'meeting-summarizer',
        name: 'Meeting Summarizer',
        weight: 13,
        models: [
          { modelId: 'claude-3-5-haiku-latest', weight: 50 },
          { modelId: 'gemini-2.0-flash', weight: 50 },
        ],
        requestTypes: [
          ['chat', 50],
          ['workflow', 50],
        ],
        inputTokens: { median: 12000, sigma: 0.5 },
        outputTokens: { median: 450, sigma: 0.5 },
        cacheShare: 0.1,
      },
      {
        id: null,
        name: 'No agent',
        weight: 5,
        models: [
          { modelId: 'gpt-4o', weight: 50 },
          { modelId: 'gpt-4o-mini', weight: 50 },
        ],
        requestTypes: [['chat', 1]],
        inputTokens: { median: 900, sigma: 0.8 },
        outputTokens: { median: 300, sigma: 0.8 },
        cacheShare: 0,
      },
    ],
  },
  {
    id: DEMO_PRO_WORKSPACE_ID,
    slug: 'northwind',
    name: 'Northwind Labs',
    plan: 'pro',
    share: 0.3,
    byokShare: 0.15,
    peakHourUtc: 10,
    weekendFactor: 0.3,
    incidents: [{ modelId: 'claude-sonnet-4-5', daysAgo: 19, startHourUtc: 9, hours: 4, errorRate: 0.35, errorType: 'rate_limit' }],
    agents: [
      {
        id: 'content-writer',
        name: 'Content Writer',
        weight: 40,
        models: [
          { modelId: 'claude-sonnet-4-5', weight: 50 },
          { modelId: 'mistral-large-latest', weight: 30 },
          { modelId: 'gpt-4o', weight: 20 },
        ],
        requestTypes: [
          ['chat', 60],
          ['workflow', 40],
        ],
        inputTokens: { median: 1500, sigma: 0.6 },
        outputTokens: { median: 1200, sigma: 0.5 },
        cacheShare: 0.2,
      },
      {
        id: 'data-analyst',
        name: 'Data Analyst',
        weight: 30,
        models: [
          { modelId: 'gpt-4o', weight: 40 },
          { modelId: 'gemini-2.5-pro', weight: 20 },
          { modelId: 'gemini-2.0-flash', weight: 40 },
        ],
        requestTypes: [
          ['tool_call', 50],
          ['workflow', 50],
        ],
        inputTokens: { median: 4000, sigma: 0.7 },
        outputTokens: { median: 500, sigma: 0.7 },
        cacheShare: 0.25,
      },
      {
        id: 'triage-bot',
        name: 'Triage Bot',
        weight: 30,
        models: [
          { modelId: 'internal-llama-8b', weight: 70 },
          { modelId: 'mistral-small-latest', weight: 30 },
        ],
        requestTypes: [['chat', 1]],
        inputTokens: { median: 600, sigma: 0.5 },
        outputTokens: { median: 60, sigma: 0.6 },
        cacheShare: 0,
      },
    ],
  },
  {
    id: DEMO_FREE_WORKSPACE_ID,
    slug: 'pebble',
    name: 'Pebble Studio',
    plan: 'free',
    share: 0.1,
    byokShare: 0,
    peakHourUtc: 20,
    weekendFactor: 0.8,
    incidents: [],
    agents: [
      {
        id: 'chat-helper',
        name: 'Chat Helper',
        weight: 65,
        models: [
          { modelId: 'gemini-2.0-flash', weight: 60 },
          { modelId: 'gpt-4o-mini', weight: 40 },
        ],
        requestTypes: [['chat', 1]],
        inputTokens: { median: 800, sigma: 0.7 },
        outputTokens: { median: 250, sigma: 0.7 },
        cacheShare: 0.1,
      },
      {
        id: 'faq-bot',
        name: 'FAQ Bot',
        weight: 35,
        models: [
          { modelId: 'mistral-small-latest', weight: 50 },
          { modelId: 'claude-3-5-haiku-latest', weight: 50 },
        ],
        requestTypes: [
          ['chat', 80],
          ['tool_call', 20],
        ],
        inputTokens: { median: 1200, sigma: 0.5 },
        outputTokens: { median: 150, sigma: 0.6 },
        cacheShare: 0.3,
      },
    ],
  },
];
