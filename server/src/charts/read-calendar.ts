/** A matcher that reads calendar phrases: quarters, weekends, fortnights, "the week before last", "since the start of the month", "since 9am". */
import { PREVIOUS_WORDS, UNIT_WORDS } from './question-words';
import { type Reading, text, zoneOf } from './question-reading';
import type { Finding } from './question-finding';
import { rangeFinding } from './read-time';
import { type CalendarUnit, type ResolvedRange, calendarQuarter, calendarRange, quarterRange, rollingRange, sinceRange, weekendRange } from './time-expressions';
import { addDays, fromLocal, localDay, localTime } from './zoned-time';

const QUARTER_WORDS = new Set(['quarter', 'qtr']);
const START_WORDS = new Set(['start', 'beginning', 'begin']);

/** A calendar unit at token i: "week", "month", "quarter" (as 'quarter'), "yr". */
function unitAt(r: Reading, i: number): CalendarUnit | 'quarter' | null {
  if (QUARTER_WORDS.has(text(r, i))) return 'quarter';
  const unit = UNIT_WORDS[text(r, i)];
  return unit && unit !== 'minute' && unit !== 'hour' && text(r, i).length > 1 && !text(r, i).endsWith('s') ? unit : null;
}

function unitRange(unit: CalendarUnit | 'quarter', offset: number, zone: string, now: Date): ResolvedRange {
  return unit === 'quarter' ? calendarQuarter(offset, zone, now) : calendarRange(unit, offset, zone, now);
}

/** "9am", "9 pm", "noon", "midnight" at token i: the hour and the token after it. */
function hourAt(r: Reading, i: number): { hour: number; end: number } | null {
  if (text(r, i) === 'noon' || text(r, i) === 'midday') return { hour: 12, end: i + 1 };
  if (text(r, i) === 'midnight') return { hour: 0, end: i + 1 };
  const glued = /^(\d{1,2})(am|pm)$/.exec(text(r, i));
  const [hourText, half, end] = glued ? [glued[1], glued[2], i + 1] : [text(r, i), text(r, i + 1), i + 2];
  const hour = /^\d{1,2}$/.test(hourText) ? Number(hourText) : -1;
  if (hour < 1 || hour > 12 || (half !== 'am' && half !== 'pm')) return null;
  return { hour: (hour % 12) + (half === 'pm' ? 12 : 0), end };
}

export function calendarPhraseAt(r: Reading, i: number): Finding | null {
  const { now } = r.context;
  const word = text(r, i);
  const zone = zoneOf(r);
  const prefixed = PREVIOUS_WORDS.has(word) || ['this', 'current', 'past', 'the'].includes(word);
  const noun = prefixed ? text(r, i + 1) : word;
  const end = prefixed ? i + 2 : i + 1;

  // q1, Q3 2025: the most recent such quarter unless a year is named
  const quarter = /^q([1-4])$/.exec(word);
  if (quarter) {
    const year = /^(19|20)\d{2}$/.test(text(r, i + 1)) ? Number(text(r, i + 1)) : null;
    const today = localDay(now, zone);
    const started = 3 * Number(quarter[1]) - 2 <= today.month;
    return rangeFinding(quarterRange(year ?? (started ? today.year : today.year - 1), Number(quarter[1]), zone, now), i, year === null ? i + 1 : i + 2);
  }
  // this quarter, last qtr, qtd, quarter to date; a past quarter rolls, as a past month does
  if (word === 'qtd' || (QUARTER_WORDS.has(word) && text(r, i + 1) === 'to' && text(r, i + 2) === 'date')) {
    return rangeFinding(calendarQuarter(0, zone, now), i, word === 'qtd' ? i + 1 : i + 3);
  }
  if (prefixed && word !== 'the' && QUARTER_WORDS.has(noun)) {
    return rangeFinding(word === 'past' ? rollingRange(3, 'month', now) : calendarQuarter(PREVIOUS_WORDS.has(word) ? -1 : 0, zone, now), i, end);
  }
  // last weekend, over the weekend, this weekend
  if (noun === 'weekend' && (prefixed || ['over', 'on'].includes(text(r, i - 1)))) {
    return rangeFinding(weekendRange(word === 'this' || word === 'current' ? 0 : -1, zone, now), i, end);
  }
  // past fortnight, last fortnight, the last fortnight: 14 days up to now
  if (noun === 'fortnight' && prefixed) {
    return rangeFinding(rollingRange(14, 'day', now), i, end);
  }
  // the week before last, the month before last
  const unit = unitAt(r, i);
  if (unit && text(r, i + 1) === 'before' && PREVIOUS_WORDS.has(text(r, i + 2))) {
    const range = rangeFinding(unitRange(unit, -2, zone, now), i, i + 3);
    return text(r, i - 1) === 'the' ? { ...range, also: [{ from: i - 1, to: i }] } : range;
  }
  if (word !== 'since' && word !== 'from') return null;
  // since the start of the month, from the beginning of last year
  const skip = text(r, i + 1) === 'the' ? 1 : 0;
  if (START_WORDS.has(text(r, i + 1 + skip)) && text(r, i + 2 + skip) === 'of') {
    const which = text(r, i + 3 + skip);
    const at = ['the', 'this', 'current'].includes(which) || PREVIOUS_WORDS.has(which) ? i + 4 + skip : i + 3 + skip;
    const startUnit = unitAt(r, at);
    if (!startUnit) return null;
    const offset = PREVIOUS_WORDS.has(which) ? -1 : 0;
    const start = unitRange(startUnit, offset, zone, now);
    const words = `since the start of ${offset ? 'last' : 'this'} ${startUnit}`;
    return rangeFinding({ from: start.from, to: now, phrase: words, title: words }, i, at + 1);
  }
  // since 9am, since noon: today's, or yesterday's when that time is still to come
  const hour = hourAt(r, i + 1);
  if (word === 'since' && hour) {
    const today = localTime(now, zone);
    const at = fromLocal(today, zone, hour.hour);
    const day = at.getTime() > now.getTime() ? addDays(today, -1) : today;
    const words = `since ${String(hour.hour).padStart(2, '0')}:00`;
    return rangeFinding({ ...sinceRange(day, zone, now, words), from: fromLocal(day, zone, hour.hour) }, i, hour.end);
  }
  return null;
}
