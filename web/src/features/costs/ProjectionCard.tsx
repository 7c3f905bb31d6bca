import { useQuery } from '@apollo/client/react';
import { Card } from '../../components/Card';
import { queryCardStatus } from '../../components/card-status';
import { TrendBadge } from '../../components/TrendBadge';
import { previousPeriodPhrase } from '../../components/trend';
import { CostProjectionDocument, type Period } from '../../gql/graphql';
import { CARD_PERIOD_PARAMS, periodOption } from '../../period';
import { PeriodOverride, useCardPeriod } from './card-controls';
import { prepareProjection } from './prepare-projection';

/** The month's cost projected from the period's daily average, with the period against the one before. */
export function ProjectionCard({ period: pagePeriod, timeZone }: { period: Period; timeZone: string }) {
  const [periodOverride, setPeriodOverride] = useCardPeriod(CARD_PERIOD_PARAMS.projection);
  const period = periodOverride ?? pagePeriod;
  const { data, loading, error, refetch } = useQuery(CostProjectionDocument, { variables: { period, timezone: timeZone } });
  const figures = data ? prepareProjection(data.llmCostProjections, period) : null;
  const phrase = periodOption(period).phrase;
  const status = queryCardStatus(
    { loading, error, refetch },
    { hasData: figures !== null, isEmpty: figures?.isEmpty ?? true },
    <p>
      Nothing to project from: no calls in {phrase}. Once calls arrive the projection uses their daily average; or pick a longer period.
    </p>,
  );
  return (
    <Card
      title="Projected monthly cost"
      caption={
        <>
          <span>{`From the daily average of ${phrase} (days in ${timeZone})`}</span>
          <span className="card-controls">
            <PeriodOverride pagePeriod={pagePeriod} value={periodOverride} onChange={setPeriodOverride} label="Projected from" />
          </span>
        </>
      }
      status={status}
      minBodyHeight={200}
    >
      {figures ? (
        <div className="projection">
          <p className="projection-figure">
            {figures.projectedMonthly}
            <span className="muted"> / 30 days</span>
          </p>
          <p className="muted small">{figures.basis}</p>
          <dl className="figures">
            <div>
              <dt>This period</dt>
              <dd>
                {figures.current} <TrendBadge trend={figures.trend} />
              </dd>
            </div>
            <div>
              <dt>{previousPeriodPhrase(period).replace(/^the p/, 'P')}</dt>
              <dd>{figures.previous}</dd>
            </div>
            <div>
              <dt>Daily average</dt>
              <dd>{figures.dailyAverage}</dd>
            </div>
          </dl>
          {figures.sparseNote ? <p className="note small">{figures.sparseNote}</p> : null}
          {figures.partialDaysNote ? <p className="muted small">{figures.partialDaysNote}</p> : null}
        </div>
      ) : null}
    </Card>
  );
}
