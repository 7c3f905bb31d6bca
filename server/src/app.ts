import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type NextFunction, type Request, type Response } from 'express';
import { getOperationAST, GraphQLError, parse, specifiedRules, validate, type DocumentNode } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { authenticate, type Authentication } from './auth/auth.service';
import { callerOf, createContext, type Context, type Services } from './graphql/context';
import { formatError, RETRY_AFTER_SECONDS, UNAVAILABLE_MESSAGE, unavailableError, unavailableStatusPlugin } from './graphql/errors';
import { isDatabaseUnavailable } from './db/unavailable';
import { anonymousGuardPlugin } from './graphql/anonymous-guard';
import { LIMIT_RULES, QUERY_LIMITS } from './graphql/limits';
import { admitOverSocket, admitSocket, rateLimitPlugin, releaseSocket, type SocketLimitState } from './graphql/rate-limits';
import { buildAppSchema } from './graphql/schema';
import { wsDelivery } from './graphql/ws-delivery';
import { replicaReadsPlugin } from './db/replica-reads';
import { apolloTrackingPlugin, httpTracking, linkContextToResponse, recordRefusedSocket, wsTracking } from './monitoring/api-tracking';
import { metricsEndpoint } from './monitoring/prometheus';
import { exportCallsRoute } from './usage/export.route';
import { otlpTracesRoute } from './otlp';
import { compressAnswers, dashboardRoutes, securityHeaders } from './serving';

export const MAX_BODY = '5mb';
/** How long a request in flight may go on once the gateway stops, before its socket is closed. */
export const STOP_GRACE_MS = 6000;

export interface App {
  httpServer: Server;
  listen(port: number): Promise<number>;
  /** Stops taking connections, lets requests in flight finish, closes sockets with 1001. */
  close(): Promise<void>;
  /** Closes the open sockets of a key (revoked or rotated) with 4403. */
  closeSocketsOf(keyId: string): void;
  /** Every HTTP route the app serves besides /graphql and the dashboard, as `METHOD /path` (each needs its entry in ROUTES). */
  routes(): string[];
}

interface RouterLayer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
}

/** The routes registered directly on an express app, as `METHOD /path`. */
function registeredRoutes(app: express.Express): string[] {
  const stack = (app as unknown as { router: { stack: RouterLayer[] } }).router.stack;
  return stack.flatMap(({ route }) =>
    route ? Object.keys(route.methods).flatMap((method) => [route.path].flat().map((path) => `${method.toUpperCase()} ${path}`)) : [],
  );
}

/** The close code of a socket whose key stopped working: graphql-ws clients do not reconnect after it. */
export const KEY_REVOKED_CLOSE = { code: 4403, reason: 'Forbidden: this API key was revoked' } as const;

const header = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

/** A parse or validation error with the code Apollo gives it over HTTP, so both transports answer alike. */
function withCode(error: unknown, code: string): GraphQLError {
  const graphqlError = error instanceof GraphQLError ? error : new GraphQLError(String(error));
  if (graphqlError.extensions.code) return graphqlError;
  return new GraphQLError(graphqlError.message, {
    nodes: graphqlError.nodes,
    source: graphqlError.source,
    positions: graphqlError.positions,
    extensions: { ...graphqlError.extensions, code },
  });
}

function jsonError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
}

/** Where the built dashboard is (`npm run build` writes it); without its index.html the gateway serves the API alone. */
export const WEB_DIST = join(__dirname, '..', '..', 'web', 'dist');

/** The HTTP server: /graphql over HTTP and WebSocket on one port, /health, and the dashboard from `webDist`. */
export async function createApp(services: Services, { webDist = WEB_DIST }: { webDist?: string } = {}): Promise<App> {
  const { logger, dataSource } = services;
  const schema = await buildAppSchema(services.pubsub);
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders());
  app.use(httpTracking({ tracker: services.monitoring.tracker, logger, mounts: ['/graphql'] }));
  const httpServer = createServer(app);

  // Upgrades are handed over here rather than with `server:`, which would re-emit every error of the
  // HTTP server (a port in use) on the WebSocket server, where graphql-ws prints it as its own.
  const wsServer = new WebSocketServer({ noServer: true, path: '/graphql', maxPayload: 5 * 1024 * 1024 });
  // Each socket's connection, for the direct deliveries to hold its writes briefly (see ws-delivery.ts).
  const connections = new WeakMap<WebSocket, Duplex>();
  httpServer.on('upgrade', (request, socket, head) =>
    wsServer.handleUpgrade(request, socket, head, (ws) => {
      connections.set(ws, socket);
      wsServer.emit('connection', ws, request);
    }),
  );
  const socketsByKey = new Map<string, Set<{ close(code: number, reason: string): void }>>();
  const wsCleanup = useServer<{ authorization?: string; workspaceId?: string }, { auth?: Authentication } & SocketLimitState>(
    wsTracking({
      schema,
      subscribe: services.subscriptions.subscribe,
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const auth = await authenticate(
          services.keys,
          services.platform,
          typeof params.authorization === 'string' ? params.authorization : undefined,
          typeof params.workspaceId === 'string' ? params.workspaceId : undefined,
        ).catch((error: unknown) => {
          logger.warn({ err: error }, 'websocket authentication failed');
          // 1013 "try again later": graphql-ws clients reconnect after it, where a refusal (4403) would be final.
          if (isDatabaseUnavailable(error)) ctx.extra.socket.close(1013, UNAVAILABLE_MESSAGE);
          return null;
        });
        if (!auth || !auth.ok) return false;
        ctx.extra.auth = auth;
        const admitted = await admitSocket(services.limits, callerOf(auth.viewer), ctx.extra, ctx.extra.socket);
        if (admitted === 'refused') recordRefusedSocket(services.monitoring.tracker);
        if (admitted === 'open') {
          const sockets = socketsByKey.get(auth.viewer.keyId) ?? new Set();
          socketsByKey.set(auth.viewer.keyId, sockets.add(ctx.extra.socket));
        }
        return admitted === 'open';
      },
      onClose: (ctx) => {
        const keyId = ctx.extra.auth?.ok ? ctx.extra.auth.viewer.keyId : undefined;
        const sockets = keyId ? socketsByKey.get(keyId) : undefined;
        if (sockets?.delete(ctx.extra.socket) && sockets.size === 0) socketsByKey.delete(keyId!);
        releaseSocket(ctx.extra);
      },
      context: (ctx) => createContext(services, ctx.extra.auth!),
      onSubscribe: async (ctx, id, payload) => {
        let document: DocumentNode;
        try {
          document = parse(payload.query, { maxTokens: QUERY_LIMITS.maxTokens });
        } catch (error) {
          return [withCode(error, 'GRAPHQL_PARSE_FAILED')];
        }
        const errors = validate(schema, document, [...specifiedRules, ...LIMIT_RULES]);
        if (errors.length > 0) return errors.map((e) => withCode(e, 'GRAPHQL_VALIDATION_FAILED'));
        const operation = getOperationAST(document, payload.operationName);
        const refusal = await admitOverSocket(services.limits, ctx.extra, operation, id, ctx.subscriptions);
        if (refusal) return refusal;
        const contextValue = createContext(services, ctx.extra.auth!);
        services.subscriptions.deliverDirectly(contextValue, wsDelivery({ socket: ctx.extra.socket, connection: connections.get(ctx.extra.socket), id }));
        return { schema, document, variableValues: payload.variables, operationName: payload.operationName, contextValue };
      },
      onError: (_ctx, _id, _payload, errors) => {
        return errors.map((e) => {
          const formatted = formatError(e.toJSON(), e, logger);
          return new GraphQLError(formatted.message, { extensions: formatted.extensions, path: formatted.path });
        });
      },
      // Results of subscriptions that are not shared are masked as the shared ones are.
      onNext: (_ctx, _id, _payload, _args, result) => services.subscriptions.formatResult(result),
    }, { tracker: services.monitoring.tracker, logger, onSubscriptionCount: (delta) => services.monitoring.prometheus.changeSubscriptions(delta) }),
    wsServer,
  );

  const apollo = new ApolloServer<Context>({
    schema,
    validationRules: LIMIT_RULES,
    parseOptions: { maxTokens: QUERY_LIMITS.maxTokens },
    includeStacktraceInErrorResponses: false,
    // Integrators explore the schema whatever NODE_ENV says (production mode would turn it off).
    introspection: true,
    // main.ts owns SIGTERM and SIGINT: it stops the whole gateway, in order.
    stopOnTerminationSignals: false,
    formatError: (formatted, error) => formatError(formatted, error, logger),
    // Apollo indents answers by default: a 10,000-row answer then spends more on whitespace than on figures.
    stringifyResult: (value) => JSON.stringify(value),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: STOP_GRACE_MS }),
      replicaReadsPlugin(dataSource),
      ApolloServerPluginLandingPageDisabled(),
      // Answers are never HTTP-cached, and the default cache-control plugin wraps every field's resolver.
      ApolloServerPluginCacheControlDisabled(),
      apolloTrackingPlugin(logger),
      unavailableStatusPlugin(),
      anonymousGuardPlugin(),
      rateLimitPlugin(),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await wsCleanup.dispose();
            },
          };
        },
      },
    ],
    logger: {
      debug: (m) => logger.debug(m),
      info: (m) => logger.info(m),
      warn: (m) => logger.warn(m),
      error: (m) => logger.error(m),
    },
  });
  await apollo.start();

  app.get('/health', async (_req, res) => {
    const health = await services.monitoring.health();
    res.status(health.status === 'DOWN' ? 503 : 200).json(health);
  });

  app.get('/api/export/llm-calls.csv', exportCallsRoute(services));

  // OpenTelemetry exporters send here: OTEL_EXPORTER_OTLP_ENDPOINT names the gateway itself.
  app.post('/v1/traces', otlpTracesRoute(services));

  app.get(
    '/metrics',
    metricsEndpoint({
      prometheus: services.monitoring.prometheus,
      keys: services.keys,
      metricsToken: services.config.metricsToken,
      limits: services.limits,
      logger,
    }),
  );

  app.use(
    '/graphql',
    compressAnswers(),
    express.json({ limit: MAX_BODY }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const auth = await authenticate(
          services.keys,
          services.platform,
          header(req.headers.authorization),
          header(req.headers['x-workspace-id']),
        ).catch((error: unknown) => {
          if (!isDatabaseUnavailable(error)) throw error;
          logger.warn({ err: error }, 'database unavailable');
          throw unavailableError();
        });
        const context = createContext(services, auth);
        linkContextToResponse(context, res);
        return context;
      },
    }),
  );

  // GraphiQL for integrators is built with the dashboard from the npm package, so it works offline.
  if (existsSync(join(webDist, 'index.html'))) app.use(dashboardRoutes(webDist));

  app.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const type = (error as { type?: string }).type;
    if (type === 'entity.too.large') return jsonError(res, 413, 'BAD_USER_INPUT', `The request body may be at most ${MAX_BODY}`);
    if (type === 'entity.parse.failed') return jsonError(res, 400, 'BAD_USER_INPUT', 'The request body must be valid JSON');
    if (isDatabaseUnavailable(error)) {
      logger.warn({ err: error }, 'database unavailable');
      res.setHeader('retry-after', String(RETRY_AFTER_SECONDS));
      return jsonError(res, 503, 'UNAVAILABLE', UNAVAILABLE_MESSAGE);
    }
    logger.error({ err: error }, 'request failed');
    return jsonError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
  });

  return {
    httpServer,
    listen: (port) =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, () => {
          const address = httpServer.address();
          resolve(typeof address === 'object' && address ? address.port : port);
        });
      }),
    close: async () => {
      for (const client of wsServer.clients) client.close(1001, 'Server is shutting down');
      await apollo.stop();
      wsServer.close();
    },
    routes: () => registeredRoutes(app),
    closeSocketsOf: (keyId) => {
      for (const socket of socketsByKey.get(keyId) ?? []) socket.close(KEY_REVOKED_CLOSE.code, KEY_REVOKED_CLOSE.reason);
    },
  };
}
