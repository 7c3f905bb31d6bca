import { EMPTY_RULE_FORM, parseRuleForm, prepareRuleRows } from './prepare-rules';

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
      input: { id: null, name: 'Costly hour', metric: 'TOTAL_COST', comparison: 'ABOVE', threshold: 2.5, windowMinutes: 30, severity: 'WARNING', channelIds: ['c1'] },
    });
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
