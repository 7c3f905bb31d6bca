import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { freePort } from '../../src/db/embedded';

/** A Redis for tests: the machine's, or one started for the test. */
export interface TestRedis {
  url: string;
  port: number;
  /** Stops a Redis the test started (the machine's is left alone). */
  dispose(): Promise<void>;
}

/** A redis-server process of the test's own, which it may stop and start again on the same port. */
export interface OwnRedis extends TestRedis {
  stop(): Promise<void>;
  start(): Promise<void>;
}

const MACHINE_REDIS_PORT = 6379;

/** Whether a Redis answers PING on the port within a second. */
export function redisAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const finish = (answer: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => finish(false), 1000);
    socket.on('error', () => finish(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => finish(data.toString().startsWith('+PONG')));
  });
}

/**
 * The Redis on this machine (redis://127.0.0.1:6379) when it answers; otherwise a redis-server
 * started for the test on a free port, so the test runs the same either way. Tests share the
 * machine's Redis by using channel prefixes of their own (REDIS_CHANNEL_PREFIX).
 */
export async function testRedis(): Promise<TestRedis> {
  if (await redisAnswers(MACHINE_REDIS_PORT)) {
    return { url: `redis://127.0.0.1:${MACHINE_REDIS_PORT}`, port: MACHINE_REDIS_PORT, dispose: async () => undefined };
  }
  return startOwnRedis();
}

/** A redis-server of the test's own on a free port, keeping nothing on disk. */
export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    const process = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = process;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      process.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) resolve();
      });
      process.once('error', reject);
      process.once('exit', (code) => reject(new Error(`redis-server exited with ${code} before it was ready: ${output.slice(-500)}`)));
    });
  };
  const stop = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = once(running, 'exit');
    running.kill('SIGTERM');
    await exited;
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, start, stop, dispose: stop };
}
