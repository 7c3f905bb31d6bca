import { setTimeout as pause } from 'node:timers/promises';
import { BackgroundLoop } from '../background-loop';
import { ensureMonthsAhead, reattachDetached, type PartitionOwner } from '../db/partitions';
import type { PlatformDb } from '../db/platform-db';
import { forgetRawKeptFrom } from '../metrics/raw-kept-from';
import type { Logger } from '../logger';
import type { AppPubSub } from '../pubsub/pubsub';
import { applyRetention, type RetentionRun } from './retention.service';

/** Tuning for tests and benchmarks; the defaults suit production. */
export interface RetentionWorkerOptions {
  /** How often retention runs besides when a retention is set. @default 3600000 (hourly) */
  intervalMs?: number;
  /** Raw calls deleted per transaction. @default RETENTION_BATCH */
  batchSize?: number;
  /** The shortest pause between two batches, which leaves the disk and the locks to ingest and reads (a batch that took longer is followed by as long a pause). @default 20 */
  pauseMs?: number;
}

/** What the worker needs beyond the database. */
export interface RetentionWorkerDependencies {
  platform: PlatformDb;
  /** The schema owner: detaches and drops the months retention emptied. */
  owner: PartitionOwner;
  pubsub: AppPubSub;
  logger: Logger;
  now: () => Date;
  /** TALLY_RETENTION_DAYS. */
  platformDefault: number | null;
  /** Its heartbeat: ticked on every run. */
  beat?: { tick(): void };
}

/**
 * Applies retention hourly, and at once when a retention is set (`kick`). Runs never overlap: a
 * kick during a run makes one more run after it. Each run first keeps the months of raw calls
 * in order: a month a stopped run left detached is attached again, and the coming months are
 * created. Before it deletes a workspace's rows it tells every instance that the workspace's cut
 * moved (RAW_CALLS_CUT).
 */
export class RetentionWorker {
  private readonly loop: BackgroundLoop;

  constructor(
    private readonly deps: RetentionWorkerDependencies,
    private readonly options: RetentionWorkerOptions = {},
  ) {
    this.loop = new BackgroundLoop(options.intervalMs ?? 3_600_000, () => this.runOnce(), (error) => deps.logger.warn({ err: error }, 'retention run failed'));
  }

  start(): void {
    this.loop.start();
  }

  /** Runs retention now (once more after a run in flight). */
  kick(): void {
    this.loop.kick();
  }

  /** One run of retention over every workspace; answers what it did. */
  async runOnce(): Promise<RetentionRun> {
    const { platform, owner, pubsub, logger, now, platformDefault, beat } = this.deps;
    beat?.tick();
    const pauseMs = this.options.pauseMs ?? 20;
    await reattachDetached(owner);
    await ensureMonthsAhead(platform, now());
    const run = await applyRetention(platform, owner, now(), platformDefault, {
      batchSize: this.options.batchSize,
      // At least as long as the batch took: deletes never take more than half the time ingest and reads share with them.
      betweenBatches: (batchMs) => pause(Math.max(pauseMs, batchMs)),
      onCut: (workspaceId) => {
        forgetRawKeptFrom(workspaceId);
        pubsub.publish('RAW_CALLS_CUT', { workspaceId });
      },
    });
    if (run.deleted > 0 || run.droppedMonths.length > 0) logger.info(run, 'retention deleted raw calls');
    return run;
  }

  /** Resolves once no run is in flight and none is due after it. */
  async idle(): Promise<void> {
    await this.loop.idle();
  }

  async stop(): Promise<void> {
    this.loop.stop();
    await this.idle();
  }
}
