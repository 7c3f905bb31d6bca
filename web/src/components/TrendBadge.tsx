import type { Trend } from './trend';
import './trend.css';

/** A change against the previous period: arrow and figure on screen, the whole sentence for screen readers and on hover. */
export function TrendBadge({ trend }: { trend: Trend }) {
  return (
    <span className={`trend trend-${trend.tone}`} title={trend.description}>
      <span aria-hidden="true">
        {trend.arrow ? `${trend.arrow} ` : ''}
        {trend.text}
      </span>
      <span className="visually-hidden">{trend.description}</span>
    </span>
  );
}
