import type { ReactNode } from 'react';

/** A series' line in a tooltip: its swatch, its name and its value. */
export function TooltipRow({ color, label, value }: { color: string; label: ReactNode; value: ReactNode }) {
  return (
    <div className="chart-tooltip-row">
      <span className="swatch" style={{ background: color }} aria-hidden="true" />
      <span>{label}</span>
      <strong>{value}</strong>
    </div>
  );
}

/** The tooltip of one bar or slice: its swatch and name as the title, then what it says of it. */
export function SwatchTooltip({ color, label, children }: { color: string; label: string; children: ReactNode }) {
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip-title">
        <span className="swatch" style={{ background: color }} aria-hidden="true" />
        {label}
      </div>
      {children}
    </div>
  );
}
