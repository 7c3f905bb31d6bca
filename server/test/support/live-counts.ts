import type { Registry } from 'prom-client';
import type { LiveCounts } from '../../src/pubsub/live-counts';

/** Resolves once the count of `key` satisfies `condition`: a number means at least that many (one by default). */
export function countReaches<K extends string>(counts: LiveCounts<K>, key: K, condition: number | ((count: number) => boolean) = 1): Promise<void> {
  const met = typeof condition === 'number' ? (count: number) => count >= condition : condition;
  if (met(counts.get(key))) return Promise.resolve();
  return new Promise((resolve) => {
    const stop = counts.onChange((changed, count) => {
      if (changed !== key || !met(count)) return;
      stop();
      resolve();
    });
  });
}

/** The sum of a Prometheus metric's series, as a gateway's /metrics would report them now. */
export async function metricTotal(registry: Registry, name: string): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  return (await metric.get()).values.reduce((sum, { value }) => sum + value, 0);
}
