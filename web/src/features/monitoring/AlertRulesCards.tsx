import { skipToken, useMutation, useQuery } from '@apollo/client/react';
import { useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { Card } from '../../components/Card';
import { Sparkline } from '../../components/charts/Sparkline';
import { cardStatus, describeError, listCardStatus } from '../../components/card-status';
import { ChoiceSelect } from '../../components/ChoiceSelect';
import { formatFullDateTime } from '../../format';
import {
  AlertRulesAndChannelsDocument,
  DeleteAlertRuleDocument,
  DeleteNotificationChannelDocument,
  DeliveriesDocument,
  RuleValuePreviewDocument,
  SetAlertRuleDocument,
  SetNotificationChannelDocument,
  TestNotificationChannelDocument,
  type ChannelFiguresFragment,
  type ChannelKind,
  type Comparison,
  type Metric,
  type RuleFiguresFragment,
  type PreviewValuesFragment,
  type RuleValuePreviewQueryVariables,
  type Severity,
  type UsageFilter,
} from '../../gql/graphql';
import { useDisplayTimeZone } from '../../time-zone';
import { useCanChange } from '../../viewer-role';
import {
  CHANNEL_TARGET_HINT,
  deliveryWhat,
  describeFilter,
  EMPTY_RULE_FORM,
  formatRuleValue,
  metricWords,
  parseRuleForm,
  prepareRuleRows,
  previewRanges,
  previewSparklineWords,
  toRuleFilter,
  type RuleFormErrors,
  type RuleFormValues,
} from './prepare-rules';

/** How often rule states and the delivery log are asked again while the page is live (alerts arrive live besides). */
export const RULES_POLL_MS = 5000;
const RULE_METRICS: Metric[] = ['TOTAL_COST', 'REQUESTS', 'ERROR_RATE', 'ERROR_COUNT', 'TOTAL_TOKENS', 'AVG_LATENCY_MS', 'P95_LATENCY_MS'];
const SEVERITIES: Severity[] = ['INFO', 'WARNING', 'CRITICAL'];
const KINDS: { value: ChannelKind; label: string }[] = [
  { value: 'WEBHOOK', label: 'Webhook (signed)' },
  { value: 'SLACK', label: 'Slack incoming webhook' },
  { value: 'EMAIL', label: 'E-mail' },
];

const errorText = (caught: unknown): string => describeError(caught instanceof Error ? caught : new Error(String(caught)));

/** The workspace's rules and channels, asked again every few seconds while the page is live. */
export function useRulesAndChannels(paused: boolean) {
  return useQuery(AlertRulesAndChannelsDocument, { pollInterval: paused ? 0 : RULES_POLL_MS, notifyOnNetworkStatusChange: false });
}

/** Alert rules: each with its state and last value, and a form to add or edit one that shows the metric's value now as it is typed. */
export function AlertRulesCard({ paused }: { paused: boolean }) {
  const { data, loading, error, refetch } = useRulesAndChannels(paused);
  const mayChange = useCanChange();
  const [editing, setEditing] = useState<RuleFormValues>(EMPTY_RULE_FORM);
  // Counts saves, so the form starts afresh after each.
  const [saved, setSaved] = useState(0);
  const [savedMessage, setSavedMessage] = useState<string | null>(null);
  const channels = data?.notificationChannels ?? [];
  const rows = data ? prepareRuleRows(data.alertRules, new Map(channels.map((c) => [c.id, c.name]))) : null;
  const status = cardStatus({ loading, error, hasData: rows !== null, isEmpty: false, emptyMessage: null, retry: () => void refetch() });
  const edit = (rule: RuleFiguresFragment) =>
    setEditing({
      id: rule.id,
      name: rule.name,
      metric: rule.metric,
      comparison: rule.comparison,
      threshold: String(rule.threshold),
      windowMinutes: String(rule.windowMinutes),
      severity: rule.severity,
      channelIds: [...rule.channelIds],
      filter: toRuleFilter(rule.filter),
    });
  return (
    <Card title="Alert rules" caption="Your own thresholds, checked as calls land and every 30 s; alerts go to the channels you pick" status={status} className="card-wide" minBodyHeight={160}>
      {rows && rows.length === 0 ? (
        <p className="muted guidance">{mayChange ? 'No rules yet. Add one below: a metric above or below a threshold over the last minutes.' : 'No rules yet.'}</p>
      ) : null}
      {rows && rows.length > 0 ? (
        <ul className="rule-list" aria-live="polite">
          {rows.map((row) => (
            <RuleItem
              key={row.id}
              row={row}
              mayChange={mayChange}
              onEdit={() => edit(data!.alertRules.find((r) => r.id === row.id)!)}
              onDeleted={() => void refetch()}
            />
          ))}
        </ul>
      ) : null}
      {mayChange ? (
        <RuleForm
          key={`${editing.id ?? 'new'}-${saved}`}
          initial={editing}
          channels={channels}
          onDone={(text) => {
            setEditing(EMPTY_RULE_FORM);
            setSaved((n) => n + 1);
            setSavedMessage(text);
            void refetch();
          }}
        />
      ) : null}
      {savedMessage ? (
        <p className="notice notice-ok small" role="status">
          {savedMessage}
        </p>
      ) : null}
    </Card>
  );
}

/** A rule's or a channel's Delete, at once (no confirmation); a failure is handed back as text to show beside it. */
function DeleteButton({ label, busy, onDelete, onFailure }: { label: string; busy: boolean; onDelete(): Promise<unknown>; onFailure(text: string): void }) {
  return (
    <button
      type="button"
      className="button button-small button-quiet"
      disabled={busy}
      aria-label={label}
      onClick={() => void onDelete().catch((caught: unknown) => onFailure(errorText(caught)))}
    >
      Delete
    </button>
  );
}

function RuleItem({
  row,
  mayChange,
  onEdit,
  onDeleted,
}: {
  row: ReturnType<typeof prepareRuleRows>[number];
  mayChange: boolean;
  onEdit(): void;
  onDeleted(): void;
}) {
  const [remove, removing] = useMutation(DeleteAlertRuleDocument);
  const [failure, setFailure] = useState<string | null>(null);
  return (
    <li className="rule-item">
      <span className={`badge badge-${row.firing ? 'error' : 'ok'}`}>{row.stateLabel}</span>
      <div className="rule-text">
        <p>
          <strong>{row.name}</strong>: {row.condition}
        </p>
        <p className="muted small">
          {row.valueLabel} · to {row.channels}
        </p>
        {failure ? (
          <p className="notice notice-error small" role="alert">
            Not deleted: {failure}
          </p>
        ) : null}
      </div>
      {mayChange ? (
        <span className="row">
          <button type="button" className="button button-small button-quiet" onClick={onEdit} aria-label={`Edit the rule ${row.name}`}>
            Edit
          </button>
          <DeleteButton
            label={`Delete the rule ${row.name}`}
            busy={removing.loading}
            onDelete={() => remove({ variables: { id: row.id } }).then(onDeleted)}
            onFailure={setFailure}
          />
        </span>
      ) : null}
    </li>
  );
}

const previewValue = (result: PreviewValuesFragment, metric: Metric): number => result.rows[0]?.values.find((v) => v.metric === metric)?.value ?? 0;

/**
 * The metric over the rule's window right now, and over each slice of it for the sparkline,
 * through usageMetrics with the rule's filter, in one request as the form is typed.
 */
function usePreview(metric: Metric, windowMinutes: number | null, filter: UsageFilter | null): { current: number; series: number[]; windowMinutes: number } | null {
  // The window is fixed when the inputs change, not on every render, so the query is asked once per change.
  const ranges = useMemo(() => (windowMinutes === null ? null : previewRanges(windowMinutes, new Date())), [windowMinutes]);
  const ask = (span: { from: string; to: string }) => ({ ...span, metrics: [metric], filter });
  const variables = ranges
    ? ({ window: ask(ranges.window), ...Object.fromEntries(ranges.slices.map((slice, i) => [`s${i}`, ask(slice)])) } as RuleValuePreviewQueryVariables)
    : undefined;
  const { data } = useQuery(RuleValuePreviewDocument, variables ? { variables } : skipToken);
  // While a new window is asked, the last answer for the metric stays on screen, with the window it was for, rather than blinking away.
  const last = useRef<{ metric: Metric; windowMinutes: number; data: typeof data } | null>(null);
  if (data && windowMinutes !== null) last.current = { metric, windowMinutes, data };
  const shown = ranges && last.current?.metric === metric ? last.current : null;
  if (!shown?.data) return null;
  const { data: answer } = shown;
  const slices = [answer.s0, answer.s1, answer.s2, answer.s3, answer.s4, answer.s5, answer.s6, answer.s7, answer.s8, answer.s9, answer.s10, answer.s11];
  return { current: previewValue(answer.window, metric), series: slices.map((slice) => previewValue(slice, metric)), windowMinutes: shown.windowMinutes };
}

function RuleForm({ initial, channels, onDone }: { initial: RuleFormValues; channels: readonly ChannelFiguresFragment[]; onDone(message: string | null): void }) {
  const id = useId();
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<RuleFormErrors>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [save, saving] = useMutation(SetAlertRuleDocument);
  const window = Number(values.windowMinutes);
  const windowMinutes = Number.isInteger(window) && window >= 1 && window <= 1440 ? window : null;
  const preview = usePreview(values.metric, windowMinutes, values.filter);
  const filterWords = describeFilter(values.filter);
  const set = (change: Partial<RuleFormValues>) => setValues((v) => ({ ...v, ...change }));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setMessage(null);
    const parsed = parseRuleForm(values);
    if (!parsed.ok) return setErrors(parsed.errors);
    setErrors({});
    try {
      const { data } = await save({ variables: { input: parsed.input } });
      onDone(`Rule saved; it is ${data?.setAlertRule.state === 'FIRING' ? 'firing now' : 'OK now'}.`);
    } catch (caught) {
      setMessage({ ok: false, text: `The rule was not saved: ${errorText(caught)}` });
    }
  };
  const field = (name: keyof RuleFormErrors) => (errors[name] ? { 'aria-invalid': true, 'aria-describedby': `${id}-${name}-error` } : {});
  return (
    <form className="rule-form" onSubmit={(event) => void submit(event)} noValidate aria-label={values.id ? 'Edit the rule' : 'Add a rule'}>
      <h3 className="form-title">{values.id ? `Edit the rule ${initial.name}` : 'Add a rule'}</h3>
      <div className="form-grid">
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input className="input" id={`${id}-name`} value={values.name} onChange={(e) => set({ name: e.target.value })} {...field('name')} />
          {errors.name ? <p id={`${id}-name-error`} className="field-error">{errors.name}</p> : null}
        </div>
        <div className="field">
          <label htmlFor={`${id}-metric`}>Metric</label>
          <ChoiceSelect id={`${id}-metric`} value={values.metric} choices={RULE_METRICS.map((metric) => ({ value: metric, label: metricWords(metric) }))} onChange={(metric) => set({ metric })} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-comparison`}>Fires when</label>
          <select className="select" id={`${id}-comparison`} value={values.comparison} onChange={(e) => set({ comparison: e.target.value as Comparison })}>
            <option value="ABOVE">above</option>
            <option value="BELOW">below</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-threshold`}>Threshold</label>
          <input className="input" id={`${id}-threshold`} inputMode="decimal" value={values.threshold} onChange={(e) => set({ threshold: e.target.value })} {...field('threshold')} />
          {errors.threshold ? <p id={`${id}-threshold-error`} className="field-error">{errors.threshold}</p> : null}
        </div>
        <div className="field">
          <label htmlFor={`${id}-window`}>Window (minutes)</label>
          <input className="input" id={`${id}-window`} inputMode="numeric" value={values.windowMinutes} onChange={(e) => set({ windowMinutes: e.target.value })} {...field('windowMinutes')} />
          {errors.windowMinutes ? <p id={`${id}-windowMinutes-error`} className="field-error">{errors.windowMinutes}</p> : null}
        </div>
        <div className="field">
          <label htmlFor={`${id}-severity`}>Severity</label>
          <ChoiceSelect id={`${id}-severity`} value={values.severity} choices={SEVERITIES.map((severity) => ({ value: severity, label: severity.toLowerCase() }))} onChange={(severity) => set({ severity })} />
        </div>
      </div>
      {filterWords ? <p className="small muted">Counts only calls of {filterWords}.</p> : null}
      <div className="rule-preview">
        <p className="small" aria-live="polite" data-testid="rule-preview-value">
          {windowMinutes === null
            ? 'Enter a window to see the value now.'
            : preview === null
              ? 'Reading the value now…'
              : `Now: ${metricWords(values.metric)} is ${formatRuleValue(preview.current)} over the last ${preview.windowMinutes} minutes.`}
        </p>
        {windowMinutes !== null && preview !== null ? (
          <Sparkline
            values={preview.series}
            label={`${metricWords(values.metric)} across the last ${preview.windowMinutes} minutes`}
            words={previewSparklineWords(values.metric, preview.windowMinutes)}
          />
        ) : null}
      </div>
      {channels.length > 0 ? (
        <fieldset className="rule-channels">
          <legend>Deliver to</legend>
          {channels.map((channel) => (
            <label key={channel.id} className="check">
              <input
                type="checkbox"
                checked={values.channelIds.includes(channel.id)}
                onChange={(e) => set({ channelIds: e.target.checked ? [...values.channelIds, channel.id] : values.channelIds.filter((c) => c !== channel.id) })}
              />{' '}
              {channel.name}
            </label>
          ))}
        </fieldset>
      ) : (
        <p className="muted small">Add a channel below to have this rule's alerts delivered; without one they show here only.</p>
      )}
      <div className="row">
        <button type="submit" className="button" disabled={saving.loading}>
          {saving.loading ? 'Saving…' : values.id ? 'Save the rule' : 'Add the rule'}
        </button>
        {values.id ? (
          <button type="button" className="button button-quiet" onClick={() => onDone(null)}>
            Cancel
          </button>
        ) : null}
      </div>
      {message ? (
        <p className={`notice ${message.ok ? 'notice-ok' : 'notice-error'} small`} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      ) : null}
    </form>
  );
}

/** Notification channels: add one (a webhook's signing secret shown once), send a test, delete. */
export function ChannelsCard({ paused }: { paused: boolean }) {
  const { data, loading, error, refetch } = useRulesAndChannels(paused);
  const channels = data?.notificationChannels ?? null;
  const mayChange = useCanChange();
  const status = cardStatus({ loading, error, hasData: channels !== null, isEmpty: false, emptyMessage: null, retry: () => void refetch() });
  return (
    <Card title="Channels" caption="Where alerts are delivered: signed webhooks, Slack, e-mail" status={status} minBodyHeight={160}>
      {channels && channels.length === 0 ? <p className="muted guidance">{mayChange ? 'No channels yet. Add one below, then pick it in a rule.' : 'No channels yet.'}</p> : null}
      {channels && channels.length > 0 ? (
        <ul className="channel-list">
          {channels.map((channel) => (
            <ChannelItem key={channel.id} channel={channel} mayChange={mayChange} onDeleted={() => void refetch()} />
          ))}
        </ul>
      ) : null}
      {mayChange ? <ChannelForm onSaved={() => void refetch()} /> : null}
    </Card>
  );
}

function ChannelItem({ channel, mayChange, onDeleted }: { channel: ChannelFiguresFragment; mayChange: boolean; onDeleted(): void }) {
  const [test, testing] = useMutation(TestNotificationChannelDocument, { refetchQueries: [DeliveriesDocument] });
  const [remove, removing] = useMutation(DeleteNotificationChannelDocument);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const runTest = async () => {
    setOutcome(null);
    try {
      const { data } = await test({ variables: { id: channel.id } });
      const delivery = data!.testNotificationChannel;
      setOutcome(
        delivery.status === 'SENT'
          ? { ok: true, text: 'Test message delivered.' }
          : { ok: false, text: `Not delivered yet (${delivery.lastError ?? delivery.status}); it is retried with backoff.` },
      );
    } catch (caught) {
      setOutcome({ ok: false, text: errorText(caught) });
    }
  };
  return (
    <li className="channel-item">
      <div>
        <p>
          <strong>{channel.name}</strong> <span className="muted small">· {channel.kind.toLowerCase()} · {channel.target}</span>
        </p>
        {outcome ? (
          <p className={`notice ${outcome.ok ? 'notice-ok' : 'notice-error'} small`} role={outcome.ok ? 'status' : 'alert'}>
            {outcome.text}
          </p>
        ) : null}
      </div>
      {mayChange ? (
        <span className="row">
          <button type="button" className="button button-small" disabled={testing.loading} onClick={() => void runTest()} aria-label={`Send a test to ${channel.name}`}>
            {testing.loading ? 'Sending…' : 'Test'}
          </button>
          <DeleteButton
            label={`Delete the channel ${channel.name}`}
            busy={removing.loading}
            onDelete={() => remove({ variables: { id: channel.id } }).then(onDeleted)}
            onFailure={(text) => setOutcome({ ok: false, text })}
          />
        </span>
      ) : null}
    </li>
  );
}

function ChannelForm({ onSaved }: { onSaved(): void }) {
  const id = useId();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<ChannelKind>('WEBHOOK');
  const [target, setTarget] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string; secret?: string } | null>(null);
  const [save, saving] = useMutation(SetNotificationChannelDocument);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setMessage(null);
    try {
      const { data } = await save({ variables: { input: { name, kind, target } } });
      const secret = data?.setNotificationChannel.signingSecret ?? undefined;
      setMessage({ ok: true, text: secret ? 'Channel added. Its signing secret is shown this once: keep it to verify deliveries.' : 'Channel added.', secret });
      setName('');
      setTarget('');
      onSaved();
    } catch (caught) {
      setMessage({ ok: false, text: `The channel was not added: ${errorText(caught)}` });
    }
  };
  return (
    <form className="channel-form" onSubmit={(event) => void submit(event)} noValidate aria-label="Add a channel">
      <h3 className="form-title">Add a channel</h3>
      <div className="form-grid">
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input className="input" id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-kind`}>Kind</label>
          <ChoiceSelect id={`${id}-kind`} value={kind} choices={KINDS} onChange={setKind} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-target`}>{kind === 'EMAIL' ? 'Address' : 'URL'}</label>
          <input className="input" id={`${id}-target`} value={target} placeholder={CHANNEL_TARGET_HINT[kind]} onChange={(e) => setTarget(e.target.value)} />
        </div>
      </div>
      <button type="submit" className="button" disabled={saving.loading}>
        {saving.loading ? 'Adding…' : 'Add the channel'}
      </button>
      {message ? (
        <div className={`notice ${message.ok ? 'notice-ok' : 'notice-error'} small`} role={message.ok ? 'status' : 'alert'}>
          <p>{message.text}</p>
          {message.secret ? <code className="secret">{message.secret}</code> : null}
        </div>
      ) : null}
    </form>
  );
}

/** The newest deliveries: what was sent where, how many attempts it took, and why the last failed. */
export function DeliveriesCard({ paused }: { paused: boolean }) {
  const timeZone = useDisplayTimeZone();
  const { data, loading, error, refetch } = useQuery(DeliveriesDocument, { variables: { limit: 50 }, pollInterval: paused ? 0 : RULES_POLL_MS, notifyOnNetworkStatusChange: false });
  const names = useRulesAndChannels(paused).data?.notificationChannels ?? [];
  const rows = data?.deliveries ?? null;
  const status = listCardStatus({ loading, error, refetch }, rows, <p>No deliveries yet. Alerts, resolutions and tests sent to your channels are listed here.</p>);
  return (
    <Card title="Delivery log" caption="The newest 50, newest first" status={status} className="card-wide" minBodyHeight={120}>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Channel</th>
            <th scope="col">What</th>
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
            <th scope="col">Last error</th>
          </tr>
        </thead>
        <tbody>
          {(rows ?? []).map((d) => (
            <tr key={d.id}>
              <td>{formatFullDateTime(d.createdAt, timeZone)}</td>
              <td>{names.find((c) => c.id === d.channelId)?.name ?? 'a deleted channel'}</td>
              <td>{deliveryWhat(d)}</td>
              <td>
                <span className={`badge badge-${d.status === 'SENT' ? 'ok' : d.status === 'FAILED' ? 'error' : 'warn'}`}>{d.status.toLowerCase()}</span>
              </td>
              <td>{d.attempts}</td>
              <td>{d.lastError ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
