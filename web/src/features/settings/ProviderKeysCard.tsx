import { useMutation, useQuery } from '@apollo/client/react';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Card } from '../../components/Card';
import { FeedTable } from '../../components/FeedTable';
import { ConfirmRow } from '../../components/ConfirmRow';
import { failureNotice, NoticeMessage, ProblemMessage, SubmitField, type Notice } from '../../components/FormMessages';
import { listCardStatus } from '../../components/card-status';
import { DeleteProviderKeyDocument, ProviderKeysDocument, SetProviderKeyDocument } from '../../gql/graphql';
import { checkProviderKeyForm, KNOWN_PROVIDERS, normalizeProvider, prepareProviderKeys, providerLabel, type ProviderKeyRow } from './prepare-provider-keys';
import { ScrollArea } from '../../components/ScrollArea';
import { useCanChange } from '../../viewer-role';


/**
 * The workspace's provider keys (last four characters only) with Replace and Delete, and the
 * form that adds or replaces one. `initialProvider` (from the link that sent the user here)
 * preselects a provider and puts the cursor in the key field.
 */
export function ProviderKeysCard({ timeZone, initialProvider }: { timeZone: string; initialProvider: string | null }) {
  const { data, loading, error, refetch } = useQuery(ProviderKeysDocument);
  // Each change is written to the audit log: the log card reads it again.
  const [setKey, setState] = useMutation(SetProviderKeyDocument, { refetchQueries: ['AuditLog'] });
  const [deleteKey, deleteState] = useMutation(DeleteProviderKeyDocument, { refetchQueries: ['AuditLog'] });
  const [provider, setProvider] = useState(initialProvider ?? '');
  const [key, setKeyText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const keyInput = useRef<HTMLInputElement>(null);
  const ids = useId();
  const mayChange = useCanChange();

  useEffect(() => {
    if (initialProvider) keyInput.current?.focus();
  }, [initialProvider]);

  const rows = data ? prepareProviderKeys(data.providerKeys, timeZone) : null;
  const listStatus = listCardStatus({ loading, error, refetch }, rows, <p>No provider keys yet. Add one with the form: the gateway stores it encrypted and shows only its last four characters.</p>);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = checkProviderKeyForm(provider, key);
    setProblem(found);
    setNotice(null);
    if (found) return;
    try {
      const result = await setKey({ variables: { provider: normalizeProvider(provider), key: key.trim() } });
      const stored = result.data?.setProviderKey;
      setKeyText('');
      if (stored) setNotice({ ok: true, text: `Saved the ${providerLabel(stored.provider)} key ending in ${stored.last4}.` });
      await refetch();
    } catch (failure) {
      setNotice(failureNotice(failure));
    }
  };

  const replace = (name: string, last4: string) => {
    setProvider(name);
    setKeyText('');
    setProblem(null);
    setConfirming(null);
    setNotice({ ok: true, text: `Paste the new ${providerLabel(name)} key: it replaces the one ending in ${last4}.` });
    keyInput.current?.focus();
  };

  const remove = async (name: string) => {
    setNotice(null);
    try {
      const result = await deleteKey({ variables: { provider: name } });
      setConfirming(null);
      setNotice({
        ok: true,
        text: result.data?.deleteProviderKey ? `Deleted the ${providerLabel(name)} key.` : `There was no ${providerLabel(name)} key to delete.`,
      });
      await refetch();
    } catch (failure) {
      setNotice(failureNotice(failure));
    }
  };

  /** Replace and Delete, or the row that confirms the deletion. */
  const keyActions = (row: ProviderKeyRow) =>
    confirming === row.provider ? (
      <ConfirmRow
        label={`Delete the ${row.label} key?`}
        action="Delete key"
        busyLabel="Deleting…"
        busy={deleteState.loading}
        onConfirm={() => void remove(row.provider)}
        onCancel={() => setConfirming(null)}
      >
        <span>Delete the {row.label} key?</span>
      </ConfirmRow>
    ) : (
      <span className="row">
        <button type="button" className="button" onClick={() => replace(row.provider, row.masked.slice(-4))}>
          Replace
        </button>
        <button type="button" className="button button-quiet" onClick={() => setConfirming(row.provider)}>
          Delete
        </button>
      </span>
    );

  const known = KNOWN_PROVIDERS.find((p) => p.id === normalizeProvider(provider));
  return (
    <>
      <Card title="Provider keys" caption="Your own keys for LLM providers (bring your own key); only the last four characters are ever shown" status={listStatus} minBodyHeight={120} className="card-wide">
        {rows ? (
          <ScrollArea label="Stored provider keys">
            <FeedTable
              className="provider-keys"
              caption="Stored provider keys"
              rows={rows}
              rowKey={(row) => row.provider}
              columns={[
                {
                  label: 'Provider',
                  cell: (row) => (
                    <>
                      <strong>{row.label}</strong>
                      {row.label !== row.provider ? <span className="muted small"> {row.provider}</span> : null}
                    </>
                  ),
                },
                {
                  label: 'Key',
                  cell: (row) => (
                    <>
                      <code aria-label={`ending in ${row.masked.slice(-4)}`}>{row.masked}</code>
                      {row.isActive ? null : <span className="badge badge-muted">inactive</span>}
                    </>
                  ),
                },
                { label: 'Added', className: 'added-col', cell: (row) => <time dateTime={row.addedAt}>{row.added}</time> },
                ...(mayChange ? [{ label: 'Actions', labelHidden: true, cellClassName: 'key-actions', cell: keyActions }] : []),
              ]}
            />
          </ScrollArea>
        ) : null}
      </Card>
      {mayChange ? (
      <Card title="Add or replace a key" caption="A key for a provider that has one replaces it" status={{ kind: 'ready' }} className="card-wide">
        <form className="key-form" onSubmit={(event) => void submit(event)} noValidate>
          <div className="field">
            <label htmlFor={`${ids}-provider`}>Provider</label>
            <input
              id={`${ids}-provider`}
              list={`${ids}-providers`}
              value={provider}
              onChange={(event) => setProvider(event.target.value)}
              placeholder="openrouter"
              autoComplete="off"
              spellCheck={false}
            />
            <datalist id={`${ids}-providers`}>
              {KNOWN_PROVIDERS.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.label}
                </option>
              ))}
            </datalist>
            <span className="muted small">{known?.note || 'A known provider, or any name your calls use.'}</span>
          </div>
          <div className="field">
            <label htmlFor={`${ids}-key`}>API key</label>
            <input
              id={`${ids}-key`}
              ref={keyInput}
              type="password"
              value={key}
              onChange={(event) => setKeyText(event.target.value)}
              autoComplete="off"
              spellCheck={false}
              aria-invalid={problem !== null}
              aria-describedby={problem ? `${ids}-problem` : undefined}
            />
            <span className="muted small">Stored encrypted (AES-256-GCM); it is never shown again.</span>
          </div>
          <SubmitField label="Save key" busyLabel="Saving…" busy={setState.loading} primary />
        </form>
        <ProblemMessage id={`${ids}-problem`} problem={problem} />
        <NoticeMessage notice={notice} />
      </Card>
      ) : null}
    </>
  );
}
