import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { queryCardStatus } from '../../components/card-status';
import { seriesColors } from '../../components/series-colors';
import { CostBreakdownDocument, type CostBreakdownDimension, type Period, type UsageFilter } from '../../gql/graphql';
import { FilteredCostBreakdownDocument } from '../attribution/gql/graphql';
import { periodOption } from '../../period';
import { BreakdownTableCard } from './BreakdownTableCard';
import { breakdownRowsFromMetrics, prepareBreakdownTable } from './prepare-breakdown';

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
  const all = useQuery(CostBreakdownDocument, { variables: { period, breakdown: dimension }, skip: filter !== undefined });
  const filtered = useQuery(FilteredCostBreakdownDocument, { variables: { period, dimension, filter: filter ?? {} }, skip: filter === undefined });
  const { loading, error, refetch } = filter ? filtered : all;
  const rows = filter ? filtered.data && breakdownRowsFromMetrics(filtered.data.usageMetrics.rows) : all.data?.llmCosts;
  const table = rows ? prepareBreakdownTable(rows, { dimension, colors: seriesColors }) : null;
  const phrase = periodOption(period).phrase;
  const noun = DIMENSIONS.find((d) => d.value === dimension)?.noun ?? 'group';
  const status = queryCardStatus(
    { loading, error, refetch },
    { hasData: table !== null, isEmpty: table?.emptyReason === 'no-calls' },
    <p>
      No calls in {phrase}, so no cost per {noun}. Calls sent with <code>trackLlmCall</code> appear here; or pick a longer period.
    </p>,
  );
  return (
    <BreakdownTableCard<Dimension>
      title="Cost breakdown"
      caption={
        <>
          Cost per {noun} over {phrase}; select a column heading to sort
        </>
      }
      switchLabel="Break the cost down by"
      dimensions={DIMENSIONS}
      dimension={dimension}
      onDimensionChange={setDimension}
      table={table}
      tableCaption={`Cost per ${noun} over ${phrase}`}
      status={status}
    />
  );
}
