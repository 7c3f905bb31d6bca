import type { ReactNode } from 'react';

/**
 * The row that stands in for a destructive action's button until it is confirmed: the question
 * (or what must be typed first), the action's button and Cancel, grouped under `label`.
 */
export function ConfirmRow({
  label,
  children,
  action,
  busyLabel,
  tone = 'danger',
  busy,
  blocked = false,
  onConfirm,
  onCancel,
}: {
  label: string;
  children: ReactNode;
  /** The confirming button's words: "Delete key". */
  action: string;
  /** Its words while the action runs: "Deleting…"; without, it keeps `action`. */
  busyLabel?: string;
  tone?: 'danger' | 'primary';
  busy: boolean;
  /** The action may not run yet (the name typed does not match). */
  blocked?: boolean;
  onConfirm(): void;
  onCancel(): void;
}) {
  return (
    <div className="row confirm" role="group" aria-label={label}>
      {children}
      <button type="button" className={`button button-${tone}`} onClick={onConfirm} disabled={blocked || busy}>
        {busy && busyLabel ? busyLabel : action}
      </button>
      <button type="button" className="button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
