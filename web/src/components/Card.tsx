import { useId, type ReactNode } from 'react';
import type { CardStatus } from './card-status';

/** Props of a dashboard card. */
export interface CardProps {
  title: string;
  /** A line under the title: what the figures cover, a top-N note ("8 of 23 models"), controls (a div: it may hold a fieldset). */
  caption?: ReactNode;
  /** Figures or controls on the title row's right: a total, a toggle. */
  aside?: ReactNode;
  status: CardStatus;
  /** The content, rendered only when the status is ready. */
  children: ReactNode;
  className?: string;
  /** Height the loading, empty and error states keep, so the page does not jump. @default 260 */
  minBodyHeight?: number;
}

/** A titled panel that owns its loading, empty and error states. */
export function Card({ title, caption, aside, status, children, className, minBodyHeight = 260 }: CardProps) {
  const headingId = useId();
  return (
    <section className={`card${className ? ` ${className}` : ''}`} aria-labelledby={headingId} aria-busy={status.kind === 'loading'}>
      <header className="card-header">
        <div>
          <h2 id={headingId} className="card-title">
            {title}
          </h2>
          {caption ? <div className="card-caption">{caption}</div> : null}
        </div>
        {aside && status.kind === 'ready' ? <div className="card-aside">{aside}</div> : null}
      </header>
      <div className="card-body" style={status.kind === 'ready' ? undefined : { minHeight: minBodyHeight }}>
        <CardBody status={status}>{children}</CardBody>
      </div>
    </section>
  );
}

function CardBody({ status, children }: { status: CardStatus; children: ReactNode }) {
  switch (status.kind) {
    case 'loading':
      return (
        <div className="card-state card-loading" role="status">
          <span className="skeleton" aria-hidden="true" />
          <span className="visually-hidden">Loading…</span>
        </div>
      );
    case 'error':
      return (
        <div className="card-state card-error" role="alert">
          <p>
            <strong>Could not load this card.</strong> {status.message}
          </p>
          <button type="button" className="button" onClick={status.retry}>
            Retry
          </button>
        </div>
      );
    case 'empty':
      return (
        <div className="card-state card-empty">
          <div>{status.message}</div>
        </div>
      );
    case 'ready':
      return <>{children}</>;
  }
}
