import { isEmptyFilter, readFilter, toUsageFilter, withoutFilter, writeFilter } from './usage-filter';

describe('the attribution filter in the URL', () => {
  it('reads tags, metadata pairs and users, trimmed and without repeats', () => {
    const params = new URLSearchParams('tag=prod&tag=%20prod%20&tag=eu&meta=feature%3Dsearch&meta=tier%3Dgold%3Dplus&user=u-1&period=LAST_7D');
    expect(readFilter(params)).toEqual({
      tags: ['prod', 'eu'],
      metadata: [
        { key: 'feature', value: 'search' },
        { key: 'tier', value: 'gold=plus' },
      ],
      userIds: ['u-1'],
    });
  });

  it('ignores a metadata parameter without a key and "="', () => {
    expect(readFilter(new URLSearchParams('meta=feature&meta=%3Dx')).metadata).toEqual([]);
  });

  it('writes the filter in place of the old one and keeps the other parameters', () => {
    const params = writeFilter(new URLSearchParams('period=LAST_30D&tag=old'), { tags: ['prod'], metadata: [{ key: 'feature', value: 'search' }], userIds: ['u-2'] });
    expect(params.toString()).toBe('period=LAST_30D&tag=prod&meta=feature%3Dsearch&user=u-2');
    expect(readFilter(params)).toEqual({ tags: ['prod'], metadata: [{ key: 'feature', value: 'search' }], userIds: ['u-2'] });
    expect(withoutFilter(params).toString()).toBe('period=LAST_30D');
  });

  it('is no UsageFilter at all when it filters nothing, so unfiltered queries keep their variables', () => {
    const none = readFilter(new URLSearchParams('period=LAST_7D'));
    expect(isEmptyFilter(none)).toBe(true);
    expect(toUsageFilter(none)).toBeUndefined();
    expect(toUsageFilter({ tags: ['prod'], metadata: [], userIds: [] })).toEqual({ tags: ['prod'] });
    expect(toUsageFilter({ tags: [], metadata: [{ key: 'k', value: 'v' }], userIds: ['u'] })).toEqual({ metadata: [{ key: 'k', value: 'v' }], userIds: ['u'] });
  });
});
