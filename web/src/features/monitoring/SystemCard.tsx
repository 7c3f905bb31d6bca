import { Card } from '../../components/Card';
import { formatClockTime } from '../../format';
import type { SystemFiguresFragment } from '../../gql/graphql';
import { prepareSystem } from './prepare-status';
import { loadableStatus, type Loadable } from './use-monitoring-data';

/** CPU, memory and disk of the host as gauges, and the gateway process in figures. */
export function SystemCard({ system, state, timeZone }: { system: SystemFiguresFragment | null; state: Loadable; timeZone: string }) {
  const view = system ? prepareSystem(system) : null;
  const status = loadableStatus(state, view === null, <p>The gateway has taken no sample of the host yet; the first one comes within seconds of its start.</p>);
  return (
    <Card title="System" caption={system ? `Sampled at ${formatClockTime(system.at, timeZone)}` : 'The host and the gateway process'} status={status}>
      {view ? (
        <>
          <ul className="gauges">
            {view.gauges.map((gauge) => (
              <li key={gauge.label}>
                <div className="gauge-head">
                  <span>{gauge.label}</span>
                  <strong className={`tone-text-${gauge.tone}`}>{gauge.value}</strong>
                </div>
                <div className="gauge-track" role="meter" aria-label={gauge.label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(gauge.percent)}>
                  <span className={`gauge-fill tone-${gauge.tone}`} style={{ width: `${gauge.percent}%` }} />
                </div>
                <p className="muted gauge-detail">{gauge.detail}</p>
              </li>
            ))}
          </ul>
          <dl className="facts">
            {view.facts.map((fact) => (
              <div key={fact.label}>
                <dt>{fact.label}</dt>
                <dd>{fact.value}</dd>
              </div>
            ))}
          </dl>
        </>
      ) : null}
    </Card>
  );
}
