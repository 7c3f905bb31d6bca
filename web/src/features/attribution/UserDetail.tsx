import type { ReactNode } from 'react';
import { useQuery } from '@apollo/client/react';
import { Card } from '../../components/Card';
import { cardStatus } from '../../components/card-status';
import { Legend } from '../../components/charts/Legend';
import { StackedAreaChart } from '../../components/charts/StackedAreaChart';
import { ScrollArea } from '../../components/ScrollArea';
import { seriesColors } from '../../components/series-colors';
import { formatDateTime, formatDollars } from '../../format';
import type { Period } from '../../gql/graphql';
import { UserCallsDocument, UserUsageDocument, type UserCallsQuery } from './gql/graphql';
import { periodOption } from '../../period';
import { hashFor, useRoute } from '../../routing';
import { dailyCostFromMetrics, prepareDailyCost } from '../costs/prepare-daily-cost';
import { groupCalls, periodDays, prepareUsageEntries, userFigures, type CallGroup } from './prepare-attribution';
import { UsageEntriesTable } from './UsageEntriesTable';
import { withoutFilter } from './usage-filter';
// The figures are laid out as an agent's are.
import '../agents/agents.css';

/** The latest calls a user's page groups into sessions and runs. */
export const SESSION_CALLS = 500;

/**
 * One end user: figures, cost per model and day, models, and their latest calls grouped into
 * sessions and runs. The runs come from the calls: RunFilter.userId is accepted by the gateway but
 * filters nothing yet.
 */
export function UserDetail({ id, period, timeZone }: { id: string; period: Period; timeZone: string }) {
  const { route } = useRoute();
  const filter = { userIds: [id] };
  const usage = useQuery(UserUsageDocument, { variables: { period, filter } });
  const calls = useQuery(UserCallsDocument, { variables: { period, filter, limit: SESSION_CALLS } });
  const sessions = calls.data ? groupCalls(calls.data.llmCalls, 'sessionId') : null;
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
          {userFigures(totals, sessions ? sessions.filter((session) => session.id !== null).length : null).map((figure) => (
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
            <Legend label="The user's cost per model over the period" items={chart.series.map((band) => ({ id: band.id, label: band.label, color: band.color, value: band.totalLabel }))} />
            <StackedAreaChart axis={chart.axis} series={chart.series} totals={chart.dayTotals} formatValue={formatDollars} showPoints={chart.showPoints} ariaLabel={`The user's daily cost by model over ${phrase}, UTC days`} />
          </Card>
          <Card title="Models" caption="The user's use per model, costliest first" status={{ kind: 'ready' }} minBodyHeight={120}>
            <UsageEntriesTable entries={models} label="Models of the user" caption="The user's use per model" nameHeader="Model" name={(model) => model.label} />
          </Card>
          <CallGroupsCard
            title="Sessions"
            noun="session"
            groups={calls.data ? groupCalls(calls.data.llmCalls, 'sessionId') : null}
            calls={calls}
            caption={`by sessionId, the latest session first`}
            name={(group) => <code>{group.id}</code>}
            period={period}
            timeZone={timeZone}
          />
          <CallGroupsCard
            title="Runs"
            noun="run"
            groups={calls.data ? groupCalls(calls.data.llmCalls, 'executionId').filter((group) => group.id !== null) : null}
            calls={calls}
            caption="by run (executionId), the latest run first; calls and cost are the user's part of each run"
            name={(group) => <a href={hashFor('runs', withoutFilter(route.params), group.id ?? '')}>{group.id}</a>}
            period={period}
            timeZone={timeZone}
          />
        </>
      ) : null}
    </>
  );
}

/**
 * A user's latest calls grouped by session or by run: each group's calls, cost, models and last
 * call; the calls that name no session form one group.
 */
function CallGroupsCard({
  title,
  noun,
  groups,
  calls,
  caption,
  name,
  period,
  timeZone,
}: {
  title: string;
  noun: string;
  groups: CallGroup[] | null;
  calls: { data?: UserCallsQuery; loading: boolean; error?: Error; refetch(): unknown };
  caption: string;
  name(group: CallGroup): ReactNode;
  period: Period;
  timeZone: string;
}) {
  const phrase = periodOption(period).phrase;
  const capped = calls.data?.llmCalls.length === SESSION_CALLS;
  const status = cardStatus({
    loading: calls.loading,
    error: calls.error,
    hasData: groups !== null,
    isEmpty: groups?.length === 0,
    emptyMessage: <p>No {noun} among the user&apos;s calls in {phrase}.</p>,
    retry: () => void calls.refetch(),
  });
  return (
    <Card title={title} caption={`${capped ? `The user's latest ${SESSION_CALLS} calls (older ones are left out)` : `The user's calls over ${phrase}`} ${caption}`} status={status} minBodyHeight={120}>
      <ScrollArea label={`${title} of the user`}>
        <table className="feed call-groups">
          <caption className="visually-hidden">{`The user's ${noun}s with their calls, cost, models and last call`}</caption>
          <thead>
            <tr>
              <th scope="col">{noun[0].toUpperCase() + noun.slice(1)}</th>
              <th scope="col" className="num">
                Calls
              </th>
              <th scope="col" className="num">
                Cost
              </th>
              <th scope="col">Models</th>
              <th scope="col">Last call</th>
            </tr>
          </thead>
          <tbody>
            {(groups ?? []).map((group) => (
              <tr key={group.id ?? ''}>
                <td>{group.id === null ? <span className="muted">No {noun}</span> : name(group)}</td>
                <td className="num">
                  {group.calls}
                  {group.errors ? <span className="badge badge-error">{group.errors} failed</span> : null}
                </td>
                <td className="num">{group.cost}</td>
                <td>{group.models.join(', ')}</td>
                <td>
                  <time dateTime={group.lastAt}>{formatDateTime(group.lastAt, timeZone)}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollArea>
    </Card>
  );
}
