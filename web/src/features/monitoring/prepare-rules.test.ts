import { prepareSparkline } from '../../components/charts/sparkline';
import { deliveryWhat, describeFilter, EMPTY_RULE_FORM, parseRuleForm, prepareRuleRows, previewRanges, previewSparklineWords, toRuleFilter } from './prepare-rules';

describe('parseRuleForm', () => {
  it.each([
    [{ name: ' ' }, 'name', 'Give the rule a name of 1 to 100 characters.'],
    [{ threshold: 'lots' }, 'threshold', 'Enter a number, e.g. 5 or 0.25.'],
    [{ windowMinutes: '0' }, 'windowMinutes', 'Enter whole minutes from 1 to 1440.'],
    [{ windowMinutes: '1441' }, 'windowMinutes', 'Enter whole minutes from 1 to 1440.'],
  ])('refuses %j beside its field', (change, field, message) => {
    const parsed = parseRuleForm({ ...EMPTY_RULE_FORM, name: 'Costly hour', threshold: '5', ...change });
    expect(parsed).toEqual({ ok: false, errors: { [field]: message } });
  });

  it('parses a filled form into the mutation input', () => {
    expect(parseRuleForm({ ...EMPTY_RULE_FORM, name: ' Costly hour ', threshold: '2.5', windowMinutes: '30', channelIds: ['c1'] })).toEqual({
      ok: true,
      input: { id: null, name: 'Costly hour', metric: 'TOTAL_COST', comparison: 'ABOVE', threshold: 2.5, windowMinutes: 30, severity: 'WARNING', channelIds: ['c1'], filter: null },
    });
  });

  it('keeps the filter a rule was set with, so editing it through the form does not drop it', () => {
    const filter = toRuleFilter({ modelIds: ['gpt-4o'], status: 'ERROR' });
    const parsed = parseRuleForm({ ...EMPTY_RULE_FORM, name: 'Errors', threshold: '1', filter });
    expect(parsed.ok && parsed.input.filter).toEqual({ modelIds: ['gpt-4o'], status: 'ERROR' });
  });
});

describe('prepareRuleRows', () => {
  it('says each rule in words, with its state and channels', () => {
    const rows = prepareRuleRows(
      [
        { id: 'r1', name: 'Costly', metric: 'TOTAL_COST', comparison: 'ABOVE', threshold: 5, windowMinutes: 60, state: 'FIRING', lastValue: 7.125, enabled: true, channelIds: ['c1', 'gone'] },
        { id: 'r2', name: 'Quiet', metric: 'REQUESTS', comparison: 'BELOW', threshold: 1, windowMinutes: 15, state: 'OK', lastValue: null, enabled: false, channelIds: [] },
      ],
      new Map([['c1', 'Ops hook']]),
    );
    expect(rows).toEqual([
      { id: 'r1', name: 'Costly', condition: 'cost ($) above 5 over 60 min', firing: true, stateLabel: 'Firing', valueLabel: 'now 7.125', channels: 'Ops hook, a deleted channel' },
      { id: 'r2', name: 'Quiet', condition: 'requests below 1 over 15 min', firing: false, stateLabel: 'Disabled', valueLabel: 'not evaluated yet', channels: 'no channels' },
    ]);
  });
});

describe('the rule filter', () => {
  it('reads the stored JSON back as a UsageFilter, leaving out what it does not know and what is empty', () => {
    expect(toRuleFilter({ providers: ['openai'], agentIds: [], isByok: false, status: 'LOST', extra: 1 })).toEqual({ providers: ['openai'], isByok: false });
    expect(toRuleFilter(null)).toBeNull();
    expect(toRuleFilter({ modelIds: [] })).toBeNull();
  });

  it('says what it counts in words', () => {
    expect(describeFilter({ modelIds: ['gpt-4o', 'gpt-4o-mini'], status: 'ERROR', isByok: true })).toBe('models gpt-4o, gpt-4o-mini; own provider keys only; errors only');
    expect(describeFilter(null)).toBeNull();
  });
});

describe('previewRanges', () => {
  it('splits the window ending now into twelve equal slices, oldest first, that cover it exactly', () => {
    const { window, slices } = previewRanges(60, new Date('2026-06-15T12:00:00Z'));
    expect(window).toEqual({ from: '2026-06-15T11:00:00.000Z', to: '2026-06-15T12:00:00.000Z' });
    expect(slices).toHaveLength(12);
    expect(slices[0]).toEqual({ from: '2026-06-15T11:00:00.000Z', to: '2026-06-15T11:05:00.000Z' });
    expect(slices[11].to).toBe(window.to);
    slices.slice(1).forEach((slice, i) => expect(slice.from).toBe(slices[i].to));
  });

  it('puts the sparkline in words with the slice length', () => {
    expect(prepareSparkline([0, 2, 1], { width: 96, height: 20 }, previewSparklineWords('REQUESTS', 60)).summary).toBe(
      'requests in 3 slices of 5 min: lowest 0, highest 2, latest 1',
    );
    expect(previewSparklineWords('TOTAL_COST', 1).count(12)).toBe('cost ($) in 12 slices of 5 s');
  });
});

describe('deliveryWhat', () => {
  const alert = { __typename: 'Alert', id: '7', message: 'Costly hour: cost is 12.5, above 10 over the last 60 minutes' } as const;
  it.each([
    [{ event: 'RAISED', alertId: '7', alert }, 'Raised: Costly hour: cost is 12.5, above 10 over the last 60 minutes'],
    [{ event: 'RESOLVED', alertId: '7', alert }, 'Resolved: Costly hour: cost is 12.5, above 10 over the last 60 minutes'],
    [{ event: 'TEST', alertId: null, alert: null }, 'A test message'],
    [{ event: 'RAISED', alertId: '8', alert: null }, 'Raised: alert 8, no longer stored'],
  ] as const)('writes %j as %s', (delivery, words) => {
    expect(deliveryWhat(delivery)).toBe(words);
  });
});
