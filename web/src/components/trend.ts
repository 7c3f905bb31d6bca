import type { Period } from '../gql/graphql';
import { periodOption } from '../period';

/** Whether a rise is good news, bad news, or neither (more requests is just more traffic). */
export type TrendSense = 'higher-is-better' | 'lower-is-better' | 'neutral';

/** A change against the previous period, in text first: the arrow and the words carry it, colour only repeats it. */
export interface Trend {
  /** "▲", "▼", or "→" for no change; "" when there is nothing to compare with. */
  arrow: string;
  /** Short: "+12.3%", "−4.0%", "0.0%", or "new" when the previous period had nothing. */
  text: string;
  tone: 'good' | 'bad' | 'neutral';
  /** The whole sentence, for the title and screen readers: "up 12.3% on the previous 7 days". */
  description: string;
}

/** Changes smaller than this many percent read as "unchanged". */
const UNCHANGED_BELOW_PCT = 0.05;

/** "the previous 7 days" for LAST_7D. */
export function previousPeriodPhrase(period: Period): string {
  return periodOption(period).phrase.replace(/^the last/, 'the previous');
}

/** A percent change (as llmSummary's trends give it) as an arrow, a short text and a sentence. */
export function describeTrend(changePct: number | null, sense: TrendSense, period: Period): Trend {
  const previous = previousPeriodPhrase(period);
  if (changePct === null || !Number.isFinite(changePct)) {
    return { arrow: '', text: 'new', tone: 'neutral', description: `nothing in ${previous} to compare with` };
  }
  const size = Math.abs(changePct);
  if (size < UNCHANGED_BELOW_PCT) return { arrow: '→', text: '0.0%', tone: 'neutral', description: `unchanged from ${previous}` };
  const rising = changePct > 0;
  const tone = sense === 'neutral' ? 'neutral' : rising === (sense === 'higher-is-better') ? 'good' : 'bad';
  const amount = `${size.toFixed(1)}%`;
  return {
    arrow: rising ? '▲' : '▼',
    text: `${rising ? '+' : '−'}${amount}`,
    tone,
    description: `${rising ? 'up' : 'down'} ${amount} on ${previous}`,
  };
}

