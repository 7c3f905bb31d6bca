// Live summary fan-out: 200 subscribers of llmSummaryUpdated in one scope while calls land at
// 100 a second. The summary must be computed at most once a second for that scope (not once
// per call or per subscriber), and every subscriber must get it.
import { fmt, require, say, startBenchGateway, verdict } from './support.mjs';

const SUBSCRIBERS = 200;
const CALLS_PER_SECOND = 100;
const SECONDS = 6;
const SUBSCRIPTION = 'subscription { llmSummaryUpdated(period: LAST_24H) { totalRequests totalCost } }';

export async function benchSummaryFanout(postgres) {
  const { createClient } = require('graphql-ws');
  const WebSocket = require('ws');
  // 200 subscribers share one key, each on a socket of its own: they stand for 200 dashboards.
  const gw = await startBenchGateway(await postgres.freshDatabase('fanout'), { workspaceName: 'Fan-out workspace', env: { LIMIT_SOCKETS_PER_KEY: '0' } });
  const total = CALLS_PER_SECOND * SECONDS;
  const clients = [];
  try {
    const url = `ws://127.0.0.1:${gw.gateway.port}/graphql`;
    const finals = [];
    let pushes = 0;
    for (let i = 0; i < SUBSCRIBERS; i++) {
      const client = createClient({ url, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${gw.key}` }, retryAttempts: 0 });
      clients.push(client);
      finals.push(
        new Promise((resolve, reject) => {
          const stop = client.subscribe({ query: SUBSCRIPTION }, {
            next: ({ data }) => {
              pushes++;
              if (data.llmSummaryUpdated.totalRequests === total) {
                stop();
                resolve();
              }
            },
            error: reject,
            complete: resolve,
          });
        }),
      );
    }
    const live = gw.gateway.services.subscriptions.live;
    if (live.get('llmSummaryUpdated') < SUBSCRIBERS) {
      await new Promise((resolve) => {
        const stop = live.onChange((field, count) => field === 'llmSummaryUpdated' && count >= SUBSCRIBERS && (stop(), resolve()));
      });
    }
    say(`fan-out: ${SUBSCRIBERS} subscribers live; sending ${CALLS_PER_SECOND} calls a second for ${SECONDS} s`);
    const started = Date.now();
    const perTick = CALLS_PER_SECOND / 10;
    for (let tick = 0; tick < SECONDS * 10; tick++) {
      const inputs = Array.from({ length: perTick }, (_, i) => ({
        eventId: `fanout-${tick}-${i}`,
        modelId: 'gpt-4o-mini',
        provider: 'openai',
        inputTokens: 800,
        outputTokens: 120,
        latencyMs: 600,
        status: 'SUCCESS',
        requestType: 'chat',
      }));
      await gw.gql('mutation T($inputs: [LlmCallInput!]!) { trackLlmCalls(inputs: $inputs) { accepted } }', { inputs });
      const due = started + (tick + 1) * 100;
      if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
    }
    const sent = Date.now() - started;
    await Promise.all(finals);
    const elapsed = (Date.now() - started) / 1000;
    // The gateway counts them for Prometheus; the only scope with subscribers here is this workspace's.
    const counted = await gw.gateway.services.monitoring.prometheus.registry.getSingleMetric('tally_live_summary_computations_total').get();
    const computations = counted.values.reduce((sum, { value }) => sum + value, 0);
    const naive = total * SUBSCRIBERS;
    const perSecond = computations / elapsed;
    const pass = perSecond <= 1.0 + 1 / elapsed;
    return {
      name: 'summary fan-out',
      pass,
      lines: [
        `summary fan-out: ${SUBSCRIBERS} subscribers of llmSummaryUpdated(LAST_24H) in one scope, ${total} calls over ${fmt(sent / 1000)} s`,
        `  summaries computed: ${computations} in ${fmt(elapsed)} s = ${fmt(perSecond, 2)} a second  target <= 1 a second  ${verdict(pass)}`,
        `  baseline (one computation per call per subscriber): ${fmt(naive, 0)}; ratio ${fmt(computations / naive, 5)} of the baseline`,
        `  pushes delivered: ${fmt(pushes, 0)} (${fmt(pushes / SUBSCRIBERS)} per subscriber); every subscriber got the final summary: ${total} requests`,
      ],
    };
  } finally {
    await Promise.all(clients.map((c) => c.dispose()));
    await gw.stop();
  }
}
