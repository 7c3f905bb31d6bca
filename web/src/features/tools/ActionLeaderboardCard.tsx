import { useQuery } from '@apollo/client/react';
import { Card } from '../../components/Card';
import { listCardStatus } from '../../components/card-status';
import { formatCount } from '../../format';
import { ActionLeaderboardDocument } from '../../gql/graphql';
import { LeaderboardTable } from './LeaderboardTable';
import type { UsageWindow } from './prepare-tools';

/** Actions used in the window, most used first; the table sorts by any column in the browser. */
export function ActionLeaderboardCard({ usage }: { usage: UsageWindow }) {
  const { data, loading, error, refetch } = useQuery(ActionLeaderboardDocument, { variables: { days: usage.days } });
  const entries = data?.composioActions ?? null;
  const status = listCardStatus(
    { loading, error, refetch },
    entries,
    <p>
      No actions used {usage.phrase}. Agents report each use with <code>recordComposioAction</code>; or pick a longer period.
    </p>,
  );
  const total = entries?.reduce((sum, e) => sum + e.usageCount, 0) ?? 0;
  return (
    <Card
      title="Action leaderboard"
      caption={`Uses ${usage.phrase}; click a column to sort`}
      className="card-wide"
      aside={entries ? <span className="figure">{formatCount(total)} uses</span> : null}
      status={status}
      minBodyHeight={160}
    >
      {entries ? <LeaderboardTable entries={entries} now={new Date()} /> : null}
    </Card>
  );
}
