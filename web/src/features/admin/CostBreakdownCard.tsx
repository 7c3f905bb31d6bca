import { useState } from 'react';
import { useQuery } from '@apollo/client/react';
import { Card } from '../../components/Card';
import { cardStatus } from '../../components/card-status';
import { seriesColors } from '../../components/series-colors';
import { AdminCostAnalyticsDocument, type Period } from '../../gql/graphql';
import { BreakdownTable } from '../costs/BreakdownTable';
import { Segmented } from '../costs/card-controls';
import { DEFAULT_BREAKDOWN_SORT, prepareBreakdownTable } from '../costs/prepare-breakdown';

type Dimension = 'MODEL' | 'PROVIDER';

const DIMENSIONS: readonly { value: Dimension; label: string; noun: string; nouns: string }[] = [
  { value: 'MODEL', label: 'By model', noun: 'model', nouns: 'models' },
  { value: 'PROVIDER', label: 'By provider', noun: 'provider', nouns: 'providers' },
];

/** The whole platform's cost by model or by provider over the period (adminCostAnalytics), input and output cost apart, sortable. */
export function CostBreakdownCard({ period, phrase }: { period: Period; phrase: string }) {
  const [dimension, setDimension] = useState<Dimension>('MODEL');
  const [sort, setSort] = useState(DEFAULT_BREAKDOWN_SORT);
  const { data, loading, error, refetch } = useQuery(AdminCostAnalyticsDocument, { variables: { period } });
  const analytics = data?.adminCostAnalytics;
  const rows = analytics ? (dimension === 'MODEL' ? analytics.byModel : analytics.byProvider) : null;
  const table = rows ? prepareBreakdownTable(rows, { dimension, colors: seriesColors }) : null;
  const { noun, nouns } = DIMENSIONS.find((d) => d.value === dimension)!;
  const status = cardStatus({
    loading,
    error,
    hasData: table !== null,
    isEmpty: table?.emptyReason === 'no-calls',
    emptyMessage: <p>No calls in {phrase} in any workspace, so no cost per {noun}; pick a longer period.</p>,
    retry: () => void refetch(),
  });
  return (
    <Card
      title="Platform cost breakdown"
      caption={
        <>
          <span>
            Every workspace&apos;s cost per {noun} over {phrase}
            {table ? ` · ${table.rows.length} ${table.rows.length === 1 ? noun : nouns}` : ''}; select a column heading to sort
          </span>
          <span className="card-controls">
            <Segmented<Dimension> label="Break the platform's cost down" options={DIMENSIONS} value={dimension} onChange={setDimension} />
          </span>
        </>
      }
      aside={table ? <span className="figure">{table.totalLabel}</span> : null}
      status={status}
      className="card-wide"
      minBodyHeight={200}
    >
      {table ? (
        <BreakdownTable
          label="Platform cost breakdown"
          caption={`Every workspace's cost per ${noun} over ${phrase}`}
          table={table}
          sort={sort}
          onSortChange={setSort}
        />
      ) : null}
    </Card>
  );
}
