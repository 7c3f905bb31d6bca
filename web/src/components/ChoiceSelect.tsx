/** One choice of a ChoiceSelect: its value and the words shown for it. */
export interface Choice<T extends string> {
  value: T;
  label: string;
}

/** A `.select` of fixed choices, each shown by its label, that hands back the chosen value. */
export function ChoiceSelect<T extends string>({
  id,
  value,
  choices,
  onChange,
  describedBy,
}: {
  id: string;
  value: T;
  choices: readonly Choice<T>[];
  onChange(next: NoInfer<T>): void;
  /** The id of the hint under it, for `aria-describedby`. */
  describedBy?: string;
}) {
  return (
    <select id={id} className="select" value={value} aria-describedby={describedBy} onChange={(event) => onChange(event.target.value as T)}>
      {choices.map((choice) => (
        <option key={choice.value} value={choice.value}>
          {choice.label}
        </option>
      ))}
    </select>
  );
}
