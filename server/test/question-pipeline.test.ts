import { type Finding, apply, applyAll } from '../src/charts/question-finding';
import { type Reading, startReading, understoodWords } from '../src/charts/question-reading';
import type { ParseContext } from '../src/charts/question-parser';
import { measureAt } from '../src/charts/read-measures';
import { bucketAt, timeRangeAt, zoneAt } from '../src/charts/read-time';

// Wednesday 17 June 2026, 15:30 UTC
const context: ParseContext = {
  now: new Date('2026-06-17T15:30:00.000Z'),
  timezone: 'UTC',
  known: { models: ['gpt-4o'], providers: ['openai'], agents: [], requestTypes: [], tiers: [] },
};
const reading = (question: string): Reading => startReading(question, context);
const found = (f: Finding | readonly Finding[] | null): Finding => {
  if (f === null || Array.isArray(f)) throw new Error(`expected one finding, got ${JSON.stringify(f)}`);
  return f as Finding;
};

describe('question matchers', () => {
  it('return what they found and leave the reading as it was', () => {
    const r = reading('cost yesterday');
    const before = structuredClone(r);
    const finding = found(timeRangeAt(r, 1));
    expect(finding.take).toEqual({ from: 1, to: 2, words: 'yesterday' });
    expect(finding.range?.title).toBe('yesterday');
    expect(r).toEqual(before);
  });

  it('find nothing in a word they do not read', () => {
    expect(timeRangeAt(reading('cost yesterday'), 0)).toBeNull();
    expect(measureAt(reading('cost yesterday'), 1)).toBeNull();
  });

  it('see only free words: a word already taken is no longer read', () => {
    const r = apply(reading('cost yesterday'), { take: { from: 1, to: 2, words: 'something else' } });
    expect(timeRangeAt(r, 1)).toBeNull();
  });
});

describe('the reducer', () => {
  it('makes a new reading and leaves the one given as it was', () => {
    const r = reading('cost yesterday');
    const before = structuredClone(r);
    const next = apply(r, found(measureAt(r, 0)));
    expect(r).toEqual(before);
    expect(next).not.toBe(r);
    expect(next.tokens[0].used).toBe(true);
    expect(next.metrics).toEqual([{ metric: 'TOTAL_COST', at: 0, weak: false }]);
    expect(understoodWords(next)).toEqual(['cost']);
  });

  it('gives a second time range a reason and blocks its words', () => {
    const first = reading('cost yesterday last week');
    const once = apply(first, found(timeRangeAt(first, 1)));
    const twice = apply(once, found(timeRangeAt(once, 2)));
    expect(twice.range?.title).toBe('yesterday');
    expect(twice.reasons.get(2)).toBe('the question already names a time range: yesterday');
    expect(twice.tokens.slice(2).map((t) => [t.used, t.blocked])).toEqual([
      [false, true],
      [false, true],
    ]);
    expect(understoodWords(twice)).toEqual(['yesterday']);
  });

  it('drops the words taken along with a range that clashes', () => {
    const r = apply(reading('the week before last'), { range: { from: new Date(0), to: new Date(1), phrase: 'x', title: 'x' }, take: { from: 0, to: 0, words: '' } });
    const next = apply(r, { range: r.range!, take: { from: 1, to: 4, words: 'y' }, also: [{ from: 0, to: 1 }] });
    expect(next.tokens.map((t) => t.used)).toEqual([false, false, false, false]);
    expect(next.tokens.map((t) => t.blocked ?? false)).toEqual([false, true, true, true]);
  });

  it('gives a second timezone a reason without taking or blocking its words', () => {
    const r = reading('cost in PST Berlin time');
    const next = [2, 3].reduce((acc, i) => applyAll(acc, zoneAt(acc, i)), r);
    expect(next.zone).toBe('America/Los_Angeles');
    expect(next.reasons.get(3)).toBe('the question already names the timezone America/Los_Angeles');
    expect(next.tokens.slice(3).map((t) => t.used || t.blocked === true)).toEqual([false, false]);
  });

  it('takes the same bucket twice but not a different one', () => {
    const r = reading('cost daily per day weekly');
    const next = [1, 2, 4].reduce((acc, i) => applyAll(acc, bucketAt(acc, i)), r);
    expect(next.bucket).toBe('DAY');
    expect(next.tokens.map((t) => t.used)).toEqual([false, true, true, true, false]);
    expect(next.reasons.get(4)).toBe('the question already asks for day buckets');
  });

  it('keeps the first ranking and implied measure, and the last limit', () => {
    const r = [
      { ranking: 'most', impliedMetric: { metric: 'REQUESTS', at: 0 }, limit: 3 },
      { ranking: 'least', impliedMetric: { metric: 'TOTAL_COST', at: 1 }, limit: 5 },
    ].reduce((acc, f) => apply(acc, f as Finding), reading('busiest cheapest'));
    expect([r.ranking, r.impliedMetric?.metric, r.limit]).toEqual(['most', 'REQUESTS', 5]);
  });

  it('adds a grouping once', () => {
    const f: Finding = { dimension: { dimension: 'MODEL', at: 0 } };
    expect(applyAll(reading('model model'), [f, f]).dimensions).toEqual([{ dimension: 'MODEL', at: 0 }]);
  });
});
