export const HEARTBEAT_STATUSES = ['ALIVE', 'STALE', 'STOPPED'] as const;
export type HeartbeatStatus = (typeof HEARTBEAT_STATUSES)[number];

/** A worker's heartbeat as services and PubSub carry it: plain, serialisable values. */
export interface HeartbeatRecord {
  service: string;
  instanceId: string;
  status: HeartbeatStatus;
  lastBeatAt: string;
  intervalSeconds: number;
  meta: unknown;
}
