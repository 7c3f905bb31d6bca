import { createSeriesColors } from '../../components/series-colors';
import { sortRows, type TableSort } from '../../components/table-sort';
import { BREAKDOWN_ORDER, breakdownRowsFromMetrics, prepareBreakdownTable, type BreakdownRow, type BreakdownSortKey } from './prepare-breakdown';

const row = (label: string, totalCost: number, requests: number, inputCost = totalCost / 2): BreakdownRow => ({
  __typename: 'CostBreakdown',
  key: label,
  label,
  requests,
  inputCost,
  outputCost: totalCost - inputCost,
  totalCost,
  share: 0,
});

const rows = [row('beta', 5, 30, 1), row('alpha', 10, 10, 8), row('gamma', 1, 300, 0.5)];

const sortBreakdown = (input: BreakdownRow[], sort: TableSort<BreakdownSortKey>) =>
  sortRows(prepareBreakdownTable(input, { dimension: 'PROVIDER', colors: createSeriesColors() }).rows, sort, BREAKDOWN_ORDER);

describe('BREAKDOWN_ORDER', () => {
  it.each([
    [{ key: 'totalCost', direction: 'descending' }, ['alpha', 'beta', 'gamma']],
    [{ key: 'totalCost', direction: 'ascending' }, ['gamma', 'beta', 'alpha']],
    [{ key: 'requests', direction: 'descending' }, ['gamma', 'beta', 'alpha']],
    [{ key: 'inputCost', direction: 'descending' }, ['alpha', 'beta', 'gamma']],
    [{ key: 'outputCost', direction: 'ascending' }, ['gamma', 'alpha', 'beta']],
    [{ key: 'label', direction: 'ascending' }, ['alpha', 'beta', 'gamma']],
    [{ key: 'label', direction: 'descending' }, ['gamma', 'beta', 'alpha']],
  ] as [TableSort<BreakdownSortKey>, string[]][])('sorts by %o as %p', (sort, labels) => {
    expect(sortBreakdown(rows, sort).map((r) => r.label)).toEqual(labels);
  });

  it('breaks a tie by the higher cost', () => {
    expect(sortBreakdown([row('cheap', 1, 5), row('dear', 9, 5)], { key: 'requests', direction: 'descending' }).map((r) => r.label)).toEqual(['dear', 'cheap']);
  });
});

describe('prepareBreakdownTable', () => {
  it('writes every figure in words and the share as a bar width', () => {
    const gpt = { ...row('gpt-4o', 12.5, 1204, 10), share: 0.625 };
    const table = prepareBreakdownTable([gpt, { ...row('claude', 7.5, 3, 5), share: 0.375 }], {
      dimension: 'PROVIDER',
      colors: createSeriesColors(),
    });
    expect(table.rows[0]).toEqual({
      key: 'gpt-4o',
      label: 'gpt-4o',
      requests: '1,204',
      inputCost: '$10.00',
      outputCost: '$2.50',
      totalCost: '$12.50',
      share: '62.5%',
      sharePct: 62.5,
      color: null,
      figures: gpt,
    });
    expect(table.totalLabel).toBe('$20.00');
  });

  it('colours model rows as every chart colours the model, and leaves providers and agents uncoloured', () => {
    const colors = createSeriesColors();
    const expected = colors.colorFor('gpt-4o');
    expect(prepareBreakdownTable([row('gpt-4o', 1, 1)], { dimension: 'MODEL', colors }).rows[0].color).toBe(expected);
    expect(prepareBreakdownTable([row('support-bot', 1, 1)], { dimension: 'AGENT', colors }).rows[0].color).toBeNull();
  });

  it.each([
    ['no rows', [], 'no-calls'],
    ['rows that cost nothing', [row('local', 0, 4)], 'no-cost'],
    ['a row with a cost', [row('gpt-4o', 0.01, 1)], null],
  ] as const)('says why it is empty for %s', (_case, input, reason) => {
    expect(prepareBreakdownTable(input, { dimension: 'MODEL', colors: createSeriesColors() }).emptyReason).toBe(reason);
  });
});

describe('breakdownRowsFromMetrics', () => {
  it('reads usageMetrics rows as llmCosts rows, each with its share of their total cost', () => {
    const metricsRow = (value: string, label: string, input: number, output: number) => ({
      dimensions: [{ value, label }],
      values: [
        { metric: 'REQUESTS', value: 3 },
        { metric: 'INPUT_COST', value: input },
        { metric: 'OUTPUT_COST', value: output },
        { metric: 'TOTAL_COST', value: input + output },
      ],
    });
    expect(breakdownRowsFromMetrics([metricsRow('gpt-4o', 'GPT-4o', 2, 1), metricsRow('mini', '', 0.5, 0.5)])).toEqual([
      { __typename: 'CostBreakdown', key: 'gpt-4o', label: 'GPT-4o', requests: 3, inputCost: 2, outputCost: 1, totalCost: 3, share: 0.75 },
      { __typename: 'CostBreakdown', key: 'mini', label: 'mini', requests: 3, inputCost: 0.5, outputCost: 0.5, totalCost: 1, share: 0.25 },
    ]);
  });
});
