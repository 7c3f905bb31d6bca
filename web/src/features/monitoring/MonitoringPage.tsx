import { useState } from 'react';
import { Card } from '../../components/Card';
import type { PageProps } from '../../pages';
import { AlertsCard } from './AlertsCard';
import { AlertRulesCard, ChannelsCard, DeliveriesCard } from './AlertRulesCards';
import { ApiTableCard } from './ApiTableCard';
import { HealthBanner } from './HealthBanner';
import { HeartbeatsCard } from './HeartbeatsCard';
import { LatencyCard } from './LatencyCard';
import { SystemCard } from './SystemCard';
import { useAlertStream, useApiSnapshots, useHealth, useHeartbeats, useTicker } from './use-monitoring-data';
import './monitoring.css';

/**
 * The Monitoring page: health at the top, then live API figures and the host (admin keys),
 * heartbeats and alerts. Pausing stops every live update; resuming fetches what was missed.
 */
export function MonitoringPage({ viewer, timeZone }: PageProps) {
  const [paused, setPaused] = useState(false);
  const isAdmin = viewer.role === 'ADMIN';
  const now = useTicker(5000, paused);
  const health = useHealth(paused);
  const api = useApiSnapshots({ enabled: isAdmin, paused });
  const heartbeats = useHeartbeats(paused, health.refetch);
  const alerts = useAlertStream(paused);
  return (
    <div className="monitoring">
      <HealthBanner health={health.health} error={health.error} retry={health.refetch} paused={paused} onTogglePause={() => setPaused((p) => !p)} />
      <div className="grid">
        {isAdmin ? (
          <>
            <LatencyCard history={api.history} state={api.state} paused={paused} timeZone={timeZone} />
            <ApiTableCard endpoints={api.endpoints} state={api.state} now={now} />
            <SystemCard system={api.system} state={api.state} timeZone={timeZone} />
          </>
        ) : (
          <Card title="API and system" status={{ kind: 'empty', message: <p>API performance and the host's figures cover every workspace, so they need an admin key.</p> }} minBodyHeight={120}>
            {null}
          </Card>
        )}
        <HeartbeatsCard heartbeats={heartbeats.heartbeats} state={heartbeats.state} now={now} />
        <AlertsCard alerts={alerts.alerts} arrivedIds={alerts.arrivedIds} state={alerts.state} now={now} />
        <AlertRulesCard paused={paused} />
        <ChannelsCard paused={paused} />
        <DeliveriesCard paused={paused} />
      </div>
    </div>
  );
}
