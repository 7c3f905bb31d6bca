/** One entry of a chart legend. */
export interface LegendItem {
  id: string;
  label: string;
  color: string;
  /** A figure after the label: the series total. */
  value?: string;
}

/** A chart legend in text (so it is read out and never depends on colour alone). */
export function Legend({ items, label }: { items: readonly LegendItem[]; label: string }) {
  return (
    <ul className="legend" aria-label={label}>
      {items.map((item) => (
        <li key={item.id}>
          <span className="swatch" style={{ background: item.color }} aria-hidden="true" />
          <span>{item.label}</span>
          {item.value ? <strong>{item.value}</strong> : null}
        </li>
      ))}
    </ul>
  );
}
