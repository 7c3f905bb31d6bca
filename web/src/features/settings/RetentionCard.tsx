import { useLazyQuery, useMutation, useQuery } from '@apollo/client/react';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { Card } from '../../components/Card';
import { ConfirmRow } from '../../components/ConfirmRow';
import { failureNotice, NoticeMessage, ProblemMessage, SubmitField, type Notice } from '../../components/FormMessages';
import { cardStatus } from '../../components/card-status';
import { RetentionDocument, RetentionPreviewDocument, SetRetentionDocument } from '../../gql/graphql';
import { useCanChange } from '../../viewer-role';
import { describePreview, describeRetention, describeStored, parseRetentionDays } from './prepare-retention';


/** After a retention is confirmed the worker deletes in the background: the figures are read again this often, for this long. */
const APPLYING_POLL_MS = 2_000;
const APPLYING_FOR_MS = 60_000;

/**
 * The workspace's retention of raw calls: what it keeps now, and a form whose new setting is
 * shown first as what it would delete (how many calls, from before when), then confirmed.
 */
export function RetentionCard({ timeZone }: { timeZone: string }) {
  const [applying, setApplying] = useState(false);
  const { data, loading, error, refetch } = useQuery(RetentionDocument, { pollInterval: applying ? APPLYING_POLL_MS : 0 });
  useEffect(() => {
    if (!applying) return;
    const timer = setTimeout(() => setApplying(false), APPLYING_FOR_MS);
    return () => clearTimeout(timer);
  }, [applying]);
  const [preview, previewState] = useLazyQuery(RetentionPreviewDocument, { fetchPolicy: 'network-only' });
  const [save, saveState] = useMutation(SetRetentionDocument, { refetchQueries: ['AuditLog', 'Retention'] });
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, setPending] = useState<{ days: number | null; words: string } | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const ids = useId();
  const mayChange = useCanChange();

  const workspace = data?.viewer.workspace;
  const ownScope = data ? data.viewer.scope === data.viewer.workspace.id : false;
  const status = cardStatus({ loading, error, hasData: !!data, isEmpty: false, emptyMessage: null, retry: () => void refetch() });

  const ask = async (event: FormEvent) => {
    event.preventDefault();
    setNotice(null);
    setPending(null);
    const parsed = parseRetentionDays(text);
    if ('problem' in parsed) return setProblem(parsed.problem);
    setProblem(null);
    if (!workspace) return;
    try {
      const result = await preview({ variables: { workspaceId: workspace.id, days: parsed.days } });
      if (result.data) setPending({ days: parsed.days, words: describePreview(result.data.retentionPreview, timeZone) });
      else if (result.error) setNotice(failureNotice(result.error));
    } catch (failure) {
      setNotice(failureNotice(failure));
    }
  };

  const confirm = async () => {
    if (!workspace || !pending) return;
    try {
      await save({ variables: { workspaceId: workspace.id, days: pending.days } });
      setPending(null);
      setText('');
      setNotice({ ok: true, text: `${describeRetention(pending.days)} Retention runs now, and hourly from here on.` });
      setApplying(true);
    } catch (failure) {
      setNotice(failureNotice(failure));
    }
  };

  return (
    <Card
      title="Raw call retention"
      caption="Every chart reads rollups, which are kept whatever the retention; raw calls (the calls list, the CSV export, exact percentiles) go once older than it"
      status={status}
      minBodyHeight={120}
      className="card-wide"
    >
      {data && workspace ? (
        <div className="retention">
          {ownScope ? null : (
            <p className="muted">This is the retention of your key's workspace, {workspace.name}; switch to it to see its figures.</p>
          )}
          <p>
            <strong>{describeRetention(workspace.retentionDays)}</strong> {ownScope ? describeStored(data.storage, workspace.rawCallsKeptFrom, timeZone) : null}
          </p>
          {mayChange ? (
            <form className="key-form" onSubmit={(event) => void ask(event)} noValidate>
              <div className="field">
                <label htmlFor={`${ids}-days`}>Keep raw calls for (days)</label>
                <input
                  id={`${ids}-days`}
                  inputMode="numeric"
                  value={text}
                  onChange={(event) => {
                    setText(event.target.value);
                    setPending(null);
                  }}
                  placeholder="for ever"
                  aria-invalid={problem !== null}
                  aria-describedby={problem ? `${ids}-problem` : undefined}
                />
                <span className="muted small">Empty keeps them for ever.</span>
              </div>
              <SubmitField label="Show what it deletes" busyLabel="Counting…" busy={previewState.loading} />
            </form>
          ) : null}
          <ProblemMessage id={`${ids}-problem`} problem={problem} />
          {pending ? (
            <ConfirmRow label="Confirm the retention" action="Confirm retention" busyLabel="Saving…" busy={saveState.loading} onConfirm={() => void confirm()} onCancel={() => setPending(null)}>
              <span>{pending.words}</span>
            </ConfirmRow>
          ) : null}
          <NoticeMessage notice={notice} />
        </div>
      ) : null}
    </Card>
  );
}
