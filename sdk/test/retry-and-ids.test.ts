import { retryDelay, retryWait, uuidv7 } from '../src';

describe('retryDelay', () => {
  it('draws each wait below a ceiling that doubles with every attempt up to the maximum', () => {
    const highest = (attempt: number) => retryDelay(attempt, 250, 30_000, () => 1);
    expect([0, 1, 2, 3, 6, 7, 20].map(highest)).toEqual([250, 500, 1000, 2000, 16_000, 30_000, 30_000]);
    expect(retryDelay(5, 250, 30_000, () => 0)).toBe(0);
    expect(retryDelay(2, 250, 30_000, () => 0.5)).toBe(500);
  });
});

describe('retryWait', () => {
  it('waits what the gateway asked plus a jitter below the base delay, whatever the attempt', () => {
    expect(retryWait(9, 1200, 250, 30_000, () => 0)).toBe(1200);
    expect(retryWait(9, 1200, 250, 30_000, () => 0.5)).toBe(1325);
  });

  it('falls back to the exponential backoff when the gateway asked nothing', () => {
    expect(retryWait(3, undefined, 250, 30_000, () => 1)).toBe(retryDelay(3, 250, 30_000, () => 1));
  });
});

describe('uuidv7', () => {
  it('makes version 7 ids with the RFC variant that carry their millisecond', () => {
    const at = Date.UTC(2026, 10, 27, 12, 0, 0, 123);
    const id = uuidv7(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
  });

  it('sorts in creation order, many within one millisecond included', () => {
    const later = Date.UTC(2030, 0, 1);
    const ids = [...Array(5000)].map(() => uuidv7(later));
    ids.push(uuidv7(later + 1));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
