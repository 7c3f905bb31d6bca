/** Matchers that read time: zones ("Berlin time"), ranges ("last 7 days", "since March") and buckets ("per day"). */
import type { TimeBucket } from '../metrics/metrics.model';
import { BARE_UNITS, BUCKET_ADVERBS, BUCKET_OF_UNIT, COMPACT_DURATION, MONTHS, PREVIOUS_WORDS, TREND_WORDS, UNIT_WORDS, WEEKDAY_WORDS, ZONE_ABBREVIATIONS, ZONE_WORDS, wordTable } from './question-words';
import { cityZones } from './question-tokens';
import { type Reading, free, numberAt, text, zoneOf } from './question-reading';
import type { Finding } from './question-finding';
import { type ResolvedRange, calendarRange, completeYear, dayRange, daysRange, lastWeekday, monthRange, recentDayOfMonth, rollingRange, sinceRange } from './time-expressions';
import { type LocalDay, addDays, addMonths, compareDays, formatMonth, isRealDay, localDay } from './zoned-time';

const zoneFinding = (zone: string, from: number, to: number): Finding => ({ zone, take: { from, to, words: `in ${zone}` } });

/** A range over tokens [from, to), in the words of its title. */
export const rangeFinding = (range: ResolvedRange, from: number, to: number): Finding => ({ range, take: { from, to, words: range.title } });

export function zoneAt(r: Reading, i: number): Finding | null {
  const token = r.tokens[i];
  if (token.zone) return zoneFinding(token.zone, i, i + 1);
  const abbreviation = ZONE_ABBREVIATIONS[token.text];
  if (abbreviation) return zoneFinding(abbreviation, i, ZONE_WORDS.has(text(r, i + 1)) ? i + 2 : i + 1);
  // "<city> time": Berlin time, New York time, Los Angeles timezone.
  for (let length = 3; length >= 1; length--) {
    if (!ZONE_WORDS.has(text(r, i + length))) continue;
    const span = r.tokens.slice(i, i + length);
    if (span.length < length || span.some((t) => t.used)) continue;
    const zone = cityZones().get(span.map((t) => t.norm).join(''));
    if (zone) return zoneFinding(zone, i, i + length + 1);
  }
  return null;
}

/** A day of the month as written: "3", "3rd", "31st". */
function dayOfMonth(word: string): number | null {
  const match = /^(\d{1,2})(st|nd|rd|th)?$/.exec(word);
  return match && Number(match[1]) >= 1 && Number(match[1]) <= 31 ? Number(match[1]) : null;
}

/** Whether `joiner` joins two dates into a range: "and" only after "between" or "from". */
function joinsRange(joiner: string, startsRange: boolean): boolean {
  return ['to', 'until', 'till', 'through', 'thru'].includes(joiner) || (startsRange && joiner === 'and');
}

/** A date at token i: "2026-03-01", "march 3", "3rd of march 2026", "yesterday". */
function dateAt(r: Reading, i: number): { day: LocalDay; end: number } | null {
  if (!free(r, i)) return null;
  const token = r.tokens[i];
  const { now } = r.context;
  const zone = zoneOf(r);
  if (token.day) return isRealDay(token.day) ? { day: token.day, end: i + 1 } : null;
  if (token.text === 'today') return { day: localDay(now, zone), end: i + 1 };
  if (token.text === 'yesterday') return { day: addDays(localDay(now, zone), -1), end: i + 1 };
  const weekday = WEEKDAY_WORDS[token.text];
  if (weekday) return { day: lastWeekday(weekday, zone, now, false), end: i + 1 };
  if (PREVIOUS_WORDS.has(token.text) && WEEKDAY_WORDS[text(r, i + 1)]) {
    return { day: lastWeekday(WEEKDAY_WORDS[text(r, i + 1)], zone, now, true), end: i + 2 };
  }
  const dayNumber = (j: number): number | null => dayOfMonth(text(r, j));
  const yearAt = (j: number): number | null => (/^(19|20)\d{2}$/.test(text(r, j)) ? Number(text(r, j)) : null);
  const complete = (month: number, day: number, yearIndex: number): { day: LocalDay; end: number } | null => {
    const year = yearAt(yearIndex);
    if (year !== null) {
      const exact = { year, month, day };
      return isRealDay(exact) ? { day: exact, end: yearIndex + 1 } : null;
    }
    const guessed = completeYear(month, day, zone, now);
    return guessed ? { day: guessed, end: yearIndex } : null;
  };
  const month = MONTHS[token.text];
  if (month && dayNumber(i + 1) !== null) return complete(month, dayNumber(i + 1)!, i + 2);
  const day = dayNumber(i);
  if (day !== null) {
    const ofSkip = text(r, i + 1) === 'of' ? 1 : 0;
    const monthAfter = MONTHS[text(r, i + 1 + ofSkip)];
    if (monthAfter) return complete(monthAfter, day, i + 2 + ofSkip);
  }
  // "the 10th" with no month: this month's, or last month's when today is before it
  const ordinal = token.text === 'the' && /^\d{1,2}(st|nd|rd|th)$/.test(text(r, i + 1)) ? dayNumber(i + 1) : null;
  if (ordinal !== null && dateAt(r, i + 1) === null) {
    const recent = recentDayOfMonth(ordinal, zone, now);
    return recent ? { day: recent, end: i + 2 } : null;
  }
  return null;
}

/** "9" after "march 3 to": a day of the first date's month. */
function sameMonthDay(r: Reading, first: LocalDay, i: number): { day: LocalDay; end: number } | null {
  const number = dayOfMonth(text(r, i));
  if (number === null || UNIT_WORDS[text(r, i + 1)] || MONTHS[text(r, i + 1)]) return null;
  const day = { ...first, day: number };
  return isRealDay(day) && day.day >= first.day ? { day, end: i + 1 } : null;
}

/** A day of the month at token i, "3", "3rd", "the 3rd", written with no month of its own. */
function bareDay(r: Reading, i: number): { day: number; end: number } | null {
  const at = text(r, i) === 'the' ? i + 1 : i;
  const day = dayOfMonth(text(r, at));
  if (day === null || MONTHS[text(r, at + 1)] || text(r, at + 1) === 'of') return null;
  return { day, end: at + 1 };
}

/** "between the 3rd and 9th of march", "3-9 march": a first day whose month is the second date's (or the one before, for "28th to 3rd of march"). */
function dayPairBeforeMonth(r: Reading, i: number, startsRange: boolean): { first: LocalDay; last: LocalDay; end: number } | null {
  const first = bareDay(r, i);
  if (!first || !joinsRange(text(r, first.end), startsRange)) return null;
  const afterJoin = text(r, first.end + 1) === 'the' ? first.end + 2 : first.end + 1;
  const last = dateAt(r, afterJoin);
  if (!last || (!MONTHS[text(r, afterJoin + 1)] && !MONTHS[text(r, afterJoin + 2)])) return null;
  const sameMonth = { ...last.day, day: first.day };
  const day = first.day <= last.day.day ? sameMonth : { ...addMonths({ ...last.day, day: 1 }, -1), day: first.day };
  return isRealDay(day) ? { first: day, last: last.day, end: last.end } : null;
}

export function timeRangeAt(r: Reading, i: number): Finding | Finding[] | null {
  const { now } = r.context;
  const word = text(r, i);
  const zone = zoneOf(r);

  // between A and B / from A to B / A to B
  const startsRange = word === 'between' || word === 'from';
  const pair = dayPairBeforeMonth(r, startsRange ? i + 1 : i, startsRange);
  if (pair) return rangeFinding(daysRange(pair.first, pair.last, zone, now), i, pair.end);
  const first = dateAt(r, startsRange ? i + 1 : i);
  if (first) {
    if (joinsRange(text(r, first.end), startsRange)) {
      const second = dateAt(r, first.end + 1) ?? sameMonthDay(r, first.day, first.end + 1);
      if (second) {
        const [a, b] = compareDays(first.day, second.day) <= 0 ? [first.day, second.day] : [second.day, first.day];
        return rangeFinding(daysRange(a, b, zone, now), i, second.end);
      }
    }
  }

  // since last week, since this month
  if (word === 'since' && ['last', 'this', 'previous', 'prev'].includes(text(r, i + 1)) && ['week', 'month', 'year'].includes(text(r, i + 2))) {
    const unit = text(r, i + 2) as 'week' | 'month' | 'year';
    const start = calendarRange(unit, text(r, i + 1) === 'this' ? 0 : -1, zone, now);
    return rangeFinding({ ...start, to: now, phrase: `since the start of ${text(r, i + 1)} ${unit}`, title: `since ${text(r, i + 1)} ${unit}` }, i, i + 3);
  }

  // since March, since January 2026: from the first of the most recent such month
  const sinceMonth = word === 'since' && free(r, i + 1) && !dateAt(r, i + 1) ? MONTHS[text(r, i + 1)] : undefined;
  if (sinceMonth) {
    const yearText = text(r, i + 2);
    const explicitYear = /^(19|20)\d{2}$/.test(yearText) ? Number(yearText) : null;
    const today = localDay(now, zone);
    const year = explicitYear ?? (sinceMonth <= today.month ? today.year : today.year - 1);
    return rangeFinding(sinceRange({ year, month: sinceMonth, day: 1 }, zone, now, `since ${formatMonth(year, sinceMonth)}`), i, explicitYear === null ? i + 2 : i + 3);
  }

  // since A
  if (word === 'since' || (word === 'after' && dateAt(r, i + 1))) {
    const start = dateAt(r, i + 1);
    if (start) {
      const words = ['yesterday', 'today'].includes(text(r, i + 1)) ? `since ${text(r, i + 1)}` : undefined;
      return rangeFinding(sinceRange(start.day, zone, now, words), i, start.end);
    }
  }

  // last 7 days / past 24 hours / 3 weeks / 7d / 2 days ago (but "top 3 days" ranks days)
  if (['top', 'bottom'].includes(text(r, i - 1))) return null;
  const prefixed = ['last', 'past', 'previous', 'prev', 'prior', 'trailing', 'recent', 'next'].includes(word) ? 1 : 0;
  const compact = COMPACT_DURATION.exec(text(r, i + prefixed));
  let count = compact ? Number(compact[1]) : numberAt(r, i + prefixed);
  let unitIndex = i + prefixed + (compact ? 0 : 1);
  if (!compact && count !== null && text(r, unitIndex) === 'of') unitIndex++;
  const unit = compact ? UNIT_WORDS[compact[2]] : UNIT_WORDS[text(r, unitIndex)];
  if (count !== null && unit && (prefixed || compact || BARE_UNITS.has(text(r, unitIndex)))) {
    if (word === 'next') {
      return { reason: { at: i, text: 'a time range in the future has no data yet' }, block: { from: i, to: unitIndex + 1 } };
    }
    if (count < 1) {
      return { reason: { at: i, text: `a time range needs at least 1 ${unit}, but got ${count}` } };
    }
    if (text(r, unitIndex + 1) === 'ago') {
      if (unit === 'hour' || unit === 'minute') {
        return { reason: { at: i, text: `a whole ${unit} some ${unit}s ago is not a range this reads; ask for "the last N ${unit}s"` } };
      }
      return rangeFinding(calendarRange(unit, -count, zone, now), i, unitIndex + 2);
    }
    count = Math.min(count, 100_000);
    return rangeFinding(rollingRange(count, unit, now), i, unitIndex + 1);
  }

  // last week / past month / this year / current month / this week so far / last wk
  const thisOrLast = ['this', 'current', 'past', 'prior'].includes(word) || PREVIOUS_WORDS.has(word);
  const bareUnit = UNIT_WORDS[text(r, i + 1)];
  if (thisOrLast && bareUnit && text(r, i + 1).length > 1 && !text(r, i + 1).endsWith('s')) {
    const end = text(r, i + 2) === 'so' && text(r, i + 3) === 'far' ? i + 4 : i + 2;
    if (bareUnit === 'hour' || bareUnit === 'minute') return rangeFinding(rollingRange(1, bareUnit, now), i, end);
    if (word === 'this' || word === 'current') return rangeFinding(calendarRange(bareUnit, 0, zone, now), i, end);
    if (word === 'past' || bareUnit === 'day') return rangeFinding(rollingRange(1, bareUnit, now), i, end);
    return rangeFinding(calendarRange(bareUnit, -1, zone, now), i, end);
  }

  // week to date, mtd, ytd
  const toDate: Record<string, 'week' | 'month' | 'year'> = wordTable({ wtd: 'week', mtd: 'month', ytd: 'year' });
  if (toDate[word]) {
    return rangeFinding(calendarRange(toDate[word], 0, zone, now), i, i + 1);
  }
  if (['week', 'month', 'year'].includes(word) && text(r, i + 1) === 'to' && text(r, i + 2) === 'date') {
    return rangeFinding(calendarRange(word as 'week' | 'month' | 'year', 0, zone, now), i, i + 3);
  }

  if (word === 'today') {
    return rangeFinding(calendarRange('day', 0, zone, now), i, i + 1);
  }
  if (word === 'yesterday') {
    const dayBefore = text(r, i - 1) === 'before' && text(r, i - 2) === 'day';
    if (dayBefore) {
      // "the" is taken even when the range clashes, unlike in "the week before last"
      const range = rangeFinding(calendarRange('day', -2, zone, now), i - 2, i + 1);
      return text(r, i - 3) === 'the' ? [range, { take: { from: i - 3, to: i - 2, words: '' } }] : range;
    }
    return rangeFinding(calendarRange('day', -1, zone, now), i, i + 1);
  }

  // in 2025, during 2024: a calendar year up to now
  if (/^(19|20)\d{2}$/.test(word) && ['in', 'during', 'for', 'throughout', 'of'].includes(text(r, i - 1))) {
    const year = Number(word);
    const today = localDay(now, zone);
    if (year > today.year) {
      return { reason: { at: i, text: `a year in the future has no data yet, but got ${year}` } };
    }
    return rangeFinding({ ...calendarRange('year', year - today.year, zone, now), phrase: `in ${year}`, title: String(year) }, i, i + 1);
  }

  // in March / March 2026 / on 2026-03-01 / on Monday
  const monthAt = (j: number): number | undefined => (free(r, j) ? MONTHS[text(r, j)] : undefined);
  const month = monthAt(i);
  if (month && !dateAt(r, i)) {
    const yearText = text(r, i + 1);
    const explicitYear = /^(19|20)\d{2}$/.test(yearText) ? Number(yearText) : null;
    // "may" is also a verb: take it as a month only with a year or after in/during/since.
    if (text(r, i) === 'may' && explicitYear === null && !['in', 'during', 'for', 'of'].includes(text(r, i - 1))) return null;
    const today = localDay(now, zone);
    const year = explicitYear ?? (month <= today.month ? today.year : today.year - 1);
    return rangeFinding(monthRange(year, month, zone, now), i, explicitYear === null ? i + 1 : i + 2);
  }
  const day = dateAt(r, i);
  return day ? rangeFinding(dayRange(day.day, zone, now), i, day.end) : null;
}

const unitBucket = (word: string): TimeBucket | null => (BARE_UNITS.has(word) || word === 'date' || word === 'dates' ? (BUCKET_OF_UNIT[UNIT_WORDS[word] ?? 'day'] ?? null) : null);
const bucketFinding = (bucket: TimeBucket | 'auto', from: number, to: number, words: string): Finding => ({ bucket, take: { from, to, words } });

export function bucketAt(r: Reading, i: number): Finding | null {
  const word = text(r, i);
  if (BUCKET_ADVERBS[word]) return bucketFinding(BUCKET_ADVERBS[word], i, i + 1, word);
  // day by day, week over week, month-to-month
  const unit = unitBucket(word);
  if (unit && ['by', 'over', 'to', 'on'].includes(text(r, i + 1)) && unitBucket(text(r, i + 2)) === unit) {
    return bucketFinding(unit, i, i + 3, `${word.replace(/s$/, '')} by ${word.replace(/s$/, '')}`);
  }
  const shorthand: Record<string, TimeBucket> = wordTable({ dod: 'DAY', wow: 'WEEK', mom: 'MONTH' });
  if (shorthand[word]) return bucketFinding(shorthand[word], i, i + 1, word);
  // per day, by the hour, each week, every month, a day
  if (['per', 'by', 'each', 'every', 'a', 'an'].includes(word)) {
    const skip = text(r, i + 1) === 'the' ? 1 : 0;
    const bucket = unitBucket(text(r, i + 1 + skip));
    if (bucket) return bucketFinding(bucket, i, i + 2 + skip, `per ${text(r, i + 1 + skip).replace(/s$/, '')}`);
  }
  if ((word === 'over' || word === 'through' || word === 'across') && text(r, i + 1) === 'time') return bucketFinding('auto', i, i + 2, 'over time');
  if (word === 'time' && text(r, i + 1) === 'series') return bucketFinding('auto', i, i + 2, 'over time');
  if (TREND_WORDS.has(word)) return bucketFinding('auto', i, i + 1, 'over time');
  // "which day", "busiest hour", "days": a bare unit is a bucket
  if (unit) return bucketFinding(unit, i, i + 1, `per ${word.replace(/s$/, '')}`);
  return null;
}
