import type { Period } from '../gql/graphql';
import { PERIOD_OPTIONS } from '../period';

/** Props of the period picker. */
export interface PeriodPickerProps {
  value: Period;
  onChange(period: Period): void;
  /** The group's accessible name. @default "Period" */
  label?: string;
}

/** A segmented control over 24h, 7, 30 and 90 days: one radio group, operable with the arrow keys. */
export function PeriodPicker({ value, onChange, label = 'Period' }: PeriodPickerProps) {
  return (
    <fieldset className="segmented">
      <legend className="visually-hidden">{label}</legend>
      {PERIOD_OPTIONS.map((option) => (
        <label key={option.value} className={option.value === value ? 'segment selected' : 'segment'} title={option.phrase}>
          <input
            type="radio"
            name="period"
            value={option.value}
            checked={option.value === value}
            onChange={() => onChange(option.value)}
            aria-label={option.phrase}
          />
          <span aria-hidden="true">{option.short}</span>
        </label>
      ))}
    </fieldset>
  );
}
