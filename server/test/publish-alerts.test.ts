import { randomUUID } from 'node:crypto';
import { publishAlerts } from '../src/monitoring/alerts.service';
import type { AlertRecord } from '../src/monitoring/alert.record';
import { createInProcessPubSub } from '../src/pubsub/pubsub';

describe('publishing the alerts of a check over thousands of workspaces', () => {
  it('reaches a subscriber that takes one event at a time with every alert, past its 1,024-event buffer', async () => {
    const pubsub = createInProcessPubSub();
    const alerts: AlertRecord[] = Array.from({ length: 3000 }, (_, i) => ({
      id: randomUUID(),
      kind: 'ERROR_SPIKE',
      severity: 'WARNING',
      message: `workspace ${i}`,
      workspaceId: randomUUID(),
      at: new Date(0).toISOString(),
      ruleId: null,
      resolvedAt: null,
    }));
    // As the delivery worker listens: one event, then the next.
    const iterator = pubsub.subscribe('DELIVERIES_DUE')[Symbol.asyncIterator]();
    const heard = new Set<string>();
    const listening = (async () => {
      while (heard.size < alerts.length) heard.add((await iterator.next()).value.workspaceId);
    })();
    await publishAlerts(pubsub, alerts);
    await listening;
    await iterator.return?.();
    expect(heard).toEqual(new Set(alerts.map((a) => a.workspaceId)));
  });
});
