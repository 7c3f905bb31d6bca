import { hashFor, parseHash } from './routing';

describe('parseHash', () => {
  it.each([
    ['', '', ''],
    ['#', '', ''],
    ['#/overview', 'overview', ''],
    ['#/overview?period=LAST_30D', 'overview', 'period=LAST_30D'],
    ['#overview?period=LAST_24H&x=1', 'overview', 'period=LAST_24H&x=1'],
    ['#/costs/extra?period=LAST_7D', 'costs', 'period=LAST_7D'],
  ])('reads %p as page %p with %p', (hash, page, query) => {
    const route = parseHash(hash);
    expect(route.page).toBe(page);
    expect(route.params.toString()).toBe(query);
  });
});

describe('hashFor', () => {
  it('writes the page and its parameters in a stable order', () => {
    expect(hashFor('overview', { scope: 'all', period: 'LAST_7D' })).toBe('#/overview?period=LAST_7D&scope=all');
  });

  it('writes a page without parameters as the bare path', () => {
    expect(hashFor('overview')).toBe('#/overview');
  });

  it('gives back the route it was read from', () => {
    const route = parseHash(hashFor('costs', { period: 'LAST_90D' }));
    expect([route.page, route.params.get('period')]).toEqual(['costs', 'LAST_90D']);
  });
});

describe('detail segments', () => {
  it('reads the segment after the page as what it opens to', () => {
    expect(parseHash('#/runs/run-42?period=LAST_7D')).toMatchObject({ page: 'runs', detail: 'run-42' });
    expect(parseHash('#/runs').detail).toBe('');
  });

  it('writes a detail that any id survives, and reads it back', () => {
    const hash = hashFor('agents', { period: 'LAST_7D' }, 'support bot/1?');
    expect(hash).toBe('#/agents/support%20bot%2F1%3F?period=LAST_7D');
    expect(parseHash(hash)).toMatchObject({ page: 'agents', detail: 'support bot/1?' });
  });
});
