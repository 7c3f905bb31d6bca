/** A question cut into tokens, and the names of the workspace it may mention. */
import { DIMENSION_CATALOGUE, dimensionWords } from '../metrics/dimension-catalogue';
import type { KnownEntities } from './question-types';
import type { LocalDay } from './zoned-time';

/** A word of the question; a reading never changes one, the reducer puts a new one in its place. */
export interface Token {
  /** Lower-case word, punctuation stripped. */
  readonly text: string;
  /** Letters and digits only: how names are compared. */
  readonly norm: string;
  readonly used: boolean;
  /** Part of a time range that came second: left for the error message, not for other readings. */
  readonly blocked?: boolean;
  /** Which written word it came from: "gpt-4o" is one chunk of two tokens. Names cover whole chunks. */
  readonly chunk: number;
  /** The written word as typed, for messages. */
  readonly written: string;
  /** Set on an IANA zone name ("europe/berlin"), kept whole. */
  readonly zone?: string;
  /** Set on an ISO date ("2026-03-01"), kept whole. */
  readonly day?: LocalDay;
}

export const normalise = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]/g, '');

export const zoneNames = new Map<string, string | null>();
/** The IANA name for a case-insensitive one ("europe/berlin" -> "Europe/Berlin"), or null. */
export function canonicalZone(name: string): string | null {
  const key = name.toLowerCase();
  if (key === 'utc' || key === 'etc/utc' || key === 'gmt') return 'UTC';
  if (zoneNames.has(key)) return zoneNames.get(key)!;
  let found = Intl.supportedValuesOf('timeZone').find((zone) => zone.toLowerCase() === key) ?? null;
  if (!found) {
    // Links such as Asia/Kolkata are valid but not listed: keep the name asked for, in the usual case.
    const cased = key.replace(/(^|[/_-])([a-z])/g, (_, separator: string, letter: string) => separator + letter.toUpperCase());
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: cased });
      found = cased;
    } catch {
      found = null;
    }
  }
  zoneNames.set(key, found);
  return found;
}

export let zonesByCity: Map<string, string> | null = null;
/** "new york" -> America/New_York, for the cities that name exactly one zone. */
export function cityZones(): Map<string, string> {
  if (zonesByCity) return zonesByCity;
  const counts = new Map<string, string[]>();
  for (const zone of Intl.supportedValuesOf('timeZone')) {
    const city = normalise(zone.split('/').pop() ?? '');
    if (city.length < 3) continue;
    counts.set(city, [...(counts.get(city) ?? []), zone]);
  }
  zonesByCity = new Map([...counts].filter(([, zones]) => zones.length === 1).map(([city, zones]) => [city, zones[0]]));
  return zonesByCity;
}

export const ISO_DAY = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/;

export function tokenize(question: string): Token[] {
  const tokens: Token[] = [];
  const chunks = question
    .normalize('NFKC')
    .replace(/[’‘`´]/g, "'")
    // "1 June – 3 June": a dash between words joins a range, as "to" does
    .replace(/\s[–—-]\s/g, ' to ')
    // "march 3-9", "3–9 march": two days of a month joined by a dash (not the parts of 2026-03-09 or claude-3-5)
    .replace(/(?<![\w-])(\d{1,2}(?:st|nd|rd|th)?)[–—-](\d{1,2}(?:st|nd|rd|th)?)(?![\w-])/gi, '$1 to $2')
    .split(/[\s,;:!?()[\]{}"“”<>|*–—]+/)
    .filter(Boolean);
  let chunkId = 0;
  for (const chunk of chunks) {
    const trimmed = chunk.replace(/^[.'/-]+|[.'/-]+$/g, '');
    const iso = ISO_DAY.exec(trimmed);
    if (iso) {
      const day = { year: Number(iso[1]), month: Number(iso[2]), day: Number(iso[3]) };
      tokens.push({ text: trimmed, norm: normalise(trimmed), used: false, chunk: chunkId++, written: trimmed, day });
      continue;
    }
    if (/^[a-z]+(\/[a-z0-9_+-]+){1,2}$/i.test(trimmed)) {
      const zone = canonicalZone(trimmed);
      if (zone) {
        tokens.push({ text: trimmed.toLowerCase(), norm: normalise(trimmed), used: false, chunk: chunkId++, written: trimmed, zone });
        continue;
      }
    }
    // "spend/model" and "gpt-4o/claude" are two written words, "gpt-4o" is one; & and + join as "and" does.
    for (const written of trimmed.replace(/'(s|d|ve|re|ll|m)$/i, '').split(/([/&+])/)) {
      const part = written.toLowerCase();
      if (part === '&' || part === '+') tokens.push({ text: 'and', norm: 'and', used: false, chunk: chunkId++, written });
      const words = part
        .replace(/([$%])/g, ' $1 ')
        .split(/[\s'/&+\-=~^\\]+/)
        .map((word) => word.replace(/^\.+|\.+$/g, ''))
        .filter(Boolean);
      for (const word of words) tokens.push({ text: word, norm: normalise(word), used: false, chunk: chunkId, written });
      chunkId++;
    }
  }
  return tokens;
}

// ---------------------------------------------------------------- entities

export type EntityKind = 'MODEL' | 'PROVIDER' | 'AGENT' | 'REQUEST_TYPE' | 'TIER';

export interface Entity {
  kind: EntityKind;
  /** The value a filter takes: model id, provider, agent id, request type, tier. */
  value: string;
  /** How it is shown: the agent's name, otherwise the value. */
  label: string;
  norms: string[];
  /** Name parts, normalised: "claude-3-5-sonnet-latest" -> claude, 3, 5, sonnet, latest. */
  segments: string[];
}

export const KIND_PREFERENCE: EntityKind[] = ['MODEL', 'PROVIDER', 'AGENT', 'REQUEST_TYPE', 'TIER'];
const entityTable = <T>(of: (kind: EntityKind) => T) => Object.fromEntries(KIND_PREFERENCE.map((kind) => [kind, of(kind)])) as Record<EntityKind, T>;
/** The nouns that may stand beside a name: "model gpt-4o", "gpt-4o model". */
export const ENTITY_NOUNS = entityTable((kind) => new Set(DIMENSION_CATALOGUE[kind].nouns.flat()));
export const ENTITY_WORDS = entityTable(dimensionWords);
export const FILTER_KEY = entityTable((kind) => DIMENSION_CATALOGUE[kind].filter!.field);
export const EXCLUDE_WORDS = new Set(['excluding', 'except', 'exclude', 'without', 'not', 'besides', 'minus', 'ignoring', 'but']);
/** Two words that exclude what follows: "other than", "except for", "apart from". */
export const EXCLUDE_PAIRS = [
  ['other', 'than'],
  ['except', 'for'],
  ['apart', 'from'],
  ['aside', 'from'],
];

export function entitiesOf(known: KnownEntities): Entity[] {
  const make = (kind: EntityKind, value: string, label = value, extraNames: string[] = []): Entity => ({
    kind,
    value,
    label,
    norms: [...new Set([value, ...extraNames].map(normalise).filter(Boolean))],
    segments: value
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter(Boolean),
  });
  return [
    ...known.models.map((m) => make('MODEL', m)),
    ...known.providers.map((p) => make('PROVIDER', p)),
    ...known.agents.map((a) => make('AGENT', a.id, a.name, [a.name])),
    ...known.requestTypes.filter(Boolean).map((t) => make('REQUEST_TYPE', t)),
    ...known.tiers.filter(Boolean).map((t) => make('TIER', t)),
  ];
}

/** Optimal string alignment distance, stopping early past 1: a one-letter typo is 1. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // one letter changed
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // two swapped
  }
  const [longer, shorter] = a.length > b.length ? [a, b] : [b, a];
  return longer.slice(i + 1) === shorter.slice(i); // one letter added or dropped
}
