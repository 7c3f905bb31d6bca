import { useQuery } from '@apollo/client/react';
import { Card } from '../../components/Card';
import { queryCardStatus } from '../../components/card-status';
import { previousPeriodPhrase } from '../../components/trend';
import { type Period, type UsageFilter } from '../../gql/graphql';
import { FilteredSummaryDocument } from './gql/graphql';
import { periodOption } from '../../period';
import { prepareSummaryTiles } from '../overview/prepare-summary-tiles';
import { SummaryTileList } from '../overview/SummaryCard';
import { useRefetchWhen } from '../overview/use-refetch-when';

/** The Overview's figures at a glance of the calls the filter keeps, with their trends, refetched as calls land. */
export function FilteredSummaryCard({ period, filter, refreshKey }: { period: Period; filter: UsageFilter; refreshKey: number }) {
  const { data, loading, error, refetch } = useQuery(FilteredSummaryDocument, { variables: { period, filter } });
  useRefetchWhen(refreshKey, refetch);
  const prepared = data ? prepareSummaryTiles(data.llmSummary, period) : null;
  const phrase = periodOption(period).phrase;
  const status = queryCardStatus({ loading, error, refetch }, { hasData: prepared !== null, isEmpty: prepared?.isEmpty ?? true }, <p>No call in {phrase} matches the filter. Remove a condition, or pick a longer period.</p>);
  return (
    <Card
      title="At a glance"
      caption={`${phrase[0].toUpperCase()}${phrase.slice(1)}, the calls the filter keeps, with changes against ${previousPeriodPhrase(period)}`}
      status={status}
      minBodyHeight={150}
      className="card-wide"
    >
      {prepared ? <SummaryTileList tiles={prepared.tiles} /> : null}
    </Card>
  );
}
