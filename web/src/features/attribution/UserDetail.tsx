import { useQuery } from '@apollo/client/react';
import { Card } from '../../components/Card';
import { cardStatus, listCardStatus } from '../../components/card-status';
import { FeedTable } from '../../components/FeedTable';
import { StackedCostChart } from '../../components/charts/StackedCostChart';
import { ScrollArea } from '../../components/ScrollArea';
import { seriesColors } from '../../components/series-colors';
import { formatDateTime } from '../../format';
import type { Period } from '../../gql/graphql';
import { UserSessionsDocument, UserUsageDocument, type UserSessionsQuery } from './gql/graphql';
import { periodOption } from '../../period';
import { hashFor, useRoute } from '../../routing';
import { RecentRunsCard } from '../runs/RecentRunsCard';
import { dailyCostFromMetrics, prepareDailyCost } from '../costs/prepare-daily-cost';
import { periodDays, prepareUsageEntries, sessionRows, userFigures } from './prepare-attribution';
import { UsageEntriesTable } from './UsageEntriesTable';
import { withoutFilter } from './usage-filter';
// The figures are laid out as an agent's are.
import '../agents/agents.css';

/** The latest sessions a user's page lists. */
export const SESSIONS_LISTED = 100;

/** One end user: figures, cost per model and day, models, sessions and runs over the period. */
export function UserDetail({ id, period, timeZone }: { id: string; period: Period; timeZone: string }) {
  const { route } = useRoute();
  const filter = { userIds: [id] };
  const usage = useQuery(UserUsageDocument, { variables: { period, filter } });
  const sessions = useQuery(UserSessionsDocument, { variables: { userId: id, period, limit: SESSIONS_LISTED } });
  const totals = usage.data?.totals.rows[0];
  const requests = totals?.values.find((value) => value.metric === 'REQUESTS')?.value ?? 0;
  const phrase = periodOption(period).phrase;
  const back = hashFor('costs', withoutFilter(route.params));
  const status = cardStatus({
    loading: usage.loading,
    error: usage.error,
    hasData: usage.data !== undefined,
    isEmpty: usage.data !== undefined && requests === 0,
    emptyMessage: (
      <p>
        No calls for user <code>{id}</code> in {phrase}. Pick a longer period, or <a href={back}>see every user on the Costs page</a>.
      </p>
    ),
    retry: () => void usage.refetch(),
  });
  const days = periodDays(period, new Date(), 'UTC');
  const chart = usage.data ? prepareDailyCost(dailyCostFromMetrics(days, usage.data.daily.rows, 'UTC'), { timeZone: 'UTC', colors: seriesColors }) : null;
  const models = usage.data ? prepareUsageEntries(usage.data.models.rows) : [];
  return (
    <>
      <Card
        title={`User ${id}`}
        caption={
          <span>
            <a href={back}>← Every user</a> · over {phrase}
          </span>
        }
        className="card-wide"
        status={status}
        minBodyHeight={120}
      >
        <dl className="agent-figures">
          {userFigures(totals, sessions.data ? sessions.data.userSessions.total : null).map((figure) => (
            <div key={figure.label}>
              <dt>{figure.label}</dt>
              <dd>{figure.value}</dd>
            </div>
          ))}
        </dl>
      </Card>
      {status.kind === 'ready' && chart ? (
        <>
          <Card title="Cost over time" caption={chart.caption ?? `The user's spend per model and UTC day over ${phrase}, stacked`} aside={<span className="figure">{chart.totalLabel}</span>} className="card-wide" status={{ kind: 'ready' }} minBodyHeight={300}>
            <StackedCostChart chart={chart} legendLabel="The user's cost per model over the period" ariaLabel={`The user's daily cost by model over ${phrase}, UTC days`} />
          </Card>
          <Card title="Models" caption="The user's use per model, costliest first" status={{ kind: 'ready' }} minBodyHeight={120}>
            <UsageEntriesTable entries={models} label="Models of the user" caption="The user's use per model" nameHeader="Model" name={(model) => model.label} />
          </Card>
          <SessionsCard sessions={sessions} period={period} timeZone={timeZone} />
          <RecentRunsCard
            filter={{ userId: id }}
            period={period}
            timeZone={timeZone}
            whose="the user's"
            caption="The latest runs with a call made for this user"
            emptyMessage={<p>No run with a call made for this user in {phrase}.</p>}
            linkParams={withoutFilter(route.params)}
          />
        </>
      ) : null}
    </>
  );
}

/** A user's latest sessions: each one's calls, cost, models and last call; the calls without one form one group, listed last. */
function SessionsCard({
  sessions,
  period,
  timeZone,
}: {
  sessions: { data?: UserSessionsQuery; loading: boolean; error?: Error; refetch(): unknown };
  period: Period;
  timeZone: string;
}) {
  const phrase = periodOption(period).phrase;
  const rows = sessions.data ? sessionRows(sessions.data.userSessions.sessions) : null;
  const status = listCardStatus(sessions, rows, <p>No calls in {phrase}.</p>);
  const total = sessions.data?.userSessions.total ?? 0;
  const listed = rows?.filter((row) => row.id !== null).length ?? 0;
  return (
    <Card
      title="Sessions"
      caption={`${listed < total ? `The latest ${listed} of the user's ${total} sessions` : "The user's sessions"} over ${phrase} by sessionId, the latest first`}
      status={status}
      minBodyHeight={120}
    >
      <ScrollArea label="Sessions of the user">
        <FeedTable
          className="sessions-table"
          caption="The user's sessions with their calls, cost, models and last call"
          rows={rows ?? []}
          rowKey={(session) => session.id ?? ''}
          columns={[
            { label: 'Session', cell: (session) => (session.id === null ? <span className="muted">No session</span> : <code>{session.id}</code>) },
            {
              label: 'Calls',
              numeric: true,
              cell: (session) => (
                <>
                  {session.calls}
                  {session.errors ? <span className="badge badge-error">{session.errors} failed</span> : null}
                </>
              ),
            },
            { label: 'Cost', numeric: true, cell: (session) => session.cost },
            { label: 'Models', cell: (session) => session.models.join(', ') },
            { label: 'Last call', cell: (session) => <time dateTime={session.lastAt}>{formatDateTime(session.lastAt, timeZone)}</time> },
          ]}
        />
      </ScrollArea>
    </Card>
  );
}
