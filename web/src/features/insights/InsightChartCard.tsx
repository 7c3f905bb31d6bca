import { useQuery } from '@apollo/client/react';
import type { ReactNode } from 'react';
import { Card } from '../../components/Card';
import type { CardStatus } from '../../components/card-status';
import { seriesColors } from '../../components/series-colors';
import { AnalyticsChartDocument } from '../../gql/graphql';
import { ChartView } from './ChartView';
import { chartFailure, examplesIn, widerQuestion } from './chart-error';
import { analyticsChartVariables } from './chart-query';
import type { ChartRequest } from './insights-storage';
import { prepareChart } from './prepare-chart';
import { describeInterpretation } from './prepare-interpretation';

/** Props of a chart card for one question or preset. */
export interface InsightChartCardProps {
  request: ChartRequest;
  /** The title until the answer names one: the question, or the preset's title. */
  fallbackTitle: string;
  /** 'full' on the Insights page (with how the question was understood), 'compact' on the Overview. @default 'full' */
  variant?: 'full' | 'compact';
  /** Controls on the title row (a pin button, a chart type switch), shown with the chart. */
  actions?: ReactNode;
  /** Asks another question, from the examples a refusal offers. */
  onAsk?(question: string): void;
  className?: string;
}

/** A question's chart: "Building chart…" while it runs, then the chart, its summary and, in full, how it was understood. */
export function InsightChartCard({ request, fallbackTitle, variant = 'full', actions, onAsk, className }: InsightChartCardProps) {
  const { data, loading, error, refetch } = useQuery(AnalyticsChartDocument, {
    variables: analyticsChartVariables(request),
    notifyOnNetworkStatusChange: true,
  });
  const answer = data?.analyticsChart ?? null;
  const prepared = answer ? prepareChart(answer, seriesColors) : null;
  const failure = error && !answer ? chartFailure(error) : null;

  let status: CardStatus;
  if (answer && prepared) {
    status =
      prepared.kind === 'empty'
        ? {
            kind: 'empty',
            message: (
              <>
                <p>
                  <strong>Nothing to chart.</strong> {answer.summary}
                </p>
                {request.query && onAsk && widerQuestion(request.query) ? (
                  <button type="button" className="button" onClick={() => onAsk(widerQuestion(request.query!)!)}>
                    Try the last 30 days
                  </button>
                ) : null}
              </>
            ),
          }
        : { kind: 'ready' };
  } else if (failure?.kind === 'refused') {
    const { text, examples } = examplesIn(failure.message);
    status = {
      kind: 'empty',
      message: (
        <div role="alert" className="insight-refusal">
          <p>
            <strong>This question could not be read.</strong> {text}
          </p>
          {examples.length ? (
            <div className="insight-chips" aria-label="Example questions">
              {examples.map((example) =>
                onAsk ? (
                  <button key={example} type="button" className="chip" onClick={() => onAsk(example)}>
                    {example}
                  </button>
                ) : (
                  <span key={example} className="chip chip-static">
                    {example}
                  </span>
                ),
              )}
            </div>
          ) : null}
        </div>
      ),
    };
  } else if (failure) {
    status = { kind: 'error', message: failure.message, retry: () => void refetch() };
  } else {
    status = { kind: 'loading' };
  }

  const refused = failure?.kind === 'refused';
  const title = answer?.title ?? (refused ? 'Could not read this question' : fallbackTitle);
  const building = status.kind === 'loading' || (loading && answer !== null);
  const caption = building ? 'Building chart…' : refused && request.query ? `“${request.query}”` : null;
  const lines = answer && variant === 'full' ? describeInterpretation(answer.interpretedAs, answer.chartType) : [];
  return (
    <Card title={title} caption={caption} aside={actions} status={status} minBodyHeight={variant === 'compact' ? 240 : 300} className={className}>
      {answer && prepared && prepared.kind !== 'empty' ? (
        <div className="insight-result">
          <ChartView chart={prepared} ariaLabel={answer.title} height={variant === 'compact' ? 240 : 300} />
          {prepared.caption ? <p className="card-caption">{prepared.caption}</p> : null}
          <p className="insight-summary">{answer.summary}</p>
          {variant === 'full' ? (
            <details className="insight-understood">
              <summary>How this was understood</summary>
              <p>{answer.explanation}</p>
              <dl>
                {lines.map((line) => (
                  <div key={line.term}>
                    <dt>{line.term}</dt>
                    <dd>{line.detail}</dd>
                  </div>
                ))}
              </dl>
              <p className="muted small">
                As a metrics query (<code>usageMetrics(query:)</code> runs it unchanged):
              </p>
              <pre className="insight-json">{JSON.stringify(answer.interpretedAs, null, 2)}</pre>
            </details>
          ) : null}
        </div>
      ) : null}
    </Card>
  );
}
