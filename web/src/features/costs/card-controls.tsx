import { useId } from 'react';
import type { Period } from '../../gql/graphql';
import { PERIOD_OPTIONS, parseCardPeriod, periodOption } from '../../period';
import { useRoute } from '../../routing';

/** A card's own period kept in the URL under `param`: null follows the page. */
export function useCardPeriod(param: string): [Period | null, (next: Period | null) => void] {
  const { route, setParam } = useRoute();
  return [parseCardPeriod(route.params.get(param)), (next) => setParam(param, next)];
}

/** A card's own period: null follows the page's picker (or `defaultPeriod`, when the card needs a longer one than the page's). */
export function PeriodOverride({
  pagePeriod,
  defaultPeriod = pagePeriod,
  value,
  onChange,
  label = 'Period',
}: {
  pagePeriod: Period;
  defaultPeriod?: Period;
  value: Period | null;
  onChange(next: Period | null): void;
  /** The select's name, distinct when several cards of one page have one. @default "Period" */
  label?: string;
}) {
  const id = useId();
  return (
    <span className="control">
      <label htmlFor={id}>{label}</label>
      <select id={id} className="select" value={value ?? ''} onChange={(event) => onChange((event.target.value || null) as Period | null)}>
        <option value="">
          {defaultPeriod === pagePeriod ? `As the page (${periodOption(pagePeriod).short})` : `${periodOption(defaultPeriod).short} (the page's ${periodOption(pagePeriod).short} is too short for days)`}
        </option>
        {PERIOD_OPTIONS.map((option) => (
          <option key={option.value} value={option.value}>
            {option.short}
          </option>
        ))}
      </select>
    </span>
  );
}

/** A small segmented radio group with its own name, so several on one page never share a group. */
export function Segmented<T extends string>({
  label,
  options,
  value,
  onChange,
}: {
  label: string;
  options: readonly { value: T; label: string }[];
  value: T;
  onChange(next: T): void;
}) {
  const name = useId();
  return (
    <fieldset className="segmented segmented-small">
      <legend className="visually-hidden">{label}</legend>
      {options.map((option) => (
        <label key={option.value} className={option.value === value ? 'segment selected' : 'segment'}>
          <input type="radio" name={name} value={option.value} checked={option.value === value} onChange={() => onChange(option.value)} />
          <span>{option.label}</span>
        </label>
      ))}
    </fieldset>
  );
}

/** An inline state inside a card (a part of it loading or failing) with a retry. */
export function InlineState({ kind, message, retry }: { kind: 'loading' | 'error'; message?: string; retry?: () => void }) {
  if (kind === 'loading') {
    return (
      <div className="inline-state" role="status">
        <span className="spinner" aria-hidden="true" /> Loading…
      </div>
    );
  }
  return (
    <div className="inline-state inline-error" role="alert">
      <span>{message}</span>
      {retry ? (
        <button type="button" className="button button-small" onClick={retry}>
          Retry
        </button>
      ) : null}
    </div>
  );
}
