/** A row of small labelled figures under an integration card's heading (memory counts, credit usage). */
export function MiniFigureList({ figures }: { figures: readonly { label: string; value: string }[] }) {
  return (
    <ul className="mini-figures">
      {figures.map((figure) => (
        <li key={figure.label} className="mini-figure">
          <span className="mini-label">{figure.label}</span>
          <span className="mini-value">{figure.value}</span>
        </li>
      ))}
    </ul>
  );
}
