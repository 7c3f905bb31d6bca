import { isPin, isQuestion, pinIdOf, readList, rememberQuestion, togglePin, writeList, type ListStorage } from './insights-storage';

function memoryStorage(initial: Record<string, string> = {}): ListStorage & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return { data, getItem: (key) => data.get(key) ?? null, setItem: (key, value) => void data.set(key, value) };
}

describe('rememberQuestion', () => {
  it('puts the newest question first and keeps one of each, whatever its case or spacing', () => {
    expect(rememberQuestion(['cost by model', 'tokens over time'], '  Cost   by MODEL ')).toEqual(['Cost by MODEL', 'tokens over time']);
  });

  it('keeps at most the given number of questions', () => {
    expect(rememberQuestion(['a', 'b', 'c'], 'd', 3)).toEqual(['d', 'a', 'b']);
  });

  it('ignores an empty question', () => {
    expect(rememberQuestion(['a'], '   ')).toEqual(['a']);
  });
});

describe('togglePin', () => {
  it('pins a question once, and unpins it when asked again', () => {
    const pinned = togglePin([], { query: 'Cost by model ', chartType: null }, 'Cost by model, last 7 days');
    expect(pinned).toEqual([{ id: 'query:cost by model', title: 'Cost by model, last 7 days', query: 'Cost by model', chartType: null }]);
    expect(togglePin(pinned, { query: 'cost  by model' }, 'x')).toEqual([]);
  });

  it('tells a forced chart type and a preset apart from the plain question', () => {
    expect(pinIdOf({ query: 'cost by model', chartType: 'PIE' })).toBe('query:cost by model|PIE');
    expect(pinIdOf({ presetId: 'cost-by-model' })).toBe('preset:cost-by-model');
  });
});

describe('readList and writeList', () => {
  it('round-trips a list and drops entries of the wrong shape', () => {
    const storage = memoryStorage();
    writeList(storage, 'k', ['a', 'b']);
    expect(readList(storage, 'k', isQuestion)).toEqual(['a', 'b']);
    storage.data.set('pins', JSON.stringify([{ id: 'x', title: 't', query: 'q' }, { id: 1 }, 'junk']));
    expect(readList(storage, 'pins', isPin)).toEqual([{ id: 'x', title: 't', query: 'q' }]);
  });

  it('reads broken JSON or a missing storage as an empty list', () => {
    expect(readList(memoryStorage({ k: '{not json' }), 'k', isQuestion)).toEqual([]);
    expect(readList(null, 'k', isQuestion)).toEqual([]);
  });
});
