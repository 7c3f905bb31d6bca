import { bucketKey, buildTimeAxis, densify } from './time-axis';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('bucketKey', () => {
  it.each([
    ['2025-05-03T23:30:00Z', 'DAY', 'UTC', '2025-05-03'],
    ['2025-05-03T23:30:00Z', 'DAY', 'Europe/Berlin', '2025-05-04'],
    ['2025-05-03T03:30:00Z', 'DAY', 'America/New_York', '2025-05-02'],
    ['2025-05-03T00:00:00Z', 'HOUR', 'UTC', '2025-05-03T00'],
    ['2025-05-03T10:00:00Z', 'HOUR', 'Asia/Kolkata', '2025-05-03T15'],
  ] as const)('puts %p in the %s bucket of %s as %p', (iso, unit, zone, expected) => {
    expect(bucketKey(new Date(iso), unit, zone)).toBe(expected);
  });
});

describe('buildTimeAxis', () => {
  const now = new Date('2025-05-03T15:20:00Z');

  it('has every day that part of a 7-day period falls in, oldest first', () => {
    const axis = buildTimeAxis({ unit: 'DAY', from: new Date(now.getTime() - 7 * DAY), to: now, timeZone: 'UTC' });
    expect(axis.slots.map((slot) => slot.key)).toEqual([
      '2025-04-26',
      '2025-04-27',
      '2025-04-28',
      '2025-04-29',
      '2025-04-30',
      '2025-05-01',
      '2025-05-02',
      '2025-05-03',
    ]);
  });

  it('counts days in the given time zone', () => {
    const late = new Date('2025-05-03T23:30:00Z');
    const axis = buildTimeAxis({ unit: 'DAY', from: new Date(late.getTime() - DAY), to: late, timeZone: 'Asia/Tokyo' });
    expect(axis.slots.map((slot) => slot.key)).toEqual(['2025-05-03', '2025-05-04']);
  });

  it('has every hour of a 24-hour period, the current partial hour included', () => {
    const axis = buildTimeAxis({ unit: 'HOUR', from: new Date(now.getTime() - DAY), to: now, timeZone: 'UTC' });
    expect(axis.slots).toHaveLength(25);
    expect(axis.slots[0].key).toBe('2025-05-02T15');
    expect(axis.slots[24].key).toBe('2025-05-03T15');
  });

  it('labels days and hours for ticks and tooltips', () => {
    const days = buildTimeAxis({ unit: 'DAY', from: new Date('2025-05-03T00:00:00Z'), to: now, timeZone: 'UTC' });
    const hours = buildTimeAxis({ unit: 'HOUR', from: new Date('2025-05-03T14:00:00Z'), to: now, timeZone: 'UTC' });
    expect(days.slots[0]).toMatchObject({ tickLabel: '3 May', fullLabel: 'Sat 3 May' });
    expect(hours.slots[0]).toMatchObject({ tickLabel: '14:00', fullLabel: 'Sat 3 May, 14:00' });
  });

  it('spaces at most maxTicks ticks evenly and always labels the latest bucket', () => {
    const axis = buildTimeAxis({ unit: 'DAY', from: new Date(now.getTime() - 90 * DAY), to: now, timeZone: 'UTC', maxTicks: 8 });
    expect(axis.tickKeys.length).toBeLessThanOrEqual(8);
    expect(axis.tickKeys.at(-1)).toBe('2025-05-03');
  });
});

describe('densify', () => {
  const now = new Date('2025-05-03T15:20:00Z');
  const axis = buildTimeAxis({ unit: 'DAY', from: new Date(now.getTime() - 2 * DAY), to: now, timeZone: 'UTC' });
  const points = [
    { bucket: new Date('2025-05-01T00:00:00Z'), value: 5 },
    { bucket: new Date('2025-05-03T00:00:00Z'), value: 2 },
    { bucket: new Date('2025-05-03T09:00:00Z'), value: 3 },
    { bucket: new Date('2025-04-01T00:00:00Z'), value: 100 },
  ];

  it('writes a zero for an empty bucket of a count', () => {
    expect(densify(axis, points, 'zero')).toEqual([5, 0, 5]);
  });

  it('leaves a gap for an empty bucket of an average', () => {
    expect(densify(axis, points, 'gap')).toEqual([5, null, 5]);
  });
});
