import { useQuery } from '@apollo/client/react';
import { Card } from '../../components/Card';
import { queryCardStatus } from '../../components/card-status';
import { Legend } from '../../components/charts/Legend';
import { LineChart } from '../../components/charts/LineChart';
import { formatTokens } from '../../format';
import { TokensOverTimeDocument, type Period, type UsageFilter } from '../../gql/graphql';
import { periodOption } from '../../period';
import { tokenBucketFor, tokensOverTimeVariables } from './overview-queries';
import { prepareTokensOverTime } from './prepare-tokens-over-time';
import { useRefetchWhen } from './use-refetch-when';

/** Input and output tokens per day (per hour over 24 hours), as lines. */
export function TokensOverTimeCard({ period, timeZone, refreshKey, filter }: { period: Period; timeZone: string; refreshKey: number; filter?: UsageFilter }) {
  const unit = tokenBucketFor(period);
  const { data, loading, error, refetch } = useQuery(TokensOverTimeDocument, {
    variables: tokensOverTimeVariables(period, timeZone, filter),
  });
  useRefetchWhen(refreshKey, refetch);
  const chart = data ? prepareTokensOverTime(data.usageMetrics.rows, { period, now: new Date(), timeZone }) : null;
  const phrase = periodOption(period).phrase;
  const status = queryCardStatus(
    { loading, error, refetch },
    { hasData: chart !== null, isEmpty: chart?.isEmpty ?? true },
    <p>
      No tokens used in {phrase}. Calls sent with <code>trackLlmCall</code> appear here {unit === 'HOUR' ? 'by the hour' : 'by the day'}; or
      pick a longer period.
    </p>,
  );
  return (
    <Card
      title="Tokens over time"
      caption={`${unit === 'HOUR' ? 'Hourly' : 'Daily'} input and output tokens over ${phrase} (${timeZone})`}
      status={status}
    >
      {chart ? (
        <>
          <Legend
            label="Token totals"
            items={chart.series.map((line) => ({ id: line.id, label: line.label, color: line.color, value: line.totalLabel }))}
          />
          <LineChart
            axis={chart.axis}
            series={chart.series}
            formatValue={formatTokens}
            showPoints={chart.showPoints}
            ariaLabel={`${unit === 'HOUR' ? 'Hourly' : 'Daily'} input and output tokens over ${phrase}`}
          />
        </>
      ) : null}
    </Card>
  );
}
