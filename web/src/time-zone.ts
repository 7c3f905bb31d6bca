import { createContext, useContext } from 'react';
import { browserTimeZone } from './format';

/** The URL parameter that picks the zone days and times are shown in ("#/overview?tz=Asia%2FKolkata"). */
export const TIME_ZONE_PARAM = 'tz';

/** Whether the browser knows the IANA zone. */
export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The zone the dashboard shows days and times in: the URL's choice when the browser knows it, else the browser's own. */
export function resolveTimeZone(param: string | null | undefined, fallback: () => string = browserTimeZone): string {
  return param && isKnownTimeZone(param) ? param : fallback();
}

/** One entry of the time zone picker. */
export interface TimeZoneChoice {
  /** The URL parameter's value; "" for the browser's own zone (no parameter). */
  value: string;
  label: string;
}

/**
 * The picker's entries: the browser's zone first, then UTC, then every zone the browser knows.
 * `chosen` is kept even when the browser's list lacks it, so the control never shows another zone.
 */
export function timeZoneChoices(browserZone: string, chosen: string | null, known: readonly string[] = supportedTimeZones()): TimeZoneChoice[] {
  const choices: TimeZoneChoice[] = [
    { value: '', label: `This browser's (${browserZone})` },
    { value: 'UTC', label: 'UTC' },
  ];
  const rest = new Set(known);
  if (chosen && chosen !== 'UTC') rest.add(chosen);
  rest.delete('UTC');
  for (const zone of [...rest].sort()) choices.push({ value: zone, label: zone.replace(/_/g, ' ') });
  return choices;
}

function supportedTimeZones(): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: 'timeZone') => string[] };
  return intl.supportedValuesOf?.('timeZone') ?? [];
}

/** The zone the dashboard shows days and times in, for components the page does not hand it to. */
export const DisplayTimeZoneContext = createContext<string>('UTC');

/** The zone days and times are shown in (the URL's choice, or the browser's). */
export function useDisplayTimeZone(): string {
  return useContext(DisplayTimeZoneContext);
}
