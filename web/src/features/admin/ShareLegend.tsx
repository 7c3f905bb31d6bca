import type { ShareSlice } from './prepare-shares';

/** A donut's legend in text: each slice's name, value and share, and a line of detail. */
export function ShareLegend({ slices, label }: { slices: readonly ShareSlice[]; label: string }) {
  return (
    <ul className="share-legend" aria-label={label}>
      {slices.map((slice) => (
        <li key={slice.id}>
          <span className="swatch" style={{ background: slice.color }} aria-hidden="true" />
          <span className="share-legend-name">{slice.label}</span>
          <strong>{slice.valueLabel}</strong>
          <span className="muted">
            {slice.shareLabel === slice.detail ? slice.shareLabel : `${slice.shareLabel} · ${slice.detail}`}
          </span>
        </li>
      ))}
    </ul>
  );
}
