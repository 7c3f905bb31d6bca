import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { Card } from '../../components/Card';
import { cardStatus } from '../../components/card-status';
import { seriesColors } from '../../components/series-colors';
import { CostBreakdownDocument, type CostBreakdownDimension, type Period, type UsageFilter } from '../../gql/graphql';
import { FilteredCostBreakdownDocument } from '../attribution/gql/graphql';
import { periodOption } from '../../period';
import { Segmented } from './card-controls';
import { BreakdownTable } from './BreakdownTable';
import { breakdownRowsFromMetrics, DEFAULT_BREAKDOWN_SORT, prepareBreakdownTable } from './prepare-breakdown';

type Dimension = Exclude<CostBreakdownDimension, 'DAILY'>;

const DIMENSIONS: readonly { value: Dimension; label: string; noun: string }[] = [
  { value: 'MODEL', label: 'Model', noun: 'model' },
  { value: 'PROVIDER', label: 'Provider', noun: 'provider' },
  { value: 'AGENT', label: 'Agent', noun: 'agent' },
];

/**
 * Cost split by model, provider or agent, as a table sorted by any column, each row with its share
 * of the total; under an attribution filter, of the filtered calls (from usageMetrics, as llmCosts takes no filter).
 */
export function BreakdownCard({ period, filter }: { period: Period; filter?: UsageFilter }) {
  const [dimension, setDimension] = useState<Dimension>('MODEL');
  const [sort, setSort] = useState(DEFAULT_BREAKDOWN_SORT);
  const all = useQuery(CostBreakdownDocument, { variables: { period, breakdown: dimension }, skip: filter !== undefined });
  const filtered = useQuery(FilteredCostBreakdownDocument, { variables: { period, dimension, filter: filter ?? {} }, skip: filter === undefined });
  const { loading, error, refetch } = filter ? filtered : all;
  const rows = filter ? filtered.data && breakdownRowsFromMetrics(filtered.data.usageMetrics.rows) : all.data?.llmCosts;
  const table = rows ? prepareBreakdownTable(rows, { dimension, colors: seriesColors }) : null;
  const phrase = periodOption(period).phrase;
  const noun = DIMENSIONS.find((d) => d.value === dimension)?.noun ?? 'group';
  const status = cardStatus({
    loading,
    error,
    hasData: table !== null,
    isEmpty: table?.emptyReason === 'no-calls',
    emptyMessage: (
      <p>
        No calls in {phrase}, so no cost per {noun}. Calls sent with <code>trackLlmCall</code> appear here; or pick a longer period.
      </p>
    ),
    retry: () => void refetch(),
  });
  return (
    <Card
      title="Cost breakdown"
      caption={
        <>
          <span>Cost per {noun} over {phrase}; select a column heading to sort</span>
          <span className="card-controls">
            <Segmented<Dimension> label="Break the cost down by" options={DIMENSIONS} value={dimension} onChange={setDimension} />
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
          label="Cost breakdown"
          caption={`Cost per ${noun} over ${phrase}`}
          table={table}
          sort={sort}
          onSortChange={setSort}
        />
      ) : null}
    </Card>
  );
}
