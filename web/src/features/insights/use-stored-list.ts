import { useCallback, useSyncExternalStore } from 'react';
import { browserStorage, readList, writeList } from './insights-storage';

const listeners = new Map<string, Set<() => void>>();
const snapshots = new Map<string, { raw: string | null; value: unknown[] }>();

function subscribe(key: string, onChange: () => void): () => void {
  const set = listeners.get(key) ?? new Set();
  listeners.set(key, set);
  set.add(onChange);
  // Another tab changed the list.
  const onStorage = (event: StorageEvent) => {
    if (event.key === key) onChange();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    set.delete(onChange);
    window.removeEventListener('storage', onStorage);
  };
}

/** A list kept in localStorage under `key`, shared by every component that reads it, in step across tabs. */
export function useStoredList<T>(key: string, isItem: (value: unknown) => value is T): [T[], (next: T[]) => void] {
  const read = useCallback((): T[] => {
    const storage = browserStorage();
    let raw: string | null = null;
    try {
      raw = storage?.getItem(key) ?? null;
    } catch {
      raw = null;
    }
    const cached = snapshots.get(key);
    if (cached && cached.raw === raw) return cached.value as T[];
    const value = readList(storage, key, isItem);
    snapshots.set(key, { raw, value });
    return value;
  }, [key, isItem]);
  const list = useSyncExternalStore(
    useCallback((onChange) => subscribe(key, onChange), [key]),
    read,
    read,
  );
  const save = useCallback(
    (next: T[]) => {
      writeList(browserStorage(), key, next);
      snapshots.delete(key);
      for (const listener of listeners.get(key) ?? []) listener();
    },
    [key],
  );
  return [list, save];
}
