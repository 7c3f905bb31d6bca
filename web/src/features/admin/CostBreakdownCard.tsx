import { useState } from 'react';
import { useQuery } from '@apollo/client/react';
import { queryCardStatus } from '../../components/card-status';
import { seriesColors } from '../../components/series-colors';
import { AdminCostAnalyticsDocument, type Period } from '../../gql/graphql';
import { BreakdownTableCard } from '../costs/BreakdownTableCard';
import { prepareBreakdownTable } from '../costs/prepare-breakdown';

type Dimension = 'MODEL' | 'PROVIDER';

const DIMENSIONS: readonly { value: Dimension; label: string; noun: string; nouns: string }[] = [
  { value: 'MODEL', label: 'By model', noun: 'model', nouns: 'models' },
  { value: 'PROVIDER', label: 'By provider', noun: 'provider', nouns: 'providers' },
];

/** The whole platform's cost by model or by provider over the period (adminCostAnalytics), input and output cost apart, sortable. */
export function CostBreakdownCard({ period, phrase }: { period: Period; phrase: string }) {
  const [dimension, setDimension] = useState<Dimension>('MODEL');
  const { data, loading, error, refetch } = useQuery(AdminCostAnalyticsDocument, { variables: { period } });
  const analytics = data?.adminCostAnalytics;
  const rows = analytics ? (dimension === 'MODEL' ? analytics.byModel : analytics.byProvider) : null;
  const table = rows ? prepareBreakdownTable(rows, { dimension, colors: seriesColors }) : null;
  const { noun, nouns } = DIMENSIONS.find((d) => d.value === dimension)!;
  const status = queryCardStatus({ loading, error, refetch }, { hasData: table !== null, isEmpty: table?.emptyReason === 'no-calls' }, <p>No calls in {phrase} in any workspace, so no cost per {noun}; pick a longer period.</p>);
  return (
    <BreakdownTableCard<Dimension>
      title="Platform cost breakdown"
      caption={
        <>
          Every workspace&apos;s cost per {noun} over {phrase}
          {table ? ` · ${table.rows.length} ${table.rows.length === 1 ? noun : nouns}` : ''}; select a column heading to sort
        </>
      }
      switchLabel="Break the platform's cost down"
      dimensions={DIMENSIONS}
      dimension={dimension}
      onDimensionChange={setDimension}
      table={table}
      tableCaption={`Every workspace's cost per ${noun} over ${phrase}`}
      status={status}
    />
  );
}
