import { describeError } from './card-status';

/** How a form's action went, said under the form; null before it ran. */
export type Notice = { ok: boolean; text: string } | null;

/** The notice of an action that threw. */
export function failureNotice(failure: unknown): Notice {
  return { ok: false, text: describeError(failure as Error) };
}

/** A notice under a form: a status a screen reader reads when it is good news, an alert when the action failed. */
export function NoticeMessage({ notice }: { notice: Notice }) {
  if (!notice) return null;
  return (
    <p className={notice.ok ? 'form-message' : 'form-message form-error'} role={notice.ok ? 'status' : 'alert'}>
      {notice.text}
    </p>
  );
}

/** What is wrong with what was typed, as an alert; `id` is what the field's `aria-describedby` names. */
export function ProblemMessage({ id, problem }: { id?: string; problem: string | null }) {
  if (!problem) return null;
  return (
    <p id={id} className="form-message form-error" role="alert">
      {problem}
    </p>
  );
}

/** A form's submit button in a field of its own; while the action runs it is disabled and says so. */
export function SubmitField({ label, busyLabel, busy, primary = false }: { label: string; busyLabel: string; busy: boolean; primary?: boolean }) {
  return (
    <div className="field field-submit">
      <button type="submit" className={primary ? 'button button-primary' : 'button'} disabled={busy}>
        {busy ? busyLabel : label}
      </button>
    </div>
  );
}
