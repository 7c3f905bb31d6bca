import { createSeriesColors, SERIES_PALETTE, type ColorStore } from './series-colors';

function memoryStore(): ColorStore & { saved: Record<string, number> } {
  const store = {
    saved: {} as Record<string, number>,
    load: () => ({ ...store.saved }),
    save: (assignments: Record<string, number>) => {
      store.saved = { ...assignments };
    },
  };
  return store;
}

describe('createSeriesColors', () => {
  it('gives a key the same colour every time it is asked', () => {
    const colors = createSeriesColors();
    expect(colors.colorFor('gpt-4o')).toBe(colors.colorFor('gpt-4o'));
  });

  it('gives as many keys as the palette has colours a colour each', () => {
    const colors = createSeriesColors();
    const keys = Array.from({ length: SERIES_PALETTE.length }, (_, i) => `model-${i}`);
    expect(new Set(keys.map((key) => colors.colorFor(key))).size).toBe(SERIES_PALETTE.length);
  });

  it('only repeats a colour once the palette is used up', () => {
    const colors = createSeriesColors(['#a', '#b']);
    const first = [colors.colorFor('x'), colors.colorFor('y')];
    expect(new Set(first).size).toBe(2);
    expect(first).toContain(colors.colorFor('z'));
  });

  it('keeps a key colour across allocators that share a store (a reload)', () => {
    const store = memoryStore();
    const before = createSeriesColors(SERIES_PALETTE, store);
    const colour = before.colorFor('claude-3-5-sonnet');
    before.colorFor('gpt-4o');
    const after = createSeriesColors(SERIES_PALETTE, store);
    after.colorFor('gpt-4o');
    expect(after.colorFor('claude-3-5-sonnet')).toBe(colour);
  });

  it('ignores stored slots that the palette does not have', () => {
    const store = memoryStore();
    store.saved = { 'gpt-4o': 99 };
    expect(['#a', '#b']).toContain(createSeriesColors(['#a', '#b'], store).colorFor('gpt-4o'));
  });
});
