import { CombinedGraphQLErrors } from '@apollo/client';
import { createSeriesColors } from '../../components/series-colors';
import type { OpenRouterAccountQuery, WorkspaceMemoryQuery } from '../../gql/graphql';
import { creditsTone, describeRateLimit, describeSync, importanceLevel, isNotConfigured, prepareCredits, prepareMemory } from './prepare-integrations';

const NOW = new Date('2025-06-15T12:00:00.000Z');

const account = (usedFraction: number, overrides: Partial<OpenRouterAccountQuery['openRouterKeyInfo']> = {}): OpenRouterAccountQuery => ({
  openRouterCredits: { __typename: 'OpenRouterCredits', totalCredits: 50, totalUsage: 50 * usedFraction, remaining: 50 - 50 * usedFraction, usedFraction },
  openRouterKeyInfo: {
    __typename: 'OpenRouterKeyInfo',
    label: 'sk-or-v1-abc…xyz',
    limit: 100,
    limitRemaining: 87.5,
    usage: 12.5,
    usageDaily: 0.75,
    usageWeekly: 4.25,
    usageMonthly: 12.5,
    isFreeTier: false,
    rateLimit: { __typename: 'OpenRouterRateLimit', requests: 200, interval: '10s' },
    ...overrides,
  },
});

describe('creditsTone', () => {
  it.each([
    [0, 'ok'],
    [0.699, 'ok'],
    [0.7, 'warn'],
    [0.85, 'warn'],
    [0.9, 'warn'],
    [0.901, 'danger'],
    [1.2, 'danger'],
  ] as const)('calls %s of the credits used %s', (fraction, tone) => {
    expect(creditsTone(fraction)).toBe(tone);
  });
});

describe('prepareCredits', () => {
  it('writes the bar, the amounts, the usage by day, week and month, and the key', () => {
    expect(prepareCredits(account(0.25))).toEqual({
      tone: 'ok',
      toneText: 'Plenty left',
      percent: 25,
      usedText: '25.0% used',
      amounts: '$12.50 of $50.00 used · $37.50 left',
      usage: [
        { label: 'Today (UTC)', value: '$0.75' },
        { label: 'This week', value: '$4.25' },
        { label: 'This month', value: '$12.50' },
      ],
      keyLine: 'Key sk-or-v1-abc…xyz · limit $100.00 ($87.50 left)',
      rateLimit: '200 requests every 10 seconds',
    });
  });

  it('keeps the bar within 100% when usage passes the credits, and says so in words', () => {
    const view = prepareCredits(account(1.25));
    expect(view.percent).toBe(100);
    expect(view.usedText).toBe('125.0% used');
    expect(view.toneText).toBe('Almost used up');
  });

  it('names a free-tier key without a label or limit', () => {
    expect(prepareCredits(account(0.8, { label: null, limit: null, limitRemaining: null, isFreeTier: true })).keyLine).toBe('free tier');
  });
});

describe('describeRateLimit', () => {
  it.each([
    [{ requests: 200, interval: '10s' }, '200 requests every 10 seconds'],
    [{ requests: 1, interval: '1m' }, '1 request a minute'],
    [{ requests: 1000, interval: '1h' }, '1,000 requests an hour'],
    [{ requests: 5, interval: '30 s' }, '5 requests every 30 seconds'],
    [{ requests: 20, interval: 'burst' }, '20 requests (interval: burst)'],
    [null, 'No rate limit reported for this key'],
  ])('writes %p as "%s"', (rateLimit, words) => {
    expect(describeRateLimit(rateLimit && { __typename: 'OpenRouterRateLimit', ...rateLimit })).toBe(words);
  });
});

describe('describeSync', () => {
  it.each([
    [{ fetchedRows: 0, inserted: 0, skippedDuplicates: 0 }, 'OpenRouter reported no activity in the last 30 days.'],
    [{ fetchedRows: 4, inserted: 4, skippedDuplicates: 0 }, 'Imported 4 new rows of daily activity.'],
    [{ fetchedRows: 5, inserted: 1, skippedDuplicates: 4 }, 'Imported 1 new row of daily activity (4 already there).'],
    [{ fetchedRows: 4, inserted: 0, skippedDuplicates: 4 }, 'Already up to date: 4 rows were imported before.'],
    [{ fetchedRows: 1, inserted: 0, skippedDuplicates: 1 }, 'Already up to date: 1 row was imported before.'],
  ])('says %o as "%s"', (result, text) => {
    expect(describeSync({ __typename: 'OpenRouterSyncResult', ...result })).toBe(text);
  });
});

describe('isNotConfigured', () => {
  it('recognises the gateway’s NOT_CONFIGURED answer and nothing else', () => {
    const notConfigured = new CombinedGraphQLErrors({ errors: [{ message: 'No OpenRouter key', extensions: { code: 'NOT_CONFIGURED' } }] });
    const upstream = new CombinedGraphQLErrors({ errors: [{ message: 'OpenRouter failed', extensions: { code: 'UPSTREAM_ERROR' } }] });
    expect(isNotConfigured(notConfigured)).toBe(true);
    expect(isNotConfigured(upstream)).toBe(false);
    expect(isNotConfigured(new Error('Failed to fetch'))).toBe(false);
  });
});

describe('prepareMemory', () => {
  const data: WorkspaceMemoryQuery = {
    memoryStats: {
      __typename: 'MemoryStats',
      source: 'MEM0',
      totalMemories: 1250,
      byType: ['semantic', 'episodic', 'procedural', 'preference', 'fact', 'plan'].map((key, i) => ({ __typename: 'CountByKey', key, count: 600 - i * 100 })),
      byLevel: [],
      avgImportance: 0.6234,
      totalAccessCount: 9000,
      agentsWithMemories: 4,
    },
    recentMemories: [
      {
        __typename: 'MemoryItem',
        id: 'm1',
        agentId: 'planner',
        memoryType: 'episodic',
        memoryLevel: 'short_term',
        importance: 0.8,
        preview: 'The user asked for weekly summaries.',
        createdAt: new Date(NOW.getTime() - 5 * 60_000).toISOString(),
      },
    ],
  };

  it('writes the totals, the five most common types with the rest counted, and each recent memory', () => {
    const view = prepareMemory(data, NOW, createSeriesColors());
    expect(view.source).toBe('Mem0');
    expect(view.figures).toEqual([
      { label: 'Memories', value: '1,250' },
      { label: 'Agents', value: '4' },
      { label: 'Avg importance', value: '0.62' },
      { label: 'Accesses', value: '9,000' },
    ]);
    expect(view.types.map((t) => [t.key, t.count, t.share])).toEqual([
      ['semantic', '600', 0.48],
      ['episodic', '500', 0.4],
      ['procedural', '400', 0.32],
      ['preference', '300', 0.24],
      ['fact', '200', 0.16],
    ]);
    expect(view.moreTypes).toBe(1);
    expect(view.recent[0]).toMatchObject({ type: 'episodic', importance: '0.80', importanceLevel: 'high', agent: 'planner', ago: '5 min ago' });
    expect(view.isEmpty).toBe(false);
  });

  it('gives a memory type the same colour in the breakdown and in the list', () => {
    const view = prepareMemory(data, NOW, createSeriesColors());
    expect(view.recent[0].typeColor).toBe(view.types.find((t) => t.key === 'episodic')!.color);
  });

  it('says where the figures come from when Mem0 did not answer', () => {
    const local = prepareMemory({ ...data, memoryStats: { ...data.memoryStats, source: 'LOCAL' } }, NOW, createSeriesColors());
    expect(local.source).toBe("the gateway's own table");
  });

  it.each([
    [0.95, 'high'],
    [0.7, 'high'],
    [0.69, 'medium'],
    [0.4, 'medium'],
    [0.1, 'low'],
  ] as const)('calls importance %s %s', (importance, level) => {
    expect(importanceLevel(importance)).toBe(level);
  });
});
