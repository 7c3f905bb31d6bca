import { GraphQLJSON, GraphQLSafeInt } from 'graphql-scalars';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { graphqlEnum } from '../graphql/enum';
import { ALERT_KINDS, SEVERITIES, type AlertKind, type Severity } from './alert.record';
import { HEARTBEAT_STATUSES, type HeartbeatStatus } from './heartbeat.record';

export const HeartbeatStatusEnum = graphqlEnum<HeartbeatStatus>('HeartbeatStatus', HEARTBEAT_STATUSES);
export const AlertKindEnum = graphqlEnum<AlertKind>('AlertKind', ALERT_KINDS);
export const SeverityEnum = graphqlEnum<Severity>('Severity', SEVERITIES);

@ObjectType()
export class StatusCount {
  @Field(() => Int)
  code: number;

  @Field(() => GraphQLSafeInt)
  count: number;
}

@ObjectType({ description: 'One key of the API tracker: a REST route or a GraphQL operation, since the gateway started.' })
export class EndpointStats {
  @Field(() => String, {
    description: "'{METHOD} {route template}' for REST routes, 'graphql {operation type} {operation name}' for GraphQL operations.",
  })
  key: string;

  @Field(() => GraphQLSafeInt)
  callCount: number;

  @Field(() => Float)
  totalTimeMs: number;

  @Field(() => Float)
  avgTimeMs: number;

  @Field(() => Float)
  minTimeMs: number;

  @Field(() => Float)
  maxTimeMs: number;

  @Field(() => Float, { description: 'From the ring buffer of the last 100 calls.' })
  p50TimeMs: number;

  @Field(() => Float, { description: 'From the ring buffer of the last 100 calls.' })
  p95TimeMs: number;

  @Field(() => Float, { description: 'From the ring buffer of the last 100 calls.' })
  p99TimeMs: number;

  @Field(() => [Float], {
    description: 'The response times of the last 100 calls (the ring buffer the percentiles read), in milliseconds, oldest first.',
  })
  recentTimesMs: number[];

  @Field(() => GraphQLSafeInt, { description: 'Calls answered with a status of 400 or more, or with GraphQL errors; NOT_CONFIGURED alone (a feature not set up yet) is not counted.' })
  errorCount: number;

  @Field(() => GraphQLSafeInt, { description: 'Calls refused by an abuse limit: HTTP 429, or a RATE_LIMITED error.' })
  limitedCount: number;

  @Field(() => [StatusCount])
  statusCodes: StatusCount[];

  @Field(() => Date, { nullable: true })
  lastCalled: Date | null;
}

@ObjectType()
export class MemoryUsage {
  @Field(() => Float)
  usedBytes: number;

  @Field(() => Float)
  totalBytes: number;

  @Field(() => Float)
  percent: number;
}

@ObjectType({ description: "The file system of the gateway's data directory." })
export class DiskUsage {
  @Field(() => Float)
  usedBytes: number;

  @Field(() => Float)
  totalBytes: number;

  @Field(() => Float)
  percent: number;

  @Field(() => Float, { nullable: true, description: 'Bytes read from block devices since the OS started counting; null where the OS does not tell.' })
  readBytes: number | null;

  @Field(() => Float, { nullable: true, description: 'Bytes written to block devices since the OS started counting; null where the OS does not tell.' })
  writeBytes: number | null;
}

@ObjectType({ description: 'Bytes through the network interfaces (loopback left out) since the OS started counting.' })
export class NetworkIo {
  @Field(() => Float)
  rxBytes: number;

  @Field(() => Float)
  txBytes: number;
}

@ObjectType()
export class ProcessMetrics {
  @Field(() => Int)
  pid: number;

  @Field(() => Float)
  rssBytes: number;

  @Field(() => Float)
  heapUsedBytes: number;

  @Field(() => Float, { description: "The gateway process's CPU over the last sampling interval; 100 is one core." })
  cpuPercent: number;

  @Field(() => Float, { description: 'Mean event-loop delay over the last sampling interval.' })
  eventLoopLagMs: number;

  @Field(() => Float)
  uptimeSeconds: number;
}

@ObjectType({ description: 'The newest background sample of the host and the gateway process.' })
export class SystemMetrics {
  @Field(() => Date)
  at: Date;

  @Field(() => Float, { description: 'All cores, over the last sampling interval (not since boot).' })
  cpuPercent: number;

  @Field(() => MemoryUsage)
  memory: MemoryUsage;

  @Field(() => DiskUsage)
  disk: DiskUsage;

  @Field(() => NetworkIo)
  network: NetworkIo;

  @Field(() => ProcessMetrics)
  process: ProcessMetrics;
}

@ObjectType()
export class ApiMetricsSnapshot {
  @Field(() => Date)
  at: Date;

  @Field(() => [EndpointStats])
  endpoints: EndpointStats[];

  @Field(() => SystemMetrics)
  system: SystemMetrics;
}

@ObjectType({ description: "A platform worker's heartbeat." })
export class Heartbeat {
  @Field(() => String)
  service: string;

  @Field(() => String)
  instanceId: string;

  @Field(() => HeartbeatStatusEnum)
  status: HeartbeatStatus;

  @Field(() => Date)
  lastBeatAt: Date;

  @Field(() => Int, { description: 'Seconds the service promised between beats.' })
  intervalSeconds: number;

  @Field(() => GraphQLJSON, { nullable: true, description: 'What the worker sent with its beat; shown to admin keys only.' })
  meta: unknown;
}

@ObjectType()
export class Alert {
  @Field(() => ID)
  id: string;

  @Field(() => AlertKindEnum)
  kind: AlertKind;

  @Field(() => SeverityEnum)
  severity: Severity;

  @Field(() => String)
  message: string;

  @Field(() => ID, { nullable: true, description: 'The workspace the alert concerns; null for a platform alert (admins only).' })
  workspaceId: string | null;

  @Field(() => Date)
  at: Date;

  @Field(() => ID, { nullable: true, description: 'The rule a RULE alert comes from.' })
  ruleId: string | null;

  @Field(() => Date, { nullable: true, description: 'When its rule came back to OK, or someone resolved it; null while it is open.' })
  resolvedAt: Date | null;
}
