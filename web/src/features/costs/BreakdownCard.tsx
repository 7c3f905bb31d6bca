import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { Card } from '../../components/Card';
import { cardStatus } from '../../components/card-status';
import { seriesColors } from '../../components/series-colors';
import { CostBreakdownDocument, type CostBreakdownDimension, type Period } from '../../gql/graphql';
import { periodOption } from '../../period';
import { Segmented } from './card-controls';
import { DEFAULT_BREAKDOWN_SORT, nextSort, prepareBreakdownTable, type BreakdownSort, type BreakdownSortKey } from './prepare-breakdown';
import { ScrollArea } from '../../components/ScrollArea';

type Dimension = Exclude<CostBreakdownDimension, 'DAILY'>;

const DIMENSIONS: readonly { value: Dimension; label: string; noun: string }[] = [
  { value: 'MODEL', label: 'Model', noun: 'model' },
  { value: 'PROVIDER', label: 'Provider', noun: 'provider' },
  { value: 'AGENT', label: 'Agent', noun: 'agent' },
];

const COLUMNS: readonly { key: BreakdownSortKey; label: string; numeric: boolean; narrowHidden?: boolean }[] = [
  { key: 'label', label: 'Name', numeric: false },
  { key: 'requests', label: 'Requests', numeric: true, narrowHidden: true },
  { key: 'inputCost', label: 'Input cost', numeric: true, narrowHidden: true },
  { key: 'outputCost', label: 'Output cost', numeric: true, narrowHidden: true },
  { key: 'totalCost', label: 'Cost', numeric: true },
];

/** Cost split by model, provider or agent, as a table sorted by any column, each row with its share of the total. */
export function BreakdownCard({ period }: { period: Period }) {
  const [dimension, setDimension] = useState<Dimension>('MODEL');
  const [sort, setSort] = useState<BreakdownSort>(DEFAULT_BREAKDOWN_SORT);
  const { data, loading, error, refetch } = useQuery(CostBreakdownDocument, { variables: { period, breakdown: dimension } });
  const table = data ? prepareBreakdownTable(data.llmCosts, { dimension, sort, colors: seriesColors }) : null;
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
        <ScrollArea label="Cost breakdown">
          <table className="feed breakdown">
            <caption className="visually-hidden">
              Cost per {noun} over {phrase}, sorted by {COLUMNS.find((c) => c.key === sort.key)?.label}, {sort.direction}
            </caption>
            <thead>
              <tr>
                {COLUMNS.map((column) => (
                  <th
                    key={column.key}
                    scope="col"
                    className={[column.numeric ? 'num' : '', column.narrowHidden ? 'narrow-hidden' : ''].join(' ').trim() || undefined}
                    aria-sort={sort.key === column.key ? sort.direction : undefined}
                  >
                    <button type="button" className="sort-button" onClick={() => setSort(nextSort(sort, column.key))}>
                      {column.label}
                      <span aria-hidden="true" className="sort-mark">
                        {sort.key === column.key ? (sort.direction === 'ascending' ? '▲' : '▼') : '↕'}
                      </span>
                    </button>
                  </th>
                ))}
                <th scope="col" className="share-column">
                  Share
                </th>
              </tr>
            </thead>
            <tbody>
              {table.rows.map((row) => (
                <tr key={row.key || '(none)'}>
                  <td className="name-cell">
                    <span className="model">
                      {row.color ? <span className="swatch" style={{ background: row.color }} aria-hidden="true" /> : null}
                      <span>{row.label}</span>
                    </span>
                  </td>
                  <td className="num narrow-hidden">{row.requests}</td>
                  <td className="num narrow-hidden">{row.inputCost}</td>
                  <td className="num narrow-hidden">{row.outputCost}</td>
                  <td className="num">
                    <strong>{row.totalCost}</strong>
                  </td>
                  <td className="share-column">
                    <span className="share">
                      <span className="share-bar" aria-hidden="true">
                        <span style={{ width: `${row.sharePct}%`, background: row.color ?? undefined }} />
                      </span>
                      <span className="share-text">{row.share}</span>
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollArea>
      ) : null}
    </Card>
  );
}
