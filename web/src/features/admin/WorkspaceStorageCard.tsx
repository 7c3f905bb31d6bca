import { useLazyQuery, useMutation } from '@apollo/client/react';
import { useId, useState, type FormEvent } from 'react';
import { Card } from '../../components/Card';
import { FeedTable } from '../../components/FeedTable';
import { ConfirmRow } from '../../components/ConfirmRow';
import { failureNotice, NoticeMessage, SubmitField, type Notice } from '../../components/FormMessages';
import { describeError } from '../../components/card-status';
import { ScrollArea } from '../../components/ScrollArea';
import { DeleteWorkspaceDocument, WorkspaceStorageDocument } from '../../gql/graphql';
import { confirmsDeletion, prepareWorkspaceStorage, type WorkspaceStorageRow } from './prepare-workspace-storage';

/** How many workspaces one look at storage lists. */
const STORAGE_PAGE = 50;


/**
 * Storage per workspace (raw calls, the oldest, rollup rows, bytes, retention), counted when
 * asked for (counting reads every workspace's index), and deleting a workspace once its name is
 * typed in full.
 */
export function WorkspaceStorageCard({ timeZone }: { timeZone: string }) {
  const [load, { data, loading, error, refetch }] = useLazyQuery(WorkspaceStorageDocument, { fetchPolicy: 'network-only' });
  const [remove, removeState] = useMutation(DeleteWorkspaceDocument, { refetchQueries: ['AdminDashboard', 'AdminWorkspaceCosts'] });
  const [search, setSearch] = useState('');
  const [deleting, setDeleting] = useState<{ id: string; name: string } | null>(null);
  const [typed, setTyped] = useState('');
  const [notice, setNotice] = useState<Notice>(null);
  const ids = useId();

  const rows = data ? prepareWorkspaceStorage(data.workspaces, timeZone) : null;
  const show = (event: FormEvent) => {
    event.preventDefault();
    setNotice(null);
    void load({ variables: { search: search.trim() || null, limit: STORAGE_PAGE } });
  };
  const confirm = async () => {
    if (!deleting) return;
    try {
      await remove({ variables: { id: deleting.id, confirmName: typed } });
      setNotice({ ok: true, text: `Deleted ${deleting.name} and everything of it; its keys no longer work.` });
      setDeleting(null);
      setTyped('');
      await refetch();
    } catch (failure) {
      setNotice(failureNotice(failure));
    }
  };

  /** Delete…, or the row where the workspace's name must be typed to delete it. */
  const deleteAction = (row: WorkspaceStorageRow) =>
    deleting?.id === row.id ? (
      <ConfirmRow
        label={`Delete ${row.name}?`}
        action="Delete workspace"
        busyLabel="Deleting…"
        busy={removeState.loading}
        blocked={!confirmsDeletion(typed, row.name)}
        onConfirm={() => void confirm()}
        onCancel={() => setDeleting(null)}
      >
        <label htmlFor={`${ids}-confirm`}>Type {row.name} to delete it</label>
        <input id={`${ids}-confirm`} value={typed} onChange={(event) => setTyped(event.target.value)} autoComplete="off" spellCheck={false} />
      </ConfirmRow>
    ) : (
      <button
        type="button"
        className="button button-quiet"
        onClick={() => {
          setDeleting({ id: row.id, name: row.name });
          setTyped('');
          setNotice(null);
        }}
      >
        Delete…
      </button>
    );

  return (
    <Card
      title="Storage"
      caption="Raw calls, rollups and their bytes per workspace; deleting a workspace removes every row of it"
      status={error && !data ? { kind: 'error', message: describeError(error), retry: () => void refetch() } : { kind: 'ready' }}
      minBodyHeight={120}
      className="card-wide"
    >
      <form className="key-form storage-form" onSubmit={show} noValidate>
        <div className="field">
          <label htmlFor={`${ids}-search`}>Workspace name contains</label>
          <input id={`${ids}-search`} value={search} onChange={(event) => setSearch(event.target.value)} placeholder="any" autoComplete="off" />
        </div>
        <SubmitField label="Show storage" busyLabel="Counting…" busy={loading} />
      </form>
      {rows ? (
        rows.length === 0 ? (
          <p className="muted">No workspace matches.</p>
        ) : (
          <ScrollArea label="Storage per workspace">
            <FeedTable
              className="workspace-storage"
              caption="Storage per workspace"
              rows={rows}
              rowKey={(row) => row.id}
              columns={[
                { label: 'Workspace', rowHeader: true, cell: (row) => row.name },
                { label: 'Raw calls', numeric: true, cell: (row) => row.rawCalls },
                { label: 'Oldest', cell: (row) => row.oldest },
                { label: 'Rollup rows', numeric: true, cell: (row) => row.rollupRows },
                { label: 'Bytes', numeric: true, cell: (row) => row.bytes },
                { label: 'Retention', cell: (row) => row.retention },
                { label: 'Actions', labelHidden: true, cell: deleteAction },
              ]}
            />
          </ScrollArea>
        )
      ) : null}
      <NoticeMessage notice={notice} />
    </Card>
  );
}
