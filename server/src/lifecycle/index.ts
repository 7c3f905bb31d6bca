import { forgetRawKeptFrom } from '../metrics/raw-kept-from';
import type { AppPubSub } from '../pubsub/pubsub';

export { LifecycleResolver } from './lifecycle.resolver';
export { RetentionWorker, type RetentionWorkerOptions } from './retention-worker';
export { applyRetention, retentionCut, effectiveRetentionDays } from './retention.service';
export { storageOf, storageOfWorkspaces } from './storage.service';
export { deleteWorkspaceRows, tenantTables } from './workspace-deletion.service';

/**
 * Acts on every RAW_CALLS_CUT event, from this instance or another: the metrics engine forgets
 * where that workspace's raw calls start and reads it again. Answers once it listens, and a `stop`.
 */
export function followRawCallCuts(pubsub: AppPubSub): { stop(): Promise<void> } {
  const iterator = pubsub.subscribe('RAW_CALLS_CUT')[Symbol.asyncIterator]();
  const loop = (async () => {
    for (;;) {
      const { value, done } = await iterator.next();
      if (done) return;
      forgetRawKeptFrom(value.workspaceId);
    }
  })();
  return {
    stop: async () => {
      await iterator.return?.();
      await loop;
    },
  };
}
