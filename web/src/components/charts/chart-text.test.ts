import { barChartText, radarChartText, sliceChartText, timeSeriesChartText } from './chart-text';

const dollars = (value: number) => `$${value.toFixed(2)}`;

describe('barChartText', () => {
  it('names the highest and the lowest bar and lists every bar in the table', () => {
    const text = barChartText([
      { label: 'gpt-4o', value: 12.72, valueLabel: '$12.72' },
      { label: 'claude-sonnet-4-5', value: 39.26, valueLabel: '$39.26' },
      { label: 'gpt-4o-mini', value: 0.29, valueLabel: '$0.29' },
    ]);
    expect(text.summary).toBe('3 bars. Highest: claude-sonnet-4-5, $39.26. Lowest: gpt-4o-mini, $0.29.');
    expect(text.table).toEqual({
      columns: ['Name', 'Value'],
      rows: [
        ['gpt-4o', '$12.72'],
        ['claude-sonnet-4-5', '$39.26'],
        ['gpt-4o-mini', '$0.29'],
      ],
    });
  });

  it('adds a Detail column when a bar has a detail', () => {
    const text = barChartText([
      { label: 'a', value: 1, valueLabel: '$1.00', detail: '3 calls' },
      { label: 'b', value: 2, valueLabel: '$2.00' },
    ]);
    expect(text.table.columns).toEqual(['Name', 'Value', 'Detail']);
    expect(text.table.rows).toEqual([
      ['a', '$1.00', '3 calls'],
      ['b', '$2.00', ''],
    ]);
  });

  it.each([
    [[{ label: 'a', value: 1, valueLabel: '$1.00' }], '1 bar. a: $1.00.'],
    [
      [
        { label: 'a', value: 1, valueLabel: '$1.00' },
        { label: 'b', value: 1, valueLabel: '$1.00' },
      ],
      '2 bars, each $1.00.',
    ],
    [[], 'No bars.'],
  ])('says what one, equal or no bars show: %j', (bars, summary) => {
    expect(barChartText(bars).summary).toBe(summary);
  });
});

describe('sliceChartText', () => {
  it('names the largest slice with its share', () => {
    const text = sliceChartText([
      { label: 'free', value: 2, valueLabel: '2 workspaces', shareLabel: '40.0%' },
      { label: 'pro', value: 3, valueLabel: '3 workspaces', shareLabel: '60.0%' },
    ]);
    expect(text.summary).toBe('2 slices. Largest: pro, 3 workspaces (60.0%).');
    expect(text.table.columns).toEqual(['Name', 'Value', 'Share']);
    expect(text.table.rows[1]).toEqual(['pro', '3 workspaces', '60.0%']);
  });
});

describe('timeSeriesChartText', () => {
  const slots = [{ fullLabel: 'Mon 1 Dec' }, { fullLabel: 'Tue 2 Dec' }, { fullLabel: 'Wed 3 Dec' }];

  it('reads one row per slot, a gap as "no data", and names the highest value of any series', () => {
    const text = timeSeriesChartText(
      slots,
      [
        { label: 'Input', values: [1, null, 4] },
        { label: 'Output', values: [2, 5, 0] },
      ],
      dollars,
    );
    expect(text.summary).toBe('Input, Output, from Mon 1 Dec to Wed 3 Dec. Highest: Output, $5.00 on Tue 2 Dec.');
    expect(text.table).toEqual({
      columns: ['Time', 'Input', 'Output'],
      rows: [
        ['Mon 1 Dec', '$1.00', '$2.00'],
        ['Tue 2 Dec', 'no data', '$5.00'],
        ['Wed 3 Dec', '$4.00', '$0.00'],
      ],
    });
  });

  it('with totals (a stack), adds a Total column and names the highest total', () => {
    const text = timeSeriesChartText(
      slots,
      [
        { label: 'a', values: [1, 2, 3] },
        { label: 'b', values: [3, 0, 2] },
      ],
      dollars,
      [4, 2, 5],
    );
    expect(text.table.columns).toEqual(['Time', 'a', 'b', 'Total']);
    expect(text.table.rows[2]).toEqual(['Wed 3 Dec', '$3.00', '$2.00', '$5.00']);
    expect(text.summary).toBe('a, b, from Mon 1 Dec to Wed 3 Dec. Highest: Total, $5.00 on Wed 3 Dec.');
  });

  it('names four series and counts the rest', () => {
    const series = ['a', 'b', 'c', 'd', 'e', 'f'].map((label) => ({ label, values: [null, null, null] }));
    expect(timeSeriesChartText(slots, series, dollars).summary).toBe('a, b, c, d and 2 more, from Mon 1 Dec to Wed 3 Dec. No data in this range.');
  });
});

describe('radarChartText', () => {
  it("reads one row per axis with each series' figure", () => {
    const text = radarChartText(
      ['Cost per call', 'Error rate'],
      [
        { label: 'gpt-4o', texts: ['$0.0209', '2.6%'] },
        { label: 'gemini-2.5-pro', texts: ['$0.0192', '1.3%'] },
      ],
    );
    expect(text.summary).toBe('gpt-4o, gemini-2.5-pro compared on 2 axes: Cost per call, Error rate.');
    expect(text.table).toEqual({
      columns: ['Axis', 'gpt-4o', 'gemini-2.5-pro'],
      rows: [
        ['Cost per call', '$0.0209', '$0.0192'],
        ['Error rate', '2.6%', '1.3%'],
      ],
    });
  });
});
