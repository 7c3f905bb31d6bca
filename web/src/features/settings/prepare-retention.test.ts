import { describePreview, describeRetention, describeStored, parseRetentionDays } from './prepare-retention';

describe('parseRetentionDays', () => {
  it('takes empty as for ever and a whole number of days from 1', () => {
    expect(parseRetentionDays('  ')).toEqual({ days: null });
    expect(parseRetentionDays(' 30 ')).toEqual({ days: 30 });
  });

  it.each([
    ['0', 'Keep raw calls from 1 to 36,500 days, not 0.'],
    ['7.5', 'Days are a whole number (or empty to keep raw calls for ever), not "7.5".'],
    ['forty', 'Days are a whole number (or empty to keep raw calls for ever), not "forty".'],
  ])('says what is wrong with %s', (text, problem) => {
    expect(parseRetentionDays(text)).toEqual({ problem });
  });
});

describe('retention in words', () => {
  it('names the setting', () => {
    expect(describeRetention(null)).toBe('Raw calls are kept for ever.');
    expect(describeRetention(1)).toBe('Raw calls are kept for 1 day.');
    expect(describeRetention(30)).toBe('Raw calls are kept for 30 days.');
  });

  it('says what is stored and from when raw calls are kept', () => {
    expect(describeStored({ rawCalls: 1234, oldestRawCall: '2026-06-03T14:00:00Z' }, '2026-06-01T00:00:00Z', 'UTC')).toBe(
      '1,234 raw calls stored, the oldest from 3 Jun 2026, 14:00; raw calls before 1 Jun 2026, 00:00 were deleted by retention (charts keep them).',
    );
    expect(describeStored({ rawCalls: 0, oldestRawCall: null }, null, 'UTC')).toBe('0 raw calls stored.');
  });

  it('says how many calls a retention deletes, and from when, before it is confirmed', () => {
    expect(describePreview({ cut: '2026-06-24T12:00:00Z', calls: 2500, oldestCall: '2026-05-01T08:30:00Z' }, 'UTC')).toBe(
      'This deletes 2,500 raw calls (from 1 May 2026, 08:30) from before 24 Jun 2026, 12:00. Every chart keeps them; the calls list and the CSV export will start there.',
    );
    expect(describePreview({ cut: '2026-06-24T12:00:00Z', calls: 0, oldestCall: null }, 'UTC')).toBe(
      'No raw call is older than 24 Jun 2026, 12:00: nothing is deleted now; older calls go as they age.',
    );
    expect(describePreview({ cut: null, calls: 0, oldestCall: null }, 'UTC')).toBe('Raw calls will be kept for ever: nothing is deleted.');
  });
});
