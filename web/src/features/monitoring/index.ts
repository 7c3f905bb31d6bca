/** The Monitoring page and the pure functions that prepare it. */
export { MonitoringPage } from './MonitoringPage';
export { API_ORDER, DEFAULT_API_SORT, prepareApiRows, type ApiRow, type ApiSortKey } from './prepare-api-table';
export { appendSnapshot, prepareLatencyChart, LATENCY_WINDOW, type LatencyChart, type LatencySnapshot } from './prepare-latency-chart';
export {
  formatBytes,
  formatDuration,
  mergeAlerts,
  mergeHeartbeat,
  prepareAlertRows,
  prepareHealth,
  prepareHeartbeatRows,
  prepareSystem,
  sortHeartbeats,
} from './prepare-status';
