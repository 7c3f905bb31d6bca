import type { HealthFiguresFragment } from '../../gql/graphql';
import { describeError } from '../../components/card-status';
import { prepareHealth } from './prepare-status';

export interface HealthBannerProps {
  health: HealthFiguresFragment | null;
  error: Error | undefined;
  retry(): void;
  paused: boolean;
  onTogglePause(): void;
}

/** Overall health at the top of the page, each dependency beside it, and the pause switch of the live view. */
export function HealthBanner({ health, error, retry, paused, onTogglePause }: HealthBannerProps) {
  const view = health ? prepareHealth(health) : null;
  return (
    <section className={`health-banner tone-${view?.tone ?? (error ? 'error' : 'muted')}`} aria-label="Gateway health">
      <div className="health-main">
        <span className={`health-dot tone-${view?.tone ?? 'muted'}`} aria-hidden="true" />
        <div>
          <p className="health-headline" role="status">
            {view ? view.headline : error ? `Health is unknown: ${describeError(error)}` : 'Checking health…'}
          </p>
          {view ? <p className="muted health-meta">{view.meta}</p> : null}
        </div>
        {error && !view ? (
          <button type="button" className="button" onClick={retry}>
            Retry
          </button>
        ) : null}
      </div>
      {view ? (
        <ul className="health-services" aria-label="Dependencies">
          {view.services.map((service) => (
            <li key={service.name}>
              <span className={`badge badge-${service.tone}`}>{service.name}</span>
              <span className="muted">{service.detail || service.status}</span>
            </li>
          ))}
        </ul>
      ) : null}
      <button type="button" className={`button ${paused ? 'button-primary' : ''}`} onClick={onTogglePause} aria-pressed={paused}>
        {paused ? '▶ Resume live view' : '❚❚ Pause live view'}
      </button>
    </section>
  );
}
