import { adoptKeyFromLocation, keyFromFragment, storedKey, storeKey } from './session';

describe('keyFromFragment', () => {
  it.each([
    ['#key=abc123', 'abc123'],
    ['#key=tally_a%2Bb', 'tally_a+b'],
    ['#key=abc&other=1', 'abc'],
    ['#key=', null],
    ['#/overview', null],
    ['', null],
    ['#key=%E0%A4%A', null],
  ])('reads %p as %p', (hash, expected) => {
    expect(keyFromFragment(hash)).toBe(expected);
  });
});

describe('adoptKeyFromLocation', () => {
  afterEach(() => {
    storeKey(null);
    window.history.replaceState(null, '', '/');
  });

  it('stores the key from a #key= link and removes it from the address bar', () => {
    window.history.replaceState(null, '', '/#key=secret-key-1');
    expect(adoptKeyFromLocation()).toBe(true);
    expect(storedKey()).toBe('secret-key-1');
    expect(window.location.href).not.toContain('secret-key-1');
  });

  it('leaves the stored key and the URL alone when the hash is a route', () => {
    storeKey('kept-key');
    window.history.replaceState(null, '', '/#/overview?period=LAST_30D');
    expect(adoptKeyFromLocation()).toBe(false);
    expect(storedKey()).toBe('kept-key');
    expect(window.location.hash).toBe('#/overview?period=LAST_30D');
  });
});
