/**
 * One colour per series (a model, a provider, an agent) for the whole dashboard, so the same
 * model keeps its colour on every chart and across reloads.
 *
 * A key's colour is chosen once, by a hash of the key into the palette (so it does not depend on
 * which chart saw it first), moving to the next free slot when another key already holds that
 * one; the choice is then remembered. Only when every slot is taken do two keys share a colour.
 */

/** Twelve hues that read on both a white and a near-black background. */
export const SERIES_PALETTE: readonly string[] = [
  '#4f7df3', // blue
  '#f28c38', // orange
  '#2fb37d', // green
  '#e5546b', // red
  '#9b6cf0', // violet
  '#1fb5c9', // cyan
  '#d9a21b', // amber
  '#e06bc1', // pink
  '#6f9e3a', // olive
  '#8c7a6b', // taupe
  '#3d5fc4', // indigo
  '#c2603d', // rust
];

/** The colour of "Other" (the sum of the series a top-N leaves out): never a series colour. */
export const OTHER_COLOR = '#9aa3af';

/** Where assignments are remembered; localStorage in the browser, a Map in tests. */
export interface ColorStore {
  load(): Record<string, number>;
  save(assignments: Record<string, number>): void;
}

/** Hands out series colours; see the module comment. */
export interface SeriesColors {
  /** The colour of a series key (a model id, a provider…), the same every time it is asked. */
  colorFor(key: string): string;
}

function hash(key: string): number {
  // FNV-1a: small, stable across browsers and sessions.
  let value = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    value ^= key.charCodeAt(i);
    value = Math.imul(value, 0x01000193);
  }
  return value >>> 0;
}

/** A colour allocator over `palette`, remembering its choices in `store` (default: in memory only). */
export function createSeriesColors(palette: readonly string[] = SERIES_PALETTE, store?: ColorStore): SeriesColors {
  const assigned = new Map<string, number>(Object.entries(store?.load() ?? {}).filter(([, slot]) => slot >= 0 && slot < palette.length));
  return {
    colorFor(key) {
      let slot = assigned.get(key);
      if (slot === undefined) {
        const taken = new Set(assigned.values());
        const preferred = hash(key) % palette.length;
        slot = preferred;
        for (let step = 0; step < palette.length; step++) {
          const candidate = (preferred + step) % palette.length;
          if (!taken.has(candidate)) {
            slot = candidate;
            break;
          }
        }
        assigned.set(key, slot);
        store?.save(Object.fromEntries(assigned));
      }
      return palette[slot];
    },
  };
}

const STORAGE_KEY = 'tally.seriesColors';

function localStorageStore(): ColorStore | undefined {
  if (typeof localStorage === 'undefined') return undefined;
  return {
    load() {
      try {
        const parsed: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}');
        return parsed && typeof parsed === 'object' ? (parsed as Record<string, number>) : {};
      } catch {
        return {};
      }
    },
    save(assignments) {
      try {
        localStorage.setItem(STORAGE_KEY, JSON.stringify(assignments));
      } catch {
        // A full or blocked storage only costs colour stability across reloads.
      }
    },
  };
}

/** The dashboard's one allocator: every chart asks it, so a model has one colour everywhere. */
export const seriesColors: SeriesColors = createSeriesColors(SERIES_PALETTE, localStorageStore());
