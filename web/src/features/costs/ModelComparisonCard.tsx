import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { Card } from '../../components/Card';
import { cardStatus, describeError } from '../../components/card-status';
import { RadarChart } from '../../components/charts/RadarChart';
import { seriesColors } from '../../components/series-colors';
import { CostBreakdownDocument, ModelComparisonDocument, type Period } from '../../gql/graphql';
import { CARD_PERIOD_PARAMS, periodOption } from '../../period';
import { InlineState, PeriodOverride, useCardPeriod } from './card-controls';
import {
  defaultComparedModels,
  MAX_COMPARED_MODELS,
  prepareComparisonRadar,
  prepareComparisonTable,
  toggleComparedModel,
  type ComparisonItem,
} from './prepare-comparison';
import { ScrollArea } from '../../components/ScrollArea';

/** Up to four models side by side: registry prices and limits next to the period's usage, as a table and a radar. */
export function ModelComparisonCard({ period: pagePeriod }: { period: Period }) {
  const [periodOverride, setPeriodOverride] = useCardPeriod(CARD_PERIOD_PARAMS.comparison);
  const period = periodOverride ?? pagePeriod;
  const models = useQuery(CostBreakdownDocument, { variables: { period, breakdown: 'MODEL' } });
  const [chosen, setChosen] = useState<string[] | null>(null);
  const [refusedModel, setRefusedModel] = useState<string | null>(null);
  const modelIds = models.data?.llmCosts.map((row) => row.key) ?? [];
  const selected = chosen ?? defaultComparedModels(modelIds);
  const phrase = periodOption(period).phrase;
  const status = cardStatus({
    loading: models.loading,
    error: models.error,
    hasData: models.data !== undefined,
    isEmpty: modelIds.length === 0 && selected.length === 0,
    emptyMessage: (
      <p>
        No model had calls in {phrase}, so there is nothing to compare. Pick a longer period, or send calls with <code>trackLlmCall</code>.
      </p>
    ),
    retry: () => void models.refetch(),
  });
  const choices = [...new Set([...modelIds, ...selected])];
  const toggle = (modelId: string) => {
    const next = toggleComparedModel(selected, modelId);
    setRefusedModel(next.refused ? modelId : null);
    if (!next.refused) setChosen(next.selected);
  };
  return (
    <Card
      title="Model comparison"
      caption={
        <>
          <span>{`Registry prices and limits beside each model's use over ${phrase}; pick up to ${MAX_COMPARED_MODELS}`}</span>
          <span className="card-controls">
            <PeriodOverride pagePeriod={pagePeriod} value={periodOverride} onChange={setPeriodOverride} label="Usage over" />
          </span>
        </>
      }
      status={status}
      className="card-wide"
      minBodyHeight={240}
    >
      <fieldset className="chips">
        <legend className="chips-legend">
          Models to compare <span className="muted">({selected.length} of {MAX_COMPARED_MODELS} picked)</span>
        </legend>
        {choices.map((modelId) => {
          const checked = selected.includes(modelId);
          return (
            <label key={modelId} className={checked ? 'model-chip model-chip-on' : 'model-chip'}>
              <input type="checkbox" checked={checked} onChange={() => toggle(modelId)} />
              <span className="swatch" style={{ background: seriesColors.colorFor(modelId) }} aria-hidden="true" />
              {modelId}
            </label>
          );
        })}
      </fieldset>
      <p className={refusedModel ? 'notice' : 'visually-hidden'} role="status">
        {refusedModel
          ? `You can compare at most ${MAX_COMPARED_MODELS} models at once. Clear one of them to add ${refusedModel}.`
          : ''}
      </p>
      {selected.length === 0 ? (
        <p className="card-state muted">Pick one to {MAX_COMPARED_MODELS} models above to compare them.</p>
      ) : (
        <Comparison modelIds={selected} period={period} />
      )}
    </Card>
  );
}

function Comparison({ modelIds, period }: { modelIds: string[]; period: Period }) {
  const { data, previousData, loading, error, refetch } = useQuery(ModelComparisonDocument, { variables: { modelIds, period } });
  // While a new pick loads, keep the last comparison on screen instead of flashing a spinner.
  const items: readonly ComparisonItem[] | undefined = data?.llmModelComparison ?? previousData?.llmModelComparison;
  if (!items) {
    return error ? <InlineState kind="error" message={describeError(error)} retry={() => void refetch()} /> : <InlineState kind="loading" />;
  }
  const table = prepareComparisonTable(items, seriesColors);
  const radar = prepareComparisonRadar(items, seriesColors);
  return (
    <div className="comparison" aria-busy={loading}>
      {items.length > 1 ? <p className="scroll-hint muted small">Scroll the table sideways to see every model.</p> : null}
      <ScrollArea label="Compared models" className="comparison-table">
        <table className="feed">
          <caption className="visually-hidden">Compared models, one per column</caption>
          <thead>
            <tr>
              <th scope="col">
                <span className="visually-hidden">Figure</span>
              </th>
              {table.columns.map((column) => (
                <th key={column.id} scope="col">
                  <span className="model model-head">
                    <span className="swatch" style={{ background: column.color }} aria-hidden="true" />
                    <span>
                      {column.label}
                      <span className="muted column-detail">{column.detail}</span>
                    </span>
                  </span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row) => (
              <tr key={row.id}>
                <th scope="row" className="row-head">
                  {row.label}
                </th>
                {row.cells.map((cell, index) => (
                  <td key={table.columns[index].id} className={row.id === 'capabilities' ? 'wrap-cell' : undefined}>
                    {cell.best ? (
                      <strong>
                        {cell.text} <span className="best-mark">{row.bestMeans}</span>
                      </strong>
                    ) : (
                      cell.text
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollArea>
      <figure className="comparison-radar">
        <RadarChart axes={radar.axes} series={radar.series} ariaLabel="Compared models on cost per call, latency, error rate, requests and context size" />
        <figcaption className="muted small">Each axis is scaled to the largest of the compared models (the outer ring); hover an axis for the figures.</figcaption>
      </figure>
    </div>
  );
}
