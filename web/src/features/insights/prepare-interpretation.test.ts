import { describeInterpretation, readInterpretation } from './prepare-interpretation';

describe('describeInterpretation', () => {
  it('reads a rolling period, a split, an order and a limit in words', () => {
    const lines = describeInterpretation(
      { period: 'LAST_7D', timezone: 'UTC', metrics: ['TOTAL_COST'], groupBy: ['MODEL'], orderBy: 'TOTAL_COST', descending: true, limit: 3 },
      'BAR',
    );
    expect(lines).toEqual([
      { term: 'Measured', detail: 'Cost' },
      { term: 'Split by', detail: 'model' },
      { term: 'Time', detail: 'the last 7 days, up to now (UTC)' },
      { term: 'Calls', detail: 'all calls' },
      { term: 'Order', detail: 'largest cost first, the first 3' },
      { term: 'Drawn as', detail: 'bars' },
    ]);
  });

  it('writes an explicit range in its own timezone, with buckets and filters, agents by name', () => {
    const lines = describeInterpretation(
      {
        from: '2026-06-16T22:00:00.000Z',
        to: '2026-06-17T15:30:00.000Z',
        timezone: 'Europe/Berlin',
        metrics: ['INPUT_TOKENS', 'OUTPUT_TOKENS'],
        bucket: 'HOUR',
        filter: { providers: ['openai'], agentIds: ['support-bot'], status: 'ERROR', isByok: true },
      },
      'LINE',
      new Map([['support-bot', 'Support Bot']]),
    );
    expect(lines).toEqual([
      { term: 'Measured', detail: 'Input tokens, Output tokens' },
      { term: 'Time', detail: '17 Jun 2026, 00:00 to 17 Jun 2026, 17:30 (Europe/Berlin)' },
      { term: 'Buckets', detail: 'per hour' },
      { term: 'Calls', detail: 'providers openai; agents Support Bot; BYOK calls only; failed calls only' },
      { term: 'Drawn as', detail: 'lines' },
    ]);
  });

  it('reads JSON of the wrong shape as an empty query instead of throwing', () => {
    expect(readInterpretation('not an object')).toMatchObject({ timezone: 'UTC', metrics: [] });
    expect(readInterpretation({ metrics: ['REQUESTS', 7], filter: { modelIds: 'x' } })).toMatchObject({ metrics: ['REQUESTS'], filter: { modelIds: undefined } });
  });
});
