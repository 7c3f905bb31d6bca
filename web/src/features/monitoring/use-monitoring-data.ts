import { useQuery, useSubscription } from '@apollo/client/react';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import {
  AlertsRaisedDocument,
  ApiAndSystemDocument,
  ApiMetricsSnapshotsDocument,
  HeartbeatChangesDocument,
  HeartbeatsDocument,
  MonitoringHealthDocument,
  RecentAlertsDocument,
  type EndpointFiguresFragment,
  type SystemFiguresFragment,
} from '../../gql/graphql';
import { appendSnapshot, type LatencySnapshot } from './prepare-latency-chart';
import { ALERT_STREAM_LIMIT, mergeAlerts, mergeHeartbeat } from './prepare-status';
import { cardStatus, type CardStatus } from '../../components/card-status';

/** How often the gateway pushes API and system figures to this page. */
export const SNAPSHOT_INTERVAL_MS = 2000;
/** How often health is asked again while the page is live. */
export const HEALTH_POLL_MS = 10_000;

/** A query's state as a card needs it. */
export interface Loadable {
  hasData: boolean;
  loading: boolean;
  error: Error | undefined;
  refetch(): void;
}

/** A monitoring card's status from its query's state; `isEmpty` says whether what it draws is empty. */
export function loadableStatus(state: Loadable, isEmpty: boolean, emptyMessage: ReactNode): CardStatus {
  return cardStatus({ loading: state.loading, error: state.error, hasData: state.hasData, isEmpty, emptyMessage, retry: state.refetch });
}

/** Runs `refetch` when `paused` turns false: events missed while paused are fetched instead. */
function useCatchUpOnResume(paused: boolean, refetch: () => unknown): void {
  const wasPaused = useRef(paused);
  useEffect(() => {
    if (wasPaused.current && !paused) void refetch();
    wasPaused.current = paused;
  }, [paused, refetch]);
}

/** API and system figures (admin keys only): the first answer from apiMetrics and systemMetrics, then every snapshot. */
export function useApiSnapshots({ enabled, paused }: { enabled: boolean; paused: boolean }) {
  const query = useQuery(ApiAndSystemDocument, { skip: !enabled });
  const [latest, setLatest] = useState<{ endpoints: EndpointFiguresFragment[]; system: SystemFiguresFragment } | null>(null);
  const [history, setHistory] = useState<LatencySnapshot[]>([]);
  const subscription = useSubscription(ApiMetricsSnapshotsDocument, {
    skip: !enabled || paused,
    variables: { intervalMs: SNAPSHOT_INTERVAL_MS },
    onData: ({ data }) => {
      const snapshot = data.data?.apiMetricsUpdated;
      if (!snapshot) return;
      setLatest({ endpoints: snapshot.endpoints, system: snapshot.system });
      setHistory((previous) => appendSnapshot(previous, snapshot));
    },
  });
  const endpoints = latest?.endpoints ?? query.data?.apiMetrics ?? null;
  const system = latest?.system ?? query.data?.systemMetrics ?? null;
  const state: Loadable = {
    hasData: endpoints !== null,
    loading: query.loading,
    error: query.error ?? subscription.error,
    refetch: () => void query.refetch(),
  };
  return { endpoints, system, history, state };
}

/** Every heartbeat, kept current by heartbeatChanged while the page is live. */
export function useHeartbeats(paused: boolean, onChange?: () => void) {
  const query = useQuery(HeartbeatsDocument);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  useSubscription(HeartbeatChangesDocument, {
    skip: paused,
    onData: ({ client, data }) => {
      const changed = data.data?.heartbeatChanged;
      if (!changed) return;
      client.cache.updateQuery({ query: HeartbeatsDocument }, (previous) => (previous ? { heartbeats: mergeHeartbeat(previous.heartbeats, changed) } : previous));
      onChangeRef.current?.();
    },
  });
  useCatchUpOnResume(paused, query.refetch);
  const state: Loadable = { hasData: query.data !== undefined, loading: query.loading, error: query.error, refetch: () => void query.refetch() };
  return { heartbeats: query.data?.heartbeats ?? [], state };
}

/** The newest alerts in scope, with each raised alert put on top while the page is live. */
export function useAlertStream(paused: boolean) {
  const variables = { limit: ALERT_STREAM_LIMIT };
  const query = useQuery(RecentAlertsDocument, { variables });
  const [arrivedIds, setArrivedIds] = useState<ReadonlySet<string>>(new Set());
  useSubscription(AlertsRaisedDocument, {
    skip: paused,
    onData: ({ client, data }) => {
      const alert = data.data?.alertRaised;
      if (!alert) return;
      client.cache.updateQuery({ query: RecentAlertsDocument, variables }, (previous) => (previous ? { alerts: mergeAlerts(previous.alerts, alert) } : previous));
      setArrivedIds((ids) => new Set(ids).add(alert.id));
    },
  });
  useCatchUpOnResume(paused, query.refetch);
  const state: Loadable = { hasData: query.data !== undefined, loading: query.loading, error: query.error, refetch: () => void query.refetch() };
  return { alerts: query.data?.alerts ?? [], arrivedIds, state };
}

/** Health, asked again every 10 s while the page is live. */
export function useHealth(paused: boolean) {
  const query = useQuery(MonitoringHealthDocument, { pollInterval: paused ? 0 : HEALTH_POLL_MS, notifyOnNetworkStatusChange: false });
  useCatchUpOnResume(paused, query.refetch);
  return { health: query.data?.health ?? null, error: query.error, loading: query.loading, refetch: () => void query.refetch() };
}

/** The current time, ticking every `ms` (for "12 s ago" labels), standing still while paused. */
export function useTicker(ms: number, paused: boolean): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    if (paused) return;
    setNow(new Date());
    const timer = setInterval(() => setNow(new Date()), ms);
    return () => clearInterval(timer);
  }, [ms, paused]);
  return now;
}
