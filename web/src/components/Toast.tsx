import { useEffect, type ReactNode } from 'react';
import './toast.css';

/** One toast: what happened, in words, and whether it went well. */
export interface ToastMessage {
  /** A new id for each message, so the same words twice are announced twice. */
  id: number;
  tone: 'ok' | 'error';
  content: ReactNode;
}

/** How long a good outcome stays on screen; a failure stays until it is dismissed. */
export const TOAST_OK_MS = 8000;

/**
 * A polite live region (role="status") that is always in the page, so screen readers announce
 * each message placed in it; the message shows as a toast in the corner with a close button.
 */
export function Toast({ message, onDismiss }: { message: ToastMessage | null; onDismiss(): void }) {
  useEffect(() => {
    if (message?.tone !== 'ok') return;
    const timer = setTimeout(onDismiss, TOAST_OK_MS);
    return () => clearTimeout(timer);
  }, [message, onDismiss]);
  return (
    <div className="toast-region" role="status" aria-live="polite" aria-atomic="true">
      {message ? (
        <div key={message.id} className={`toast toast-${message.tone}`}>
          <span className="toast-text">{message.content}</span>
          <button type="button" className="toast-close" onClick={onDismiss} aria-label="Dismiss this message">
            <span aria-hidden="true">×</span>
          </button>
        </div>
      ) : null}
    </div>
  );
}
