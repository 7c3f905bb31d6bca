import { hostname } from 'node:os';
import type { PlatformDb } from '../db/platform-db';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { AppPubSub } from '../pubsub/pubsub';
import { runAlertChecks, type AlertCheckOutcome } from './alert-checks';
import { runRuleChecks, type RuleCheckOutcome } from '../alert-rules/rule-checks';
import type { RuleHeadroom } from '../alert-rules/rule-headroom';
import { ApiTracker, type EndpointStatsValues } from './api-tracker';
import { checkHealth, databaseCheck, diskCheck, heartbeatsCheck, pubsubCheck, type HealthCheck, type HealthValues } from './health.service';
import { HeartbeatService, ServiceBeat, type StaleCheckOutcome } from './heartbeats.service';
import { PrometheusMetrics } from './prometheus';
import { realScheduler, SnapshotFeed, type IntervalScheduler } from './snapshot-feed';
import { diskSpace, SystemSampler, type SystemMetricsValues } from './system-metrics';

/** What `apiMetricsUpdated` pushes. */
export interface ApiMetricsSnapshotValues {
  at: Date;
  endpoints: EndpointStatsValues[];
  system: SystemMetricsValues;
}

/** Tuning for tests and benchmarks; the defaults suit production. */
export interface MonitoringOptions {
  /** How often the host and process are sampled. @default 5000 */
  sampleIntervalMs?: number;
  /** How often ERROR_SPIKE and COST_ANOMALY are checked. @default 60000 */
  alertCheckIntervalMs?: number;
  /** How often every enabled alert rule is evaluated (besides right after calls land). @default 30000 */
  ruleCheckIntervalMs?: number;
  /** How often heartbeats are checked for STALE. @default a quarter of the stale time, from 250 ms to 30 s */
  heartbeatCheckIntervalMs?: number;
  /** Names this gateway instance in its own heartbeats. @default `{hostname}:{pid}` */
  instanceId?: string;
  /** Times `apiMetricsUpdated`. @default real, unref'd timers */
  snapshotScheduler?: IntervalScheduler;
}

/** What monitoring is built from: the gateway's long-lived pieces. */
export interface MonitoringDependencies {
  /** Heartbeats, checkers and the health check see every workspace: the platform path. */
  platform: PlatformDb;
  pubsub: AppPubSub;
  config: Config;
  logger: Logger;
  now: () => Date;
  startedAt: Date;
  version: string;
  /** The baselines the scheduled rule evaluation leaves for the evaluation after calls land. */
  ruleHeadroom?: RuleHeadroom;
}

/** Whether a process of this host still runs (signal 0 checks without sending anything). */
function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** How often the gateway's own background services promise to beat. */
const OWN_BEAT_SECONDS = 30;

/** A background loop: runs `work` every `ms` without overlapping itself; its timer never keeps the process alive. */
class Loop {
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly ms: number,
    private readonly work: () => Promise<unknown>,
    private readonly logger: Logger,
    private readonly name: string,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.runOnce(), this.ms);
    this.timer.unref();
  }

  runOnce(): Promise<void> {
    this.inFlight ??= this.work()
      .then(() => undefined)
      .catch((error: unknown) => this.logger.error({ err: error }, `${this.name} failed`))
      .finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  /** Resolves when no run is in flight. */
  async idle(): Promise<void> {
    await this.inFlight;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }
}

/**
 * Live monitoring: the API tracker, Prometheus metrics, the system sampler, heartbeats and
 * their stale check, the alert checks, and health. `start()` starts the background work;
 * `stop()` ends it and marks the gateway's own heartbeats STOPPED.
 */
export class Monitoring {
  /** The gateway's PubSub; publishing through it counts ingested calls for Prometheus. */
  readonly pubsub: AppPubSub;
  readonly prometheus = new PrometheusMetrics();
  readonly tracker: ApiTracker;
  readonly system: SystemSampler;
  /** Null when HEARTBEAT_ENABLED=false. */
  readonly heartbeats: HeartbeatService | null;
  readonly snapshots: SnapshotFeed<ApiMetricsSnapshotValues>;
  readonly instanceId: string;
  private readonly healthChecks: HealthCheck[];
  private readonly loops: Loop[] = [];
  private readonly ownBeats: ServiceBeat[] = [];
  private readonly heartbeatLoop: Loop | null;
  private readonly alertLoop: Loop;
  private readonly ruleLoop: Loop;
  private started = false;
  private reclaimDeadInstances: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: MonitoringDependencies,
    options: MonitoringOptions = {},
  ) {
    const { platform, config, logger, now } = deps;
    this.pubsub = this.prometheus.countIngestedCalls(deps.pubsub);
    this.tracker = new ApiTracker({ onRecord: (call) => this.prometheus.recordCall(call) });
    this.instanceId = options.instanceId ?? `${hostname()}:${process.pid}`;
    this.heartbeats = config.heartbeatEnabled
      ? new HeartbeatService(platform, this.pubsub, logger, { minimumStaleMs: config.heartbeatStaleAfterMs })
      : null;

    const samplerBeat = this.serviceBeat('tally-metrics-sampler', OWN_BEAT_SECONDS);
    this.system = new SystemSampler({
      dataDir: config.dataDir,
      intervalMs: options.sampleIntervalMs,
      logger,
      now,
      onSample: () => samplerBeat.tick(),
    });
    this.snapshots = new SnapshotFeed(() => this.snapshot(), logger, options.snapshotScheduler ?? realScheduler);

    const heartbeats = this.heartbeats;
    if (heartbeats) {
      const checkerBeat = this.serviceBeat('tally-heartbeat-checker', OWN_BEAT_SECONDS);
      const checkEvery = options.heartbeatCheckIntervalMs ?? Math.min(30_000, Math.max(250, heartbeats.minimumStaleMs / 4));
      this.heartbeatLoop = new Loop(
        checkEvery,
        async () => {
          // An earlier process's heartbeats are marked STOPPED first, so they raise no stale alert.
          await this.reclaimDeadInstances;
          checkerBeat.tick();
          await heartbeats.checkStale(now());
        },
        logger,
        'heartbeat stale check',
      );
      this.loops.push(this.heartbeatLoop);
    } else {
      this.heartbeatLoop = null;
    }
    const alertBeat = this.serviceBeat('tally-alert-checker', Math.max(OWN_BEAT_SECONDS, Math.ceil((options.alertCheckIntervalMs ?? 60_000) / 1000)));
    this.alertLoop = new Loop(
      options.alertCheckIntervalMs ?? 60_000,
      async () => {
        alertBeat.tick();
        await runAlertChecks(platform, this.pubsub, logger, now());
      },
      logger,
      'alert checks',
    );
    this.loops.push(this.alertLoop);
    const ruleCheckEvery = options.ruleCheckIntervalMs ?? 30_000;
    const ruleBeat = this.serviceBeat('tally-rule-checker', Math.max(OWN_BEAT_SECONDS, Math.ceil(ruleCheckEvery / 1000)));
    this.ruleLoop = new Loop(
      ruleCheckEvery,
      async () => {
        ruleBeat.tick();
        await runRuleChecks(platform, this.pubsub, now(), deps.ruleHeadroom);
      },
      logger,
      'alert rule checks',
    );
    this.loops.push(this.ruleLoop);

    this.healthChecks = [
      databaseCheck(platform),
      pubsubCheck(this.pubsub),
      ...(this.heartbeats ? [heartbeatsCheck(this.heartbeats)] : []),
      diskCheck(() => diskSpace(config.dataDir)),
    ];
  }

  /**
   * A heartbeat for one of the gateway's own background services (the demo traffic
   * simulator, schedulers): call `tick()` on every round of its loop. It is marked STOPPED
   * when monitoring stops. Does nothing when heartbeats are off.
   */
  serviceBeat(service: string, intervalSeconds: number, meta: Record<string, unknown> = {}): ServiceBeat {
    const beat = new ServiceBeat(this.heartbeats, service, this.instanceId, intervalSeconds, this.deps.now, this.deps.logger, {
      version: this.deps.version,
      pid: process.pid,
      ...meta,
    });
    this.ownBeats.push(beat);
    return beat;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.reclaimDeadInstances = this.stopOwnHeartbeatsOfDeadProcesses().catch((error: unknown) =>
      this.deps.logger.warn({ err: error }, 'could not mark the heartbeats of an earlier gateway process stopped'),
    );
    this.system.start();
    for (const loop of this.loops) {
      loop.start();
      void loop.runOnce();
    }
  }

  /**
   * A gateway that ended without marking its heartbeats STOPPED (killed, or its database went
   * first) would leave them to turn STALE and raise alerts. Its successor on the same host marks
   * them STOPPED, but only for processes that are gone: another gateway on this host keeps its own.
   */
  private async stopOwnHeartbeatsOfDeadProcesses(): Promise<void> {
    const heartbeats = this.heartbeats;
    if (!heartbeats) return;
    const prefix = `${hostname()}:`;
    const own = [...new Set(this.ownBeats.map((b) => b.service))];
    for (const heartbeat of await heartbeats.list()) {
      if (!own.includes(heartbeat.service) || heartbeat.status === 'STOPPED' || !heartbeat.instanceId.startsWith(prefix)) continue;
      const pid = Number(heartbeat.instanceId.slice(prefix.length));
      if (!Number.isInteger(pid) || pid === process.pid || processIsAlive(pid)) continue;
      await heartbeats.stop(heartbeat.service, heartbeat.instanceId, this.deps.now());
    }
  }

  /** Ends the background work, waits for work in flight, and marks the gateway's own heartbeats STOPPED. */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.reclaimDeadInstances;
    this.snapshots.stop();
    await Promise.all([this.system.stop(), ...this.loops.map((l) => l.stop())]);
    await Promise.all(this.ownBeats.map((b) => b.stop()));
  }

  /** Resolves once no background run and no beat of the gateway's own services is in flight. */
  async idle(): Promise<void> {
    await this.reclaimDeadInstances;
    await Promise.all(this.loops.map((l) => l.idle()));
    await Promise.all(this.ownBeats.map((b) => b.idle()));
  }

  health(): Promise<HealthValues> {
    return checkHealth(this.healthChecks, this.deps.version, this.deps.startedAt, this.deps.now());
  }

  async snapshot(): Promise<ApiMetricsSnapshotValues> {
    return { at: this.deps.now(), endpoints: this.tracker.stats(), system: await this.system.latest() };
  }

  /** Runs the heartbeat stale check now, after a background run in flight. Null when heartbeats are off. */
  async checkHeartbeats(): Promise<StaleCheckOutcome | null> {
    if (!this.heartbeats) return null;
    await this.heartbeatLoop?.idle();
    return this.heartbeats.checkStale(this.deps.now());
  }

  /** Evaluates every enabled alert rule now, after a background run in flight. */
  async checkRules(): Promise<RuleCheckOutcome> {
    await this.ruleLoop.idle();
    return runRuleChecks(this.deps.platform, this.pubsub, this.deps.now(), this.deps.ruleHeadroom);
  }

  /** Runs the ERROR_SPIKE and COST_ANOMALY checks now, after a background run in flight. */
  async checkAlerts(): Promise<AlertCheckOutcome> {
    await this.alertLoop.idle();
    return runAlertChecks(this.deps.platform, this.pubsub, this.deps.logger, this.deps.now());
  }
}
