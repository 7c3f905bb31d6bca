import { useMutation, useQuery } from '@apollo/client/react';
import { useId, useState, type FormEvent } from 'react';
import { Card } from '../../components/Card';
import { FeedTable } from '../../components/FeedTable';
import { ConfirmRow } from '../../components/ConfirmRow';
import { failureNotice, NoticeMessage, ProblemMessage, SubmitField, type Notice } from '../../components/FormMessages';
import { describeError, listCardStatus } from '../../components/card-status';
import { ScrollArea } from '../../components/ScrollArea';
import { ChoiceSelect } from '../../components/ChoiceSelect';
import { ApiKeysDocument, CreateApiKeyDocument, RevokeApiKeyDocument, RotateApiKeyDocument, type Role } from '../../gql/graphql';
import type { Viewer } from '../../pages';
import { storedKey } from '../../session';
import { ROLE_LABEL, useCanChange } from '../../viewer-role';
import { checkKeyLabel, KEY_PREFIX_LENGTH, EXPIRY_CHOICES, expiresAtFor, grantableRoles, prepareApiKeys, ROLE_HELP, type ApiKeyRow, type ExpiryChoice } from './prepare-api-keys';

/** A key just made (created or rotated): shown this once, with a copy button. */
type NewKey = { key: string; what: string } | null;

/** The workspace the form makes keys for: the scope an admin chose, else the key's own. */
const formWorkspace = (viewer: Viewer): string => (/^[0-9a-f-]{36}$/i.test(viewer.scope) ? viewer.scope : viewer.workspace.id);

/**
 * The workspace's API keys (first characters only) with Rotate and Revoke behind a
 * confirmation, and the form that creates one, showing the new key once with a copy button.
 * A viewer key sees the list alone.
 */
export function ApiKeysCard({ viewer, timeZone }: { viewer: Viewer; timeZone: string }) {
  const { data, loading, error, refetch } = useQuery(ApiKeysDocument, { fetchPolicy: 'cache-and-network' });
  const mayChange = useCanChange();
  // Each change is written to the audit log: the log card reads it again.
  const [revoke, revokeState] = useMutation(RevokeApiKeyDocument, { refetchQueries: ['AuditLog'] });
  const [rotate, rotateState] = useMutation(RotateApiKeyDocument, { refetchQueries: ['AuditLog'] });
  const ownPrefix = storedKey()?.slice(0, KEY_PREFIX_LENGTH);
  const [confirming, setConfirming] = useState<{ id: string; action: 'revoke' | 'rotate' } | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [fresh, setFresh] = useState<NewKey>(null);

  const rows = data ? prepareApiKeys(data.apiKeys, timeZone, new Date()) : null;
  const status = listCardStatus({ loading, error, refetch }, rows, <p>No API keys yet.</p>);

  const act = async (row: ApiKeyRow, action: 'revoke' | 'rotate') => {
    setNotice(null);
    setFresh(null);
    try {
      if (action === 'revoke') {
        await revoke({ variables: { id: row.id } });
        setNotice({ ok: true, text: `Revoked “${row.label}”: it opens nothing from now on, and its open connections were closed.` });
      } else {
        const result = await rotate({ variables: { id: row.id } });
        if (result.data) setFresh({ key: result.data.rotateApiKey, what: `The new key for “${row.label}” (${row.roleLabel.toLowerCase()}); the old one no longer works.` });
      }
      setConfirming(null);
      await refetch();
    } catch (failure) {
      setNotice(failureNotice(failure));
    }
  };

  /** Rotate and Revoke, or the row that confirms one; none for a key this viewer may not touch or the browser's own. */
  const keyActions = (row: ApiKeyRow) =>
    row.state !== 'revoked' && grantableRoles(viewer.role).includes(row.role) && row.prefix !== ownPrefix ? (
      confirming?.id === row.id ? (
        <ConfirmRow
          label={`${confirming.action === 'revoke' ? 'Revoke' : 'Rotate'} “${row.label}”?`}
          action={confirming.action === 'revoke' ? 'Revoke key' : 'Rotate key'}
          tone={confirming.action === 'revoke' ? 'danger' : 'primary'}
          busy={revokeState.loading || rotateState.loading}
          onConfirm={() => void act(row, confirming.action)}
          onCancel={() => setConfirming(null)}
        >
          <span>{confirming.action === 'revoke' ? `Revoke “${row.label}”?` : `Replace “${row.label}” with a new key?`}</span>
        </ConfirmRow>
      ) : (
        <span className="row">
          {row.state === 'active' ? (
            <button type="button" className="button" onClick={() => setConfirming({ id: row.id, action: 'rotate' })} aria-label={`Rotate “${row.label}”`}>
              Rotate
            </button>
          ) : null}
          <button type="button" className="button button-quiet" onClick={() => setConfirming({ id: row.id, action: 'revoke' })} aria-label={`Revoke “${row.label}”`}>
            Revoke
          </button>
        </span>
      )
    ) : null;

  return (
    <>
      <Card title="API keys" caption="Keys of this workspace: only their first characters are ever shown again" status={status} minBodyHeight={120} className="card-wide">
        {fresh ? <ShownOnce fresh={fresh} onDone={() => setFresh(null)} /> : null}
        {rows ? (
          <ScrollArea label="API keys">
            <FeedTable
              className="api-keys"
              caption="API keys of this workspace"
              rows={rows}
              rowKey={(row) => row.id}
              rowProps={(row) => ({ className: row.state === 'active' ? undefined : 'key-gone' })}
              columns={[
                {
                  label: 'Label',
                  cell: (row) => (
                    <>
                      <strong>{row.label}</strong>
                      {row.prefix === ownPrefix ? <span className="muted small"> (this browser’s key)</span> : null}
                    </>
                  ),
                },
                { label: 'Role', cell: (row) => row.roleLabel },
                { label: 'Key', cell: (row) => <code>{row.shown}</code> },
                { label: 'Created', cell: (row) => <time dateTime={row.createdAt}>{row.created}</time> },
                { label: 'Last used', cell: (row) => row.lastUsed },
                { label: 'Expires', cell: (row) => row.expires },
                { label: 'Status', cell: (row) => row.stateLabel },
                ...(mayChange ? [{ label: 'Actions', labelHidden: true, cellClassName: 'key-actions', cell: keyActions }] : []),
              ]}
            />
          </ScrollArea>
        ) : null}
        <NoticeMessage notice={notice} />
        {mayChange ? null : <p className="muted small">This is a viewer key: it reads every page and changes nothing. A member or admin key manages keys.</p>}
      </Card>
      {mayChange ? (
        <CreateKeyCard
          viewer={viewer}
          onCreated={(created) => {
            setNotice(null);
            setFresh(created);
            void refetch();
          }}
        />
      ) : null}
    </>
  );
}

/** The key, this once, with a copy button; it is not kept anywhere once dismissed. */
function ShownOnce({ fresh, onDone }: { fresh: NonNullable<NewKey>; onDone(): void }) {
  const [copied, setCopied] = useState<Notice>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(fresh.key);
      setCopied({ ok: true, text: 'Copied.' });
    } catch {
      setCopied({ ok: false, text: 'This browser did not allow copying: select the key and copy it.' });
    }
  };
  return (
    <div className="new-key" role="region" aria-label="New API key">
      <p role="status">
        <strong>{fresh.what}</strong> Copy it now: it is not shown again.
      </p>
      <div className="row new-key-row">
        <code className="new-key-value" aria-label="The new key">
          {fresh.key}
        </code>
        <button type="button" className="button button-primary" onClick={() => void copy()}>
          Copy key
        </button>
        <button type="button" className="button" onClick={onDone}>
          Done
        </button>
      </div>
      <NoticeMessage notice={copied} />
    </div>
  );
}

function CreateKeyCard({ viewer, onCreated }: { viewer: Viewer; onCreated(created: NonNullable<NewKey>): void }) {
  const ids = useId();
  const roles = grantableRoles(viewer.role);
  const [role, setRole] = useState<Role>(roles[0]);
  const [label, setLabel] = useState('');
  const [expiry, setExpiry] = useState<ExpiryChoice>('never');
  const [problem, setProblem] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [create, createState] = useMutation(CreateApiKeyDocument, { refetchQueries: ['AuditLog'] });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    const found = checkKeyLabel(label);
    setProblem(found);
    if (found) return;
    try {
      const result = await create({
        variables: { workspaceId: formWorkspace(viewer), role, label: label.trim() || null, expiresAt: expiresAtFor(expiry, new Date()) },
      });
      if (result.data) {
        onCreated({ key: result.data.createApiKey, what: `Created “${label.trim() || 'Unlabelled key'}” (${role.toLowerCase()}).` });
        setLabel('');
      }
    } catch (caught) {
      setFailure(describeError(caught as Error));
    }
  };

  return (
    <Card title="Create an API key" caption="Give each agent or person a key of its own, with the least role it needs" status={{ kind: 'ready' }} className="card-wide">
      <form className="key-form create-key-form" onSubmit={(event) => void submit(event)} noValidate aria-label="Create an API key">
        <div className="field">
          <label htmlFor={`${ids}-role`}>Role</label>
          <ChoiceSelect id={`${ids}-role`} value={role} choices={roles.map((r) => ({ value: r, label: ROLE_LABEL[r] }))} onChange={setRole} describedBy={`${ids}-role-help`} />
          <span id={`${ids}-role-help`} className="muted small">
            {ROLE_HELP[role]}
          </span>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-label`}>Label</label>
          <input
            id={`${ids}-label`}
            value={label}
            onChange={(event) => setLabel(event.target.value)}
            placeholder="support-bot in production"
            autoComplete="off"
            aria-invalid={problem !== null}
            aria-describedby={problem ? `${ids}-problem` : undefined}
          />
          <span className="muted small">Who or what uses it, so the audit log can say.</span>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-expiry`}>Expires</label>
          <ChoiceSelect id={`${ids}-expiry`} value={expiry} choices={EXPIRY_CHOICES} onChange={setExpiry} />
        </div>
        <SubmitField label="Create key" busyLabel="Creating…" busy={createState.loading} primary />
      </form>
      <ProblemMessage id={`${ids}-problem`} problem={problem} />
      <ProblemMessage problem={failure} />
    </Card>
  );
}
