import { existsSync } from 'node:fs';
import { readdir, readFile, statfs } from 'node:fs/promises';
import { cpus, freemem, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { Logger } from '../logger';

export interface MemoryUsageValues {
  usedBytes: number;
  totalBytes: number;
  percent: number;
}

export interface DiskUsageValues {
  usedBytes: number;
  totalBytes: number;
  percent: number;
  /** Bytes read from block devices since the OS started counting; null where it does not tell. */
  readBytes: number | null;
  writeBytes: number | null;
}

export interface NetworkIoValues {
  rxBytes: number;
  txBytes: number;
}

export interface ProcessMetricsValues {
  pid: number;
  rssBytes: number;
  heapUsedBytes: number;
  cpuPercent: number;
  eventLoopLagMs: number;
  uptimeSeconds: number;
}

export interface SystemMetricsValues {
  at: Date;
  cpuPercent: number;
  memory: MemoryUsageValues;
  disk: DiskUsageValues;
  network: NetworkIoValues;
  process: ProcessMetricsValues;
}

/** Space on the file system that holds a path; `freeFraction` is what an unprivileged writer may still use. */
export interface DiskSpace {
  totalBytes: number;
  usedBytes: number;
  freeFraction: number;
}

/** The nearest existing folder at or above `path` (the data directory may not exist yet). */
function existingAncestor(path: string): string {
  let current = resolve(path);
  while (!existsSync(current) && dirname(current) !== current) current = dirname(current);
  return current;
}

/** Reads the space of the file system that holds `path`. */
export async function diskSpace(path: string): Promise<DiskSpace> {
  const stats = await statfs(existingAncestor(path));
  const totalBytes = stats.blocks * stats.bsize;
  const usedBytes = (stats.blocks - stats.bfree) * stats.bsize;
  return { totalBytes, usedBytes, freeFraction: stats.blocks > 0 ? stats.bavail / stats.blocks : 0 };
}

interface CpuTimes {
  busy: number;
  total: number;
}

function cpuTimes(): CpuTimes {
  let busy = 0;
  let total = 0;
  for (const { times } of cpus()) {
    const all = times.user + times.nice + times.sys + times.irq + times.idle;
    total += all;
    busy += all - times.idle;
  }
  return { busy, total };
}

const SECTOR_BYTES = 512;

/**
 * Bytes read and written by whole block devices (Linux `/proc/diskstats`; partitions and
 * loop devices skipped, so nothing is counted twice). Read from files, never by starting a
 * process: forking a busy gateway stalls its event loop.
 */
async function blockDeviceBytes(): Promise<{ readBytes: number | null; writeBytes: number | null }> {
  const [stats, devices] = await Promise.all([readFile('/proc/diskstats', 'utf8').catch(() => null), readdir('/sys/block').catch(() => null)]);
  if (stats === null || devices === null) return { readBytes: null, writeBytes: null };
  const disks = new Set(devices.filter((name) => !/^(loop|ram|zram)/.test(name)));
  let readBytes = 0;
  let writeBytes = 0;
  for (const line of stats.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10 || !disks.has(fields[2])) continue;
    readBytes += Number(fields[5]) * SECTOR_BYTES;
    writeBytes += Number(fields[9]) * SECTOR_BYTES;
  }
  return { readBytes, writeBytes };
}

/** Bytes through every network interface but loopback (Linux `/proc/net/dev`; zero elsewhere). */
async function networkBytes(): Promise<NetworkIoValues> {
  const table = await readFile('/proc/net/dev', 'utf8').catch(() => '');
  let rxBytes = 0;
  let txBytes = 0;
  for (const line of table.split('\n').slice(2)) {
    const [name, counters] = line.split(':');
    if (!counters || name.trim() === 'lo') continue;
    const fields = counters.trim().split(/\s+/).map(Number);
    rxBytes += fields[0] || 0;
    txBytes += fields[8] || 0;
  }
  return { rxBytes, txBytes };
}

const LOOP_RESOLUTION_MS = 10;

export interface SystemSamplerOptions {
  /** The folder whose file system `disk` describes (the data directory). */
  dataDir: string;
  /** @default 5000 */
  intervalMs?: number;
  logger: Logger;
  now: () => Date;
  /** Called after every sample, for the sampler's heartbeat. */
  onSample?: () => void;
}

/**
 * Samples the host and the gateway process in the background, so no request waits for it.
 * CPU figures cover the time since the sample before, not since boot.
 */
export class SystemSampler {
  private timer: NodeJS.Timeout | undefined;
  private latestSample: SystemMetricsValues | null = null;
  private firstSample: Promise<SystemMetricsValues> | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private previousCpu = cpuTimes();
  private previousProcessCpu = process.cpuUsage();
  private previousAt = performance.now();
  private readonly loopDelay: IntervalHistogram = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  readonly intervalMs: number;

  constructor(private readonly options: SystemSamplerOptions) {
    this.intervalMs = options.intervalMs ?? 5000;
  }

  start(): void {
    this.loopDelay.enable();
    this.firstSample = this.sampleNow();
    this.running = this.firstSample.catch(() => undefined);
    this.timer = setInterval(() => {
      this.running = this.sampleNow().catch((error: unknown) => this.options.logger.error({ err: error }, 'system metrics sample failed'));
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Stops sampling and waits for a sample in progress. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    this.loopDelay.disable();
    await this.running.catch(() => undefined);
  }

  /** The newest sample; before the first one is done, waits for it (or takes one when not started). */
  async latest(): Promise<SystemMetricsValues> {
    if (this.latestSample) return this.latestSample;
    return this.firstSample ?? this.sampleNow();
  }

  /** Takes a sample now and keeps it as the newest. */
  async sampleNow(): Promise<SystemMetricsValues> {
    const [space, io, network] = await Promise.all([diskSpace(this.options.dataDir), blockDeviceBytes(), networkBytes()]);
    const cpu = cpuTimes();
    const processCpu = process.cpuUsage();
    const at = performance.now();
    const elapsedMicros = Math.max(1, (at - this.previousAt) * 1000);
    const cpuTotal = cpu.total - this.previousCpu.total;
    const cpuBusy = cpu.busy - this.previousCpu.busy;
    const processMicros = processCpu.user - this.previousProcessCpu.user + (processCpu.system - this.previousProcessCpu.system);
    this.previousCpu = cpu;
    this.previousProcessCpu = processCpu;
    this.previousAt = at;

    // The histogram counts the timer's own resolution in every delay; the lag is what comes on top.
    const loopMean = this.loopDelay.count > 0 ? this.loopDelay.mean / 1e6 : LOOP_RESOLUTION_MS;
    this.loopDelay.reset();
    const totalMemory = totalmem();
    const usedMemory = totalMemory - freemem();
    const memoryUsage = process.memoryUsage();
    const sample: SystemMetricsValues = {
      at: this.options.now(),
      cpuPercent: cpuTotal > 0 ? (cpuBusy / cpuTotal) * 100 : 0,
      memory: { usedBytes: usedMemory, totalBytes: totalMemory, percent: totalMemory > 0 ? (usedMemory / totalMemory) * 100 : 0 },
      disk: {
        usedBytes: space.usedBytes,
        totalBytes: space.totalBytes,
        percent: space.totalBytes > 0 ? (space.usedBytes / space.totalBytes) * 100 : 0,
        ...io,
      },
      network,
      process: {
        pid: process.pid,
        rssBytes: memoryUsage.rss,
        heapUsedBytes: memoryUsage.heapUsed,
        cpuPercent: (processMicros / elapsedMicros) * 100,
        eventLoopLagMs: Math.max(0, loopMean - LOOP_RESOLUTION_MS),
        uptimeSeconds: process.uptime(),
      },
    };
    this.latestSample = sample;
    this.options.onSample?.();
    return sample;
  }
}
