import { useQuery } from '@apollo/client/react';
import { Card } from '../../components/Card';
import { listCardStatus } from '../../components/card-status';
import { FeedTable } from '../../components/FeedTable';
import { ScrollArea } from '../../components/ScrollArea';
import { AuditLogDocument } from '../../gql/graphql';
import { prepareAuditLog } from './prepare-audit-log';

/** Entries a page of the log holds. */
export const AUDIT_PAGE_SIZE = 25;

/** Who changed what and when in this workspace, newest first, a page at a time ("Older changes" reads on from the last one). */
export function AuditLogCard({ timeZone }: { timeZone: string }) {
  const { data, loading, error, refetch, fetchMore } = useQuery(AuditLogDocument, {
    variables: { limit: AUDIT_PAGE_SIZE },
    fetchPolicy: 'cache-and-network',
    notifyOnNetworkStatusChange: true,
  });
  const entries = data?.auditLog ?? [];
  const rows = data ? prepareAuditLog(entries, timeZone) : null;
  const status = listCardStatus({ loading, error, refetch }, rows, <p>No changes yet. Every change of settings, keys, prices or budgets is written here, with the key that made it.</p>);
  const mayHaveMore = entries.length > 0 && entries.length % AUDIT_PAGE_SIZE === 0;
  const older = () =>
    void fetchMore({
      variables: { limit: AUDIT_PAGE_SIZE, before: entries[entries.length - 1].at },
      updateQuery: (previous, { fetchMoreResult }) => ({ auditLog: [...previous.auditLog, ...fetchMoreResult.auditLog] }),
    });
  return (
    <Card title="Audit log" caption="Every change, newest first: who made it, what and when" status={status} minBodyHeight={120} className="card-wide">
      {rows ? (
        <>
          <ScrollArea label="Audit log">
            <FeedTable
              className="audit-log"
              caption="Changes in this workspace, newest first"
              rows={rows}
              rowKey={(row) => row.id}
              columns={[
                { label: 'When', cell: (row) => <time dateTime={row.at}>{row.when}</time> },
                { label: 'Who', cell: (row) => row.who },
                { label: 'What', cell: (row) => row.what },
                { label: 'On', cell: (row) => (row.target ? <code>{row.target}</code> : <span className="muted">—</span>) },
              ]}
            />
          </ScrollArea>
          {mayHaveMore ? (
            <button type="button" className="button audit-older" onClick={older} disabled={loading}>
              {loading ? 'Loading…' : 'Older changes'}
            </button>
          ) : null}
        </>
      ) : null}
    </Card>
  );
}
