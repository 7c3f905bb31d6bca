import { useId, type ReactNode } from 'react';
import { useElementWidth } from '../use-element-width';
import type { ChartText } from './chart-text';
import { useTurnToDraw } from './draw-in-turn';

/** Props of the frame every chart is drawn in. */
export interface ChartFrameProps {
  /** What the chart shows: "Cost by model, the last 7 days". Its accessible name and the table's caption. */
  title: string;
  /** The chart in words (from `barChartText`, `timeSeriesChartText`…); `summary` replaces its summary. */
  text: ChartText;
  /** A summary the card words better than the derived one (an Insights answer's own). */
  summary?: string;
  /** @default 260 */
  height: number;
  /** Draws the chart at the measured width (called once the width is known and the chart's turn to draw has come). */
  children(width: number): ReactNode;
}

/**
 * The one place a chart gets its text alternative: an image named by its title and described by a
 * short summary, then its figures as a table that only assistive technology reads. The drawing
 * itself is presentation (nivo's SVG must not announce itself as a second, unnamed image).
 */
export function ChartFrame({ title, text, summary, height, children }: ChartFrameProps) {
  const [ref, width] = useElementWidth<HTMLDivElement>();
  const mayDraw = useTurnToDraw(width > 0);
  const summaryId = useId();
  return (
    <>
      <div className="chart" style={{ height }} ref={ref} role="img" aria-label={title} aria-describedby={summaryId}>
        {width > 0 && mayDraw ? children(width) : null}
      </div>
      <p id={summaryId} className="visually-hidden">
        {summary ?? text.summary}
      </p>
      {/* A table takes the width its cells need whatever its own width says, so the box around it is what hides it. */}
      <div className="visually-hidden">
        <table>
          <caption>{title}: the figures</caption>
          <thead>
            <tr>
              {text.table.columns.map((column, index) => (
                <th key={index} scope="col">
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {text.table.rows.map((row, rowIndex) => (
              <tr key={rowIndex}>
                {row.map((cell, index) =>
                  index === 0 ? (
                    <th key={index} scope="row">
                      {cell}
                    </th>
                  ) : (
                    <td key={index}>{cell}</td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** What every chart wrapper passes to nivo so its SVG stays a drawing inside the frame's image. */
export const DRAWING_ONLY = { role: 'presentation' } as const;
