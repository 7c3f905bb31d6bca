import { useApolloClient, useQuery, useSubscription } from '@apollo/client/react';
import { useId, useRef, useState } from 'react';
import { Card } from '../../components/Card';
import { describeError, queryCardStatus } from '../../components/card-status';
import { ScrollArea } from '../../components/ScrollArea';
import { formatCount } from '../../format';
import { RunFilterOptionsDocument, RunsDocument, RunUpdatedDocument, type Period, type RunOrder, type RunRowFragment } from '../../gql/graphql';
import { useRefetchOnReconnect } from '../../live';
import { periodOption } from '../../period';
import { hashFor, useRoute } from '../../routing';
import { SortableTable, type SortableColumn } from '../../components/SortableTable';
import type { TableSort } from '../../components/table-sort';
import { mergeRunUpdate, prepareRunRows, runViewFromParams, type RunTableRow, type RunView } from './prepare-runs';

/** Runs per page, and per "Load more". */
export const RUNS_PAGE_SIZE = 50;

/** The runs table's columns; a run's link keeps the table's filters and order (`params`). Every order starts largest, latest first. */
function runColumns(params: URLSearchParams): readonly SortableColumn<RunTableRow, RunOrder>[] {
  return [
    {
      label: 'Run',
      cell: (row) => (
        <a href={hashFor('runs', params, row.id)} className="run-link">
          {row.id}
        </a>
      ),
    },
    { label: 'Workflow', cell: (row) => row.workflow },
    { label: 'Started', sortKey: 'STARTED_AT', cell: (row) => <time dateTime={row.startedAt}>{row.started}</time> },
    { label: 'Duration', sortKey: 'DURATION', numeric: true, cell: (row) => row.duration },
    { label: 'Calls', sortKey: 'CALLS', numeric: true, cell: (row) => row.calls },
    { label: 'Cost', sortKey: 'COST', numeric: true, cell: (row) => row.cost },
    { label: 'Tokens', numeric: true, cell: (row) => row.tokens },
    {
      label: 'Status',
      cell: (row) =>
        row.failed ? (
          <span className="badge badge-error">
            Failed <span className="badge-detail">{row.errors}</span>
          </span>
        ) : (
          <span className="badge badge-ok">OK</span>
        ),
    },
    { label: 'Agents', cellClassName: 'run-agents', cell: (row) => row.agents },
  ];
}

/** The pages fetched after the first, with the cursor of the next; reset whenever the view changes. */
interface MorePages {
  key: string;
  runs: RunRowFragment[];
  cursor: string | null | undefined;
  loading: boolean;
  error: string | null;
}

/**
 * The runs of the period, filtered and ordered as the URL says (so a link shows the same table),
 * a page at a time; runs that change while it is open are merged in as `runUpdated` pushes them.
 */
export function RunsTableCard({ period, timeZone }: { period: Period; timeZone: string }) {
  const { route, setParam } = useRoute();
  const view = runViewFromParams(route.params);
  const variables = { period, filter: view.filter, orderBy: view.sort.key, descending: view.sort.direction === 'descending', limit: RUNS_PAGE_SIZE };
  const viewKey = JSON.stringify(variables);
  const { data, loading, error, refetch } = useQuery(RunsDocument, { variables });
  const options = useQuery(RunFilterOptionsDocument, { variables: { period } });
  const client = useApolloClient();
  const [more, setMore] = useState<MorePages>({ key: viewKey, runs: [], cursor: undefined, loading: false, error: null });
  const [arrived, setArrived] = useState<ReadonlySet<string>>(new Set());
  const pages = more.key === viewKey ? more : { key: viewKey, runs: [], cursor: undefined, loading: false, error: null };
  const viewRef = useRef<RunView>(view);
  viewRef.current = view;

  useSubscription(RunUpdatedDocument, {
    variables: { workflow: view.filter.workflow ?? null },
    onData: ({ client: cache, data: pushed }) => {
      const run = pushed.data?.runUpdated;
      if (!run) return;
      cache.cache.updateQuery({ query: RunsDocument, variables }, (previous) =>
        previous ? { runs: { ...previous.runs, runs: mergeRunUpdate(previous.runs.runs, run, viewRef.current) } } : previous,
      );
      setMore((current) => (current.runs.some((row) => row.id === run.id) ? { ...current, runs: current.runs.map((row) => (row.id === run.id ? run : row)) } : current));
      setArrived((ids) => new Set(ids).add(run.id));
    },
  });

  // Runs may have started or changed while the socket was down.
  useRefetchOnReconnect(refetch);

  const first = data?.runs;
  const seen = new Set<string>();
  const runs = [...(first?.runs ?? []), ...pages.runs].filter((run) => (seen.has(run.id) ? false : (seen.add(run.id), true)));
  const nextCursor = pages.cursor === undefined ? first?.nextCursor : pages.cursor;
  const rows = first ? prepareRunRows(runs, timeZone) : null;

  const loadMore = () => {
    if (!nextCursor) return;
    setMore({ ...pages, loading: true, error: null });
    client
      .query({ query: RunsDocument, variables: { ...variables, after: nextCursor }, fetchPolicy: 'network-only' })
      .then(({ data: page }) => {
        if (!page) return;
        setMore((current) => (current.key === viewKey ? { ...current, runs: [...current.runs, ...page.runs.runs], cursor: page.runs.nextCursor, loading: false } : current));
      })
      .catch((failure: Error) => setMore((current) => (current.key === viewKey ? { ...current, loading: false, error: describeError(failure) } : current)));
  };

  const filtered = Object.keys(view.filter).length > 0;
  const status = queryCardStatus(
    { loading, error, refetch },
    { hasData: rows !== null, isEmpty: rows?.length === 0 && !filtered },
    <p>
      No run started in {periodOption(period).phrase}. Calls that share an <code>executionId</code> make a run.
    </p>,
  );
  const filterId = useId();
  const setSort = (next: TableSort<RunOrder>) => {
    const params = new URLSearchParams(route.params);
    params.set('order', next.key);
    if (next.direction === 'descending') params.delete('asc');
    else params.set('asc', '1');
    window.location.hash = hashFor('runs', params);
  };
  const agents = options.data?.agents ?? [];
  const workflows = options.data?.workflowStats.map((stat) => stat.workflow) ?? [];
  if (view.filter.workflow && !workflows.includes(view.filter.workflow)) workflows.push(view.filter.workflow);

  return (
    <Card
      title="Runs"
      caption={
        <div className="run-filters">
          <label htmlFor={`${filterId}-workflow`}>Workflow</label>
          <select className="select" id={`${filterId}-workflow`} value={view.filter.workflow ?? ''} onChange={(e) => setParam('workflow', e.target.value || null)}>
            <option value="">Every workflow</option>
            {workflows.map((workflow) => (
              <option key={workflow} value={workflow}>
                {workflow}
              </option>
            ))}
          </select>
          <label htmlFor={`${filterId}-agent`}>Agent</label>
          <select className="select" id={`${filterId}-agent`} value={view.filter.agentId ?? ''} onChange={(e) => setParam('agent', e.target.value || null)}>
            <option value="">Every agent</option>
            {agents.map((agent) => (
              <option key={agent.id} value={agent.id}>
                {agent.name}
              </option>
            ))}
          </select>
          <label htmlFor={`${filterId}-status`}>Status</label>
          <select className="select" id={`${filterId}-status`} value={view.filter.status ?? ''} onChange={(e) => setParam('status', e.target.value || null)}>
            <option value="">Any status</option>
            <option value="SUCCESS">Succeeded</option>
            <option value="ERROR">Failed</option>
          </select>
        </div>
      }
      aside={rows ? <span className="figure">{formatCount(rows.length)} shown</span> : null}
      className="card-wide"
      status={status}
      minBodyHeight={200}
    >
      {rows ? (
        <>
          <ScrollArea label="Runs">
            <SortableTable
              columns={runColumns(route.params)}
              rows={rows}
              rowKey={(row) => row.id}
              rowProps={(row) => ({ className: arrived.has(row.id) ? 'row-new' : undefined, 'data-run-id': row.id })}
              className="runs-table"
              caption="Runs of the period; click a column header to sort by it, a run to see its calls"
              empty="No run matches these filters."
              sort={view.sort}
              onSortChange={setSort}
            />
          </ScrollArea>
          <div className="table-pager">
            {pages.error ? (
              <p role="alert" className="field-error">
                The next page could not load: {pages.error}
              </p>
            ) : null}
            {nextCursor ? (
              <button type="button" className="button" onClick={loadMore} disabled={pages.loading}>
                {pages.loading ? 'Loading…' : 'Load more'}
              </button>
            ) : rows.length > 0 ? (
              <p className="muted small">Every run of the period is shown.</p>
            ) : null}
          </div>
        </>
      ) : null}
    </Card>
  );
}
