import type { Params } from '../db/db';
import { badInput } from '../graphql/errors';
import type { MetadataPair, UsageFilterValues } from './metrics.model';

/** Key/value pairs one metadata filter may name. */
export const MAX_METADATA_PAIRS = 20;

/** A call's attribution, as the live feeds hold it. */
export interface AttributedCall {
  userId: string | null;
  tags: string[];
  metadata: Record<string, unknown> | null;
}

/** The text a top-level metadata value is compared as: strings as they are, numbers and booleans as JSON writes them; anything else matches nothing. */
export function metadataText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  return null;
}

const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * The JSON values whose text is `value`: the string itself, and the number or boolean it
 * spells. Containment (`@>`) of any of them finds the candidate rows through the metadata's
 * GIN index; the text comparison beside it keeps the rule exact ("5.0" is not 5).
 */
function candidates(pair: MetadataPair): string[] {
  const values: unknown[] = [pair.value];
  if (JSON_NUMBER.test(pair.value) && Number.isFinite(Number(pair.value))) values.push(Number(pair.value));
  if (pair.value === 'true' || pair.value === 'false') values.push(pair.value === 'true');
  return values.map((v) => JSON.stringify({ [pair.key]: v }));
}

/** Refuses a metadata filter with too many pairs or an empty key, naming it. */
export function checkAttributionFilter(filter: UsageFilterValues | null | undefined): void {
  const pairs = filter?.metadata;
  if (!pairs) return;
  if (pairs.length > MAX_METADATA_PAIRS) throw badInput(`filter.metadata takes at most ${MAX_METADATA_PAIRS} pairs, but got ${pairs.length}`);
  pairs.forEach((pair, i) => {
    if (pair.key === '') throw badInput(`filter.metadata[${i}].key must not be empty, but got ""`);
  });
}

/**
 * The conditions on raw rows (`llm_usage`) of a filter's userIds (any of), tags (every one) and
 * metadata (every pair, as text). `userColumn` reads the user as groupings name it ('' for none).
 */
export function attributionConditions(filter: UsageFilterValues | null | undefined, params: Params, userColumn = "coalesce(user_id, '')"): string[] {
  if (!filter) return [];
  const conditions: string[] = [];
  if (filter.userIds && filter.userIds.length > 0) conditions.push(`${userColumn} = ANY(${params.add(filter.userIds)}::text[])`);
  if (filter.tags && filter.tags.length > 0) conditions.push(`tags @> ${params.add(filter.tags)}::text[]`);
  for (const pair of filter.metadata ?? []) {
    const contained = candidates(pair).map((json) => `metadata @> ${params.add(json)}::jsonb`);
    conditions.push(`(${contained.join(' OR ')}) AND metadata ->> ${params.add(pair.key)} = ${params.add(pair.value)}`);
  }
  return conditions;
}

/** The same rule as attributionConditions, for one call in hand. */
export function attributionMatches(call: AttributedCall, filter: UsageFilterValues | null | undefined): boolean {
  if (!filter) return true;
  if (filter.userIds && filter.userIds.length > 0 && !filter.userIds.includes(call.userId ?? '')) return false;
  if (filter.tags && !filter.tags.every((tag) => call.tags.includes(tag))) return false;
  return (filter.metadata ?? []).every((pair) => call.metadata !== null && Object.hasOwn(call.metadata, pair.key) && metadataText(call.metadata[pair.key]) === pair.value);
}
