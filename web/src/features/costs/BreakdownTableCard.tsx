import { useState, type ReactNode } from 'react';
import { Card } from '../../components/Card';
import type { CardStatus } from '../../components/card-status';
import { BreakdownTable } from './BreakdownTable';
import { Segmented } from './card-controls';
import { DEFAULT_BREAKDOWN_SORT, type BreakdownTable as Table } from './prepare-breakdown';

/**
 * A card of cost per model, provider (or agent) as a sortable table, with the switch between them
 * and the total beside the title: the Costs page's breakdown and the Admin page's platform-wide one.
 * It holds the sort, so the sort outlasts a switch of dimension or period.
 */
export function BreakdownTableCard<Dimension extends string>({
  title,
  caption,
  switchLabel,
  dimensions,
  dimension,
  onDimensionChange,
  table,
  tableCaption,
  status,
}: {
  title: string;
  /** The card's caption, before the switch. */
  caption: ReactNode;
  /** What the switch does, for screen readers: "Break the cost down by". */
  switchLabel: string;
  dimensions: readonly { value: Dimension; label: string }[];
  dimension: Dimension;
  onDimensionChange(next: Dimension): void;
  table: Table | null;
  /** What the rows are, for screen readers: "Cost per model over the last 7 days". */
  tableCaption: string;
  status: CardStatus;
}) {
  const [sort, setSort] = useState(DEFAULT_BREAKDOWN_SORT);
  return (
    <Card
      title={title}
      caption={
        <>
          <span>{caption}</span>
          <span className="card-controls">
            <Segmented<Dimension> label={switchLabel} options={dimensions} value={dimension} onChange={onDimensionChange} />
          </span>
        </>
      }
      aside={table ? <span className="figure">{table.totalLabel}</span> : null}
      status={status}
      className="card-wide"
      minBodyHeight={200}
    >
      {table ? <BreakdownTable label={title} caption={tableCaption} table={table} sort={sort} onSortChange={setSort} /> : null}
    </Card>
  );
}
