import type { UsageFilter } from '../../gql/graphql';

/**
 * The attribution filter of the Overview and Costs pages, kept in the URL's hash query so a
 * filtered view is a link: `tag=prod&tag=eu&meta=feature%3Dsearch&user=u-42`. Small on purpose:
 * the Overview's opening chunk carries it.
 */
export interface AttributionFilter {
  /** Calls carrying every one of these tags. */
  tags: string[];
  /** Calls whose metadata has every one of these pairs (values compared as text). */
  metadata: { key: string; value: string }[];
  /** Calls made for any of these end users. */
  userIds: string[];
}

/** The URL parameters the filter is kept in. */
export const FILTER_PARAMS = { tag: 'tag', meta: 'meta', user: 'user' } as const;

const distinct = (values: string[]) => [...new Set(values.map((value) => value.trim()).filter(Boolean))];

/** The filter a URL's parameters hold; a `meta` value without "=" is ignored. */
export function readFilter(params: URLSearchParams): AttributionFilter {
  const metadata = new Map<string, { key: string; value: string }>();
  for (const pair of params.getAll(FILTER_PARAMS.meta)) {
    const at = pair.indexOf('=');
    const key = at > 0 ? pair.slice(0, at).trim() : '';
    if (key) metadata.set(`${key}\n${pair.slice(at + 1)}`, { key, value: pair.slice(at + 1) });
  }
  return { tags: distinct(params.getAll(FILTER_PARAMS.tag)), metadata: [...metadata.values()], userIds: distinct(params.getAll(FILTER_PARAMS.user)) };
}

/** `params` with the filter written in place of whatever filter they held. */
export function writeFilter(params: URLSearchParams, filter: AttributionFilter): URLSearchParams {
  const next = withoutFilter(params);
  for (const tag of filter.tags) next.append(FILTER_PARAMS.tag, tag);
  for (const { key, value } of filter.metadata) next.append(FILTER_PARAMS.meta, `${key}=${value}`);
  for (const user of filter.userIds) next.append(FILTER_PARAMS.user, user);
  return next;
}

/** `params` without any filter: links to pages the filter does not apply to. */
export function withoutFilter(params: URLSearchParams): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const name of Object.values(FILTER_PARAMS)) next.delete(name);
  return next;
}

/** The UsageFilter of the filter, or undefined when it filters nothing (so queries keep their unfiltered variables and cache). */
export function toUsageFilter(filter: AttributionFilter): UsageFilter | undefined {
  if (isEmptyFilter(filter)) return undefined;
  return {
    ...(filter.tags.length ? { tags: filter.tags } : {}),
    ...(filter.metadata.length ? { metadata: filter.metadata } : {}),
    ...(filter.userIds.length ? { userIds: filter.userIds } : {}),
  };
}

export function isEmptyFilter(filter: AttributionFilter): boolean {
  return filter.tags.length + filter.metadata.length + filter.userIds.length === 0;
}
