import { useApolloClient, useQuery, useSubscription } from '@apollo/client/react';
import { useEffect, useId, useRef, useState } from 'react';
import { Card } from '../../components/Card';
import { cardStatus, describeError } from '../../components/card-status';
import { ScrollArea } from '../../components/ScrollArea';
import { formatCount } from '../../format';
import { RunFilterOptionsDocument, RunsDocument, RunUpdatedDocument, type Period, type RunOrder, type RunRowFragment } from '../../gql/graphql';
import { useLiveState } from '../../live';
import { periodOption } from '../../period';
import { hashFor, useRoute } from '../../routing';
import { mergeRunUpdate, nextRunSort, prepareRunRows, runViewFromParams, type RunView } from './prepare-runs';

/** Runs per page, and per "Load more". */
export const RUNS_PAGE_SIZE = 50;

const SORTABLE: { orderBy: RunOrder; label: string }[] = [
  { orderBy: 'STARTED_AT', label: 'Started' },
  { orderBy: 'DURATION', label: 'Duration' },
  { orderBy: 'CALLS', label: 'Calls' },
  { orderBy: 'COST', label: 'Cost' },
];

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
  const variables = { period, filter: view.filter, orderBy: view.sort.orderBy, descending: view.sort.descending, limit: RUNS_PAGE_SIZE };
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

  const live = useLiveState();
  const lastLive = useRef(live);
  useEffect(() => {
    // Runs may have started or changed while the socket was down.
    if (lastLive.current === 'reconnecting' && live === 'open') void refetch();
    lastLive.current = live;
  }, [live, refetch]);

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
  const status = cardStatus({
    loading,
    error,
    hasData: rows !== null,
    isEmpty: rows?.length === 0 && !filtered,
    emptyMessage: (
      <p>
        No run started in {periodOption(period).phrase}. Calls that share an <code>executionId</code> make a run.
      </p>
    ),
    retry: () => void refetch(),
  });
  const filterId = useId();
  const setSort = (orderBy: RunOrder) => {
    const next = nextRunSort(view.sort, orderBy);
    const params = new URLSearchParams(route.params);
    params.set('order', next.orderBy);
    if (next.descending) params.delete('asc');
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
            <table className="feed runs-table">
              <caption className="visually-hidden">Runs of the period; click a column header to sort by it, a run to see its calls</caption>
              <thead>
                <tr>
                  <th scope="col">Run</th>
                  <th scope="col">Workflow</th>
                  {SORTABLE.map(({ orderBy, label }) => (
                    <th
                      key={orderBy}
                      scope="col"
                      className={orderBy === 'STARTED_AT' ? undefined : 'num'}
                      aria-sort={view.sort.orderBy === orderBy ? (view.sort.descending ? 'descending' : 'ascending') : 'none'}
                    >
                      <button type="button" className="sort-button" onClick={() => setSort(orderBy)}>
                        {label}
                        <span className="sort-arrow" aria-hidden="true">
                          {view.sort.orderBy === orderBy ? (view.sort.descending ? '▼' : '▲') : ''}
                        </span>
                      </button>
                    </th>
                  ))}
                  <th scope="col" className="num">
                    Tokens
                  </th>
                  <th scope="col">Status</th>
                  <th scope="col">Agents</th>
                </tr>
              </thead>
              <tbody>
                {rows.length === 0 ? (
                  <tr>
                    <td colSpan={9} className="muted">
                      No run matches these filters.
                    </td>
                  </tr>
                ) : null}
                {rows.map((row) => (
                  <tr key={row.id} className={arrived.has(row.id) ? 'row-new' : undefined} data-run-id={row.id}>
                    <td>
                      <a href={hashFor('runs', route.params, row.id)} className="run-link">
                        {row.id}
                      </a>
                    </td>
                    <td>{row.workflow}</td>
                    <td>
                      <time dateTime={row.startedAt}>{row.started}</time>
                    </td>
                    <td className="num">{row.duration}</td>
                    <td className="num">{row.calls}</td>
                    <td className="num">{row.cost}</td>
                    <td className="num">{row.tokens}</td>
                    <td>
                      {row.failed ? (
                        <span className="badge badge-error">
                          Failed <span className="badge-detail">{row.errors}</span>
                        </span>
                      ) : (
                        <span className="badge badge-ok">OK</span>
                      )}
                    </td>
                    <td className="run-agents">{row.agents}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollArea>
          <div className="run-pager">
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
