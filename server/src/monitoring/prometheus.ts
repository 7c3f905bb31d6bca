import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { routeAllows } from '../auth/access';
import { bearerKey, type KeyResolver } from '../auth/auth.service';
import type { Logger } from '../logger';
import { METRICS_TOKEN_CALLER, RateLimitedError, retryAfterSeconds, type Caller, type RateLimits } from '../rate-limits';
import type { LiveCounts } from '../pubsub/live-counts';
import type { AppPubSub } from '../pubsub/pubsub';
import type { TrackedCall } from './api-tracker';

const DURATION_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The gateway's Prometheus metrics, in a registry of its own (several gateways may share a
 * process in tests). Keys are the API tracker's, so their number is bounded the same way.
 */
export class PrometheusMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'tally_api_requests_total',
    help: 'HTTP requests and GraphQL operations, by tracker key and HTTP status',
    labelNames: ['key', 'status'] as const,
    registers: [this.registry],
  });
  private readonly errors = new Counter({
    name: 'tally_api_request_errors_total',
    help: 'Requests and operations that failed (status 400 or more, or a GraphQL answer with errors other than NOT_CONFIGURED), by tracker key',
    labelNames: ['key'] as const,
    registers: [this.registry],
  });
  private readonly limited = new Counter({
    name: 'tally_api_rate_limited_total',
    help: 'Requests and operations refused by an abuse limit (HTTP 429 or RATE_LIMITED), by tracker key',
    labelNames: ['key'] as const,
    registers: [this.registry],
  });
  private readonly limitedCallers = new Counter({
    name: 'tally_rate_limited_total',
    help: 'Refusals by an abuse limit, by limit (requests, ingest, sockets, subscriptions) and API key id (or METRICS_TOKEN)',
    labelNames: ['limit', 'api_key'] as const,
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'tally_api_request_duration_seconds',
    help: 'Time from a request arriving to its response being finished, by tracker key',
    labelNames: ['key'] as const,
    buckets: DURATION_BUCKETS_SECONDS,
    registers: [this.registry],
  });
  private readonly ingested = new Counter({
    name: 'tally_llm_calls_ingested_total',
    help: 'LLM calls stored by this gateway instance (duplicates left out)',
    registers: [this.registry],
  });
  private readonly rejected = new Counter({
    name: 'tally_ingest_rejections_total',
    help: 'LLM calls this gateway instance refused as invalid',
    registers: [this.registry],
  });
  private readonly subscriptions = new Gauge({
    name: 'tally_graphql_subscriptions',
    help: 'GraphQL subscriptions open over WebSocket on this gateway instance',
    registers: [this.registry],
  });
  private readonly topicSubscribers = new Gauge({
    name: 'tally_pubsub_subscribers',
    help: 'PubSub subscriptions listening on this gateway instance, by topic',
    labelNames: ['topic'] as const,
    registers: [this.registry],
  });
  private readonly fieldSubscriptions = new Gauge({
    name: 'tally_graphql_shared_subscriptions',
    help: 'GraphQL subscriptions reading an event stream shared with those of the same viewer and operation, by root field',
    labelNames: ['field'] as const,
    registers: [this.registry],
  });
  private readonly summaryComputations = new Counter({
    name: 'tally_live_summary_computations_total',
    help: 'Summaries computed for llmSummaryUpdated pushes: one per scope and period and push, however many subscribe',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Reports a root field's shared subscriptions as they open and end. */
  followSharedSubscriptions(counts: LiveCounts): void {
    counts.onChange((field, count) => this.fieldSubscriptions.set({ field }, count));
  }

  countSummaryComputation(): void {
    this.summaryComputations.inc();
  }

  recordCall(call: TrackedCall): void {
    this.requests.inc({ key: call.key, status: String(call.status) });
    if (call.error) this.errors.inc({ key: call.key });
    if (call.limited) this.limited.inc({ key: call.key });
    this.duration.observe({ key: call.key }, call.durationMs / 1000);
  }

  /** One refusal by an abuse limit; `apiKey` is the key's id, so there are as many series as keys. */
  countLimited(limit: string, apiKey: string): void {
    this.limitedCallers.inc({ limit, api_key: apiKey });
  }

  countRejectedCalls(count: number): void {
    if (count > 0) this.rejected.inc(count);
  }

  changeSubscriptions(delta: number): void {
    this.subscriptions.inc(delta);
  }

  /**
   * The same PubSub, counting the calls stored by this instance as their events are
   * published (every ingest path publishes, so none is missed) and reporting its listening
   * subscribers by topic.
   */
  countIngestedCalls(pubsub: AppPubSub): AppPubSub {
    pubsub.subscribers.onChange((topic, count) => this.topicSubscribers.set({ topic }, count));
    return {
      publish: (topic, ...payload) => {
        if (topic === 'LLM_CALL_TRACKED') this.ingested.inc();
        pubsub.publish(topic, ...payload);
      },
      subscribe: (topic) => pubsub.subscribe(topic),
      subscribers: pubsub.subscribers,
    };
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

export interface MetricsEndpointOptions {
  prometheus: PrometheusMetrics;
  keys: KeyResolver;
  /** A token that may read /metrics without being an API key. */
  metricsToken?: string;
  /** Scrapes count as requests: an admin key's against that key, METRICS_TOKEN's in a bucket of its own. */
  limits: RateLimits;
  logger: Logger;
}

export const METRICS_ROUTE = 'GET /metrics';

/** GET /metrics: the Prometheus text format, for an admin API key or METRICS_TOKEN as a bearer token. */
export function metricsEndpoint({ prometheus, keys, metricsToken, limits, logger }: MetricsEndpointOptions) {
  const deny = (res: Response, status: number, message: string): void => {
    res.status(status).type('text/plain').send(`${message}\n`);
  };
  return async (req: Request, res: Response): Promise<void> => {
    const token = bearerKey(req.headers.authorization);
    if (!token) return deny(res, 401, 'GET /metrics needs "Authorization: Bearer <admin API key or METRICS_TOKEN>"');
    const isMetricsToken = !!metricsToken && timingSafeEqual(digest(token), digest(metricsToken));
    let caller: Caller = METRICS_TOKEN_CALLER;
    if (!isMetricsToken) {
      const viewer = await keys.resolve(token).catch((error: unknown) => {
        logger.warn({ err: error }, 'could not check the key of a /metrics request');
        return undefined;
      });
      if (viewer === undefined) return deny(res, 503, 'The key cannot be checked now: the database is unavailable');
      if (!viewer) return deny(res, 401, 'This token is neither METRICS_TOKEN nor a valid API key');
      if (!routeAllows(METRICS_ROUTE, viewer.role)) {
        return deny(res, 403, `GET /metrics needs an admin API key or METRICS_TOKEN, but got ${viewer.role === 'INGEST' ? 'an' : 'a'} ${viewer.role.toLowerCase()} key`);
      }
      caller = { id: viewer.keyId, admin: true };
    }
    try {
      await limits.admitRequest(caller);
    } catch (error) {
      if (!(error instanceof RateLimitedError)) throw error;
      res.setHeader('retry-after', String(retryAfterSeconds(error.retryAfterMs ?? 1000)));
      return deny(res, 429, error.message);
    }
    res.type(prometheus.contentType).send(await prometheus.render());
  };
}
