import { callMatches } from '../ingest/calls.service';
import type { LlmCallRecord } from '../ingest/llm-call.record';
import { METRIC_CATALOGUE, partsOfCall } from '../metrics/catalogue';
import type { AlertRuleRecord } from './rules.service';

/**
 * How long a measurement serves as a rule's baseline, and how long landed calls are kept to
 * bound it: a few sweeps (every 30 s), which measure every rule again.
 */
export const BASELINE_MS = 120_000;
/**
 * Slack on the bound of an additive rule: the calls' parts are summed here in floating point,
 * the engine sums money in numeric; a bound this close to the threshold is measured instead.
 */
const BOUND_SLACK = 1e-9;

interface Landed {
  /** Order of noting: calls noted after a measurement's mark landed after it started. */
  seq: number;
  notedAt: number;
  occurredAt: number;
  call: LlmCallRecord;
}

interface Baseline {
  /** The last call noted before the measurement was sent. */
  mark: number;
  /** The end of the measured window. */
  at: number;
  /** Metric, window and filter it was measured for: a rule edited since has none. */
  shape: string;
  value: number;
}

const shapeOf = (rule: AlertRuleRecord): string => JSON.stringify([rule.metric, rule.windowMinutes, rule.filter]);

/**
 * What each rule measured last on this instance, and the calls that landed since (every
 * instance's, as LLM_CALL_TRACKED carries them): enough to tell, without reading the window
 * again, that the calls that just landed cannot change a rule's state. The window's value at
 * any later time is at most its baseline plus what the calls that landed since add (calls
 * leaving the window and deleted rows only lower sums), so an additive rule ABOVE its
 * threshold needs measuring only once that bound passes the threshold. Changes that are not
 * calls landing (rows expiring from BELOW rules, re-pricing) are the schedule's to see, every
 * 30 s, as they were before.
 */
export class RuleHeadroom {
  private seq = 0;
  private readonly landed = new Map<string, Landed[]>();
  private readonly baselines = new Map<string, Baseline>();
  /**
   * Until when each workspace's calls are kept: past any baseline measured after its last mark.
   * Workspaces without rules keep none (a large export would otherwise stay in memory for minutes).
   */
  private readonly watchedUntil = new Map<string, number>();

  constructor(private readonly now: () => Date) {}

  /** Notes a stored call of a workspace whose rules were measured lately; calls older than a baseline can reach are forgotten meanwhile. */
  noteCall(call: LlmCallRecord): void {
    const notedAt = this.now().getTime();
    if ((this.watchedUntil.get(call.workspaceId) ?? 0) < notedAt) {
      this.watchedUntil.delete(call.workspaceId);
      this.landed.delete(call.workspaceId);
      return;
    }
    let calls = this.landed.get(call.workspaceId);
    if (!calls) this.landed.set(call.workspaceId, (calls = []));
    // A call dated ahead enters windows later: it is kept until its time is past any baseline too.
    if (calls.length > 0 && calls[0].notedAt < notedAt - 2 * BASELINE_MS) {
      const kept = calls.filter((c) => c.notedAt >= notedAt - BASELINE_MS || c.occurredAt >= notedAt - BASELINE_MS);
      this.landed.set(call.workspaceId, (calls = kept));
    }
    calls.push({ seq: ++this.seq, notedAt, occurredAt: Date.parse(call.occurredAt), call });
  }

  /** How many landed calls are kept, over every workspace. */
  get keptCalls(): number {
    let kept = 0;
    for (const calls of this.landed.values()) kept += calls.length;
    return kept;
  }

  /**
   * Taken before the rules of `workspaceIds` are measured: calls noted after it may be missing
   * from what they read, so from now on those workspaces' calls are kept.
   */
  mark(workspaceIds: Iterable<string>): number {
    const until = this.now().getTime() + 2 * BASELINE_MS;
    for (const workspaceId of workspaceIds) this.watchedUntil.set(workspaceId, until);
    return this.seq;
  }

  /** Keeps what rules measured at `at`, their statements sent after `mark`. */
  measured(mark: number, at: Date, values: Map<AlertRuleRecord, number>): void {
    for (const [rule, value] of values) this.baselines.set(rule.id, { mark, at: at.getTime(), shape: shapeOf(rule), value });
    // Deleted and disabled rules' baselines go once they could serve no longer.
    const oldest = this.now().getTime() - BASELINE_MS;
    for (const [id, baseline] of this.baselines) if (baseline.at < oldest) this.baselines.delete(id);
  }

  /**
   * Whether the calls that landed since the rule was last measured here may change its state:
   * false only when no call since can, so evaluating it now would leave it as it is.
   */
  mayChange(rule: AlertRuleRecord): boolean {
    const definition = METRIC_CATALOGUE[rule.metric];
    // Values lie from 0 to the metric's maximum: past those, an OK rule never breaks.
    if (rule.state === 'OK' && (rule.comparison === 'ABOVE' ? rule.threshold >= definition.max : rule.threshold <= 0)) return false;
    const baseline = this.baselines.get(rule.id);
    if (!baseline || baseline.shape !== shapeOf(rule) || baseline.at < this.now().getTime() - BASELINE_MS) return true;
    // Calls noted after the mark, and calls dated after the measured window (it had not reached them yet).
    const since = (this.landed.get(rule.workspaceId) ?? []).filter(
      (c) => (c.seq > baseline.mark || c.occurredAt >= baseline.at) && callMatches(c.call, { kind: 'all' }, rule.filter),
    );
    if (since.length === 0) return false;
    if (!definition.additive) return true;
    // An additive value only rises as calls land: it cannot resolve an ABOVE rule nor break a BELOW one.
    if ((rule.comparison === 'ABOVE') === (rule.state === 'FIRING')) return false;
    if (rule.comparison === 'BELOW') return true;
    let bound = baseline.value;
    for (const { call } of since) bound += Math.max(0, definition.compute(partsOfCall(call), 0));
    return bound + BOUND_SLACK * Math.max(1, Math.abs(bound)) > rule.threshold;
  }
}
