import { useQuery } from '@apollo/client/react';
import { Card } from '../../components/Card';
import { queryCardStatus } from '../../components/card-status';
import { BarChart } from '../../components/charts/BarChart';
import { seriesColors } from '../../components/series-colors';
import { formatDollars } from '../../format';
import { CostByModelDocument, type Period, type UsageFilter } from '../../gql/graphql';
import { periodOption } from '../../period';
import { prepareCostByModel } from './prepare-cost-by-model';
import { useRefetchWhen } from './use-refetch-when';

/** Cost per model over the period, as horizontal bars. */
export function CostByModelCard({ period, refreshKey, filter }: { period: Period; refreshKey: number; filter?: UsageFilter }) {
  const { data, loading, error, refetch } = useQuery(CostByModelDocument, { variables: filter ? { period, filter } : { period } });
  useRefetchWhen(refreshKey, refetch);
  const chart = data ? prepareCostByModel(data.llmUsage, seriesColors) : null;
  const phrase = periodOption(period).phrase;
  const status = queryCardStatus(
    { loading, error, refetch },
    { hasData: chart !== null, isEmpty: chart?.emptyReason !== null },
    chart?.emptyReason === 'no-cost' ? (
      <p>
        Calls arrived in {phrase}, but none has a known price. Send <code>reportedCost</code> with each call, or set a price for
        the model.
      </p>
    ) : (
      <p>
        No calls in {phrase}. Send one with the <code>trackLlmCall</code> mutation (see the README), or pick a longer period.
      </p>
    ),
  );
  return (
    <Card
      title="Cost by model"
      caption={chart?.caption ?? `Spend per model over ${phrase}`}
      aside={chart ? <span className="figure">{chart.totalLabel}</span> : null}
      status={status}
    >
      {chart ? <BarChart bars={chart.bars} formatValue={formatDollars} ariaLabel={`Cost by model over ${phrase}`} /> : null}
    </Card>
  );
}
