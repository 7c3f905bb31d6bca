import type { ChartType } from '../../gql/graphql';

/**
 * What the Insights page remembers in the browser: the questions asked lately, and the charts
 * pinned to the Overview. Pure functions over lists, and a small store around a Storage.
 */

/** A chart to ask for: a question or a preset, and a forced chart type. */
export interface ChartRequest {
  query?: string;
  presetId?: string;
  chartType?: ChartType | null;
}

/** A chart pinned to the Overview. */
export interface PinnedChart extends ChartRequest {
  id: string;
  title: string;
}

/** Questions kept in the history. @default 8 */
export const HISTORY_LENGTH = 8;

/** The history with `question` first: one entry per question whatever its case or spacing, at most `max`. */
export function rememberQuestion(history: readonly string[], question: string, max = HISTORY_LENGTH): string[] {
  const trimmed = question.trim().replace(/\s+/g, ' ');
  if (!trimmed) return [...history];
  const same = (other: string) => other.trim().replace(/\s+/g, ' ').toLowerCase() === trimmed.toLowerCase();
  return [trimmed, ...history.filter((other) => !same(other))].slice(0, max);
}

/** A pin's identity: the same request pins once. */
export function pinIdOf(request: ChartRequest): string {
  const what = request.presetId ? `preset:${request.presetId}` : `query:${(request.query ?? '').trim().toLowerCase().replace(/\s+/g, ' ')}`;
  return request.chartType ? `${what}|${request.chartType}` : what;
}

/** The pins with this request added, or removed when it is pinned already. */
export function togglePin(pins: readonly PinnedChart[], request: ChartRequest, title: string): PinnedChart[] {
  const id = pinIdOf(request);
  if (pins.some((pin) => pin.id === id)) return pins.filter((pin) => pin.id !== id);
  const pin: PinnedChart = { id, title, ...(request.presetId ? { presetId: request.presetId } : { query: request.query?.trim() }), chartType: request.chartType ?? null };
  return [...pins, pin];
}

/** Where the lists live: localStorage in the browser, a Map in tests. */
export interface ListStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export const HISTORY_KEY = 'tally.insights.history';
export const PINS_KEY = 'tally.insights.pins';

/** A stored list, or [] when it is missing or not what it should be. */
export function readList<T>(storage: ListStorage | null, key: string, isItem: (value: unknown) => value is T): T[] {
  if (!storage) return [];
  try {
    const parsed: unknown = JSON.parse(storage.getItem(key) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter(isItem) : [];
  } catch {
    return [];
  }
}

/** Stores a list; a full or blocked storage only costs the memory of it. */
export function writeList(storage: ListStorage | null, key: string, list: readonly unknown[]): void {
  try {
    storage?.setItem(key, JSON.stringify(list));
  } catch {
    // nothing to do: the page works without it
  }
}

export const isQuestion = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';
export const isPin = (value: unknown): value is PinnedChart =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as PinnedChart).id === 'string' &&
  typeof (value as PinnedChart).title === 'string' &&
  (typeof (value as PinnedChart).query === 'string' || typeof (value as PinnedChart).presetId === 'string');

/** The browser's localStorage, or null where there is none. */
export function browserStorage(): ListStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
