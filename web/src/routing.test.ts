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
