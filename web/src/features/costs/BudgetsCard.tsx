import { useMutation, useQuery } from '@apollo/client/react';
import { useId, useState, type FormEvent } from 'react';
import { Card } from '../../components/Card';
import { describeError, queryCardStatus } from '../../components/card-status';
import { ChoiceSelect } from '../../components/ChoiceSelect';
import { TextField } from '../../components/TextField';
import { BudgetsDocument, BudgetTargetsDocument, CostBreakdownDocument, DeleteBudgetDocument, SetBudgetDocument, type BudgetWindow, type Period } from '../../gql/graphql';
import { useCanChange } from '../../viewer-role';
import { EMPTY_BUDGET_FORM, parseBudgetForm, prepareBudgetRows, type BudgetFormValues, type BudgetRow } from './prepare-budgets';

const WINDOWS: readonly { value: BudgetWindow; label: string }[] = [
  { value: 'DAY', label: 'Per day' },
  { value: 'WEEK', label: 'Per week' },
  { value: 'MONTH', label: 'Per month' },
];

/** Budgets with their spend in the current window (bars with the alert thresholds marked), and a form to add one. */
export function BudgetsCard({ period, timeZone }: { period: Period; timeZone: string }) {
  const mayChange = useCanChange();
  const { data, loading, error, refetch } = useQuery(BudgetsDocument);
  const targets = useQuery(BudgetTargetsDocument);
  const agentNames = new Map((targets.data?.agents ?? []).map((agent) => [agent.id, agent.name]));
  const rows = data ? prepareBudgetRows(data.budgets, { agentNames, timeZone }) : null;
  const status = queryCardStatus({ loading, error, refetch }, { hasData: rows !== null, isEmpty: false }, null);
  return (
    <Card title="Budgets" caption="Spend in the current day, week or month; an alert is raised once per window at each threshold" status={status} minBodyHeight={200}>
      {rows && rows.length === 0 ? (
        <p className="muted guidance">
          No budgets yet. Add one below: for the whole workspace, one agent or one model. Its bar fills as calls cost money, and an alert is
          raised as it passes each threshold.
        </p>
      ) : null}
      {rows && rows.length > 0 ? (
        <ul className="budgets">
          {rows.map((row) => (
            <BudgetItem key={row.id} row={row} onDeleted={() => void refetch()} />
          ))}
        </ul>
      ) : null}
      {mayChange ? <BudgetForm period={period} agents={targets.data?.agents ?? []} onSaved={() => void refetch()} /> : null}
    </Card>
  );
}

function BudgetItem({ row, onDeleted }: { row: BudgetRow; onDeleted(): void }) {
  const mayChange = useCanChange();
  const [confirming, setConfirming] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [remove, removing] = useMutation(DeleteBudgetDocument);
  const doDelete = async () => {
    setFailure(null);
    try {
      await remove({ variables: { id: row.id } });
      onDeleted();
    } catch (caught) {
      setFailure(describeError(caught instanceof Error ? caught : new Error(String(caught))));
      setConfirming(false);
    }
  };
  return (
    <li className={`budget budget-${row.state}`}>
      <div className="budget-head">
        <span>
          <strong>{row.title}</strong>
          <span className="muted"> · {row.target}</span>
        </span>
        <span className={`budget-state budget-state-${row.state}`}>
          {row.state === 'ok' ? '' : <span aria-hidden="true">⚠ </span>}
          {row.stateLabel}
        </span>
      </div>
      <div
        className="progress"
        role="meter"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(row.barPct)}
        aria-valuetext={`${row.usedLabel}; alerts at ${row.marks.map((mark) => mark.label).join(', ')}`}
        aria-label={`${row.title}, ${row.target}`}
      >
        <span className="progress-fill" style={{ width: `${row.barPct}%` }} />
        {row.marks.map((mark) => (
          <span key={mark.label} className={mark.crossed ? 'progress-mark crossed' : 'progress-mark'} style={{ left: `${mark.pct}%` }} title={`Alert at ${mark.label}`} />
        ))}
      </div>
      <div className="budget-foot">
        <span className="small">
          {row.spentLabel} · <strong>{row.usedLabel}</strong>
          <span className="muted"> · alerts at {row.marks.map((mark) => mark.label).join(', ')}</span>
        </span>
        {!mayChange ? null : confirming ? (
          <span className="row">
            <button type="button" className="button button-small button-danger" onClick={() => void doDelete()} disabled={removing.loading}>
              {removing.loading ? 'Deleting…' : 'Delete budget'}
            </button>
            <button type="button" className="button button-small" onClick={() => setConfirming(false)}>
              Keep
            </button>
          </span>
        ) : (
          <button type="button" className="button button-quiet button-small" onClick={() => setConfirming(true)} aria-label={`Delete the ${row.title.toLowerCase()}, ${row.target}`}>
            Delete
          </button>
        )}
      </div>
      {failure ? (
        <p className="notice notice-error small" role="alert">
          Not deleted: {failure}
        </p>
      ) : null}
    </li>
  );
}

function BudgetForm({ period, agents, onSaved }: { period: Period; agents: readonly { id: string; name: string }[]; onSaved(): void }) {
  const id = useId();
  const models = useQuery(CostBreakdownDocument, { variables: { period, breakdown: 'MODEL' } });
  const [values, setValues] = useState<BudgetFormValues>(EMPTY_BUDGET_FORM);
  const [errors, setErrors] = useState<Partial<Record<'amount' | 'thresholds', string>>>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [save, saving] = useMutation(SetBudgetDocument);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setMessage(null);
    const parsed = parseBudgetForm(values);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      return;
    }
    setErrors({});
    try {
      await save({ variables: { input: parsed.input } });
      setValues({ ...EMPTY_BUDGET_FORM, window: values.window });
      setMessage({ ok: true, text: 'Budget saved. A budget for the same window and target replaces the earlier one.' });
      onSaved();
    } catch (caught) {
      setMessage({ ok: false, text: `The budget was not saved: ${describeError(caught instanceof Error ? caught : new Error(String(caught)))}` });
    }
  };

  return (
    <form className="budget-form" onSubmit={(event) => void submit(event)} noValidate aria-label="Add a budget">
      <h3 className="form-title">Add a budget</h3>
      <div className="form-grid">
        <TextField
          id={`${id}-amount`}
          label="Amount ($)"
          inputMode="decimal"
          placeholder="50"
          value={values.amount}
          error={errors.amount}
          onChange={(amount) => setValues({ ...values, amount })}
        />
        <div className="field">
          <label htmlFor={`${id}-window`}>Window</label>
          <ChoiceSelect id={`${id}-window`} value={values.window} choices={WINDOWS} onChange={(window) => setValues({ ...values, window })} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-target`}>For</label>
          <select id={`${id}-target`} className="select" value={values.target} onChange={(event) => setValues({ ...values, target: event.target.value })}>
            <option value="">The whole workspace</option>
            {agents.length > 0 ? (
              <optgroup label="One agent">
                {agents.map((agent) => (
                  <option key={agent.id} value={`agent:${agent.id}`}>
                    {agent.name}
                  </option>
                ))}
              </optgroup>
            ) : null}
            {(models.data?.llmCosts.length ?? 0) > 0 ? (
              <optgroup label="One model">
                {models.data?.llmCosts.map((model) => (
                  <option key={model.key} value={`model:${model.key}`}>
                    {model.label}
                  </option>
                ))}
              </optgroup>
            ) : null}
          </select>
        </div>
        <TextField
          id={`${id}-thresholds`}
          label="Alerts at (%)"
          placeholder="80, 90, 100"
          value={values.thresholds}
          error={errors.thresholds}
          onChange={(thresholds) => setValues({ ...values, thresholds })}
        />
      </div>
      <div className="row form-actions">
        <button type="submit" className="button button-primary" disabled={saving.loading}>
          {saving.loading ? 'Saving…' : 'Add budget'}
        </button>
        {message ? (
          <span className={message.ok ? 'notice notice-ok' : 'notice notice-error'} role={message.ok ? 'status' : 'alert'}>
            {message.text}
          </span>
        ) : null}
      </div>
    </form>
  );
}
