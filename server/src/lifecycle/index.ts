import { forgetRawKeptFrom } from '../metrics/raw-kept-from';
import { followTopic, type AppPubSub } from '../pubsub/pubsub';

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
  return followTopic(pubsub, 'RAW_CALLS_CUT', (event) => forgetRawKeptFrom(event.workspaceId));
}
