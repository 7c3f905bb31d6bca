import { useQuery } from '@apollo/client/react';
import { Card } from '../../components/Card';
import { cardStatus } from '../../components/card-status';
import { type Period, type UsageFilter } from '../../gql/graphql';
import { FilteredSummaryDocument } from './gql/graphql';
import { periodOption } from '../../period';
import { useRefetchWhen } from '../overview/use-refetch-when';
import { filteredSummaryTiles } from './prepare-attribution';

/** The Overview's figures at a glance of the calls the filter keeps, refetched as calls land. */
export function FilteredSummaryCard({ period, filter, refreshKey }: { period: Period; filter: UsageFilter; refreshKey: number }) {
  const { data, loading, error, refetch } = useQuery(FilteredSummaryDocument, { variables: { period, filter } });
  useRefetchWhen(refreshKey, refetch);
  const totals = data?.usageMetrics.rows[0];
  const phrase = periodOption(period).phrase;
  const status = cardStatus({
    loading,
    error,
    hasData: data !== undefined,
    isEmpty: (totals?.values.find((value) => value.metric === 'REQUESTS')?.value ?? 0) === 0,
    emptyMessage: <p>No call in {phrase} matches the filter. Remove a condition, or pick a longer period.</p>,
    retry: () => void refetch(),
  });
  return (
    <Card title="At a glance" caption={`${phrase[0].toUpperCase()}${phrase.slice(1)}, the calls the filter keeps`} status={status} minBodyHeight={150} className="card-wide">
      <ul className="summary-tiles">
        {filteredSummaryTiles(totals).map((tile) => (
          <li key={tile.id} className="summary-tile" data-tile={tile.id}>
            <span className="summary-label">{tile.label}</span>
            <span className="summary-figure">
              <span className="summary-value">{tile.value}</span>
            </span>
          </li>
        ))}
      </ul>
    </Card>
  );
}
