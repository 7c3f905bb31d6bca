import { resolveTimeZone, timeZoneChoices } from './time-zone';

describe('the time zone the dashboard shows', () => {
  it.each([
    ['Asia/Kolkata', 'Asia/Kolkata'],
    ['UTC', 'UTC'],
    ['Mars/Olympus', 'Europe/Berlin'],
    ['', 'Europe/Berlin'],
    [null, 'Europe/Berlin'],
  ])('is %s from the URL as %s (the browser being in Europe/Berlin)', (param, expected) => {
    expect(resolveTimeZone(param, () => 'Europe/Berlin')).toBe(expected);
  });

  it('offers the browser\'s zone, then UTC, then the others in order, with readable names', () => {
    const choices = timeZoneChoices('Europe/Berlin', null, ['UTC', 'America/New_York', 'Asia/Kolkata']);
    expect(choices).toEqual([
      { value: '', label: "This browser's (Europe/Berlin)" },
      { value: 'UTC', label: 'UTC' },
      { value: 'America/New_York', label: 'America/New York' },
      { value: 'Asia/Kolkata', label: 'Asia/Kolkata' },
    ]);
  });

  it('keeps a chosen zone the browser does not list, so the picker shows what the pages use', () => {
    expect(timeZoneChoices('UTC', 'Etc/GMT+5', ['UTC']).map((c) => c.value)).toEqual(['', 'UTC', 'Etc/GMT+5']);
  });
});
