import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { constants as zlib } from 'node:zlib';
import compression from 'compression';
import { Router, type RequestHandler } from 'express';
import expressStaticGzip from 'express-static-gzip';
import helmet from 'helmet';
import { leaveUntracked } from './monitoring/api-tracking';

/** Files under /assets carry a hash of their content in their name, so a browser may keep them for a year. */
export const ASSET_CACHE_CONTROL = 'public, max-age=31536000, immutable';
/** Pages name the current assets: a browser asks again each time (a 304 while they are the same). */
export const PAGE_CACHE_CONTROL = 'no-cache';
/** GraphQL answers smaller than this go uncompressed: below it compressing saves less than it costs. */
export const COMPRESS_ANSWERS_FROM_BYTES = 1024;
/** Brotli quality for answers compressed as they are sent (the compression middleware's default): tens of µs for a dashboard answer. */
export const ANSWER_BROTLI_QUALITY = 4;

type Directives = Record<string, Array<string | ((req: IncomingMessage) => string)>>;

/**
 * Where the page may connect: its own origin, and the same host's WebSocket origins spelled out for
 * browsers that do not count ws: and wss: as 'self'. A Host header that is not a plain host[:port]
 * adds nothing, so a forged one cannot widen the policy.
 */
export function connectSources(req: IncomingMessage): string {
  const host = req.headers.host ?? '';
  if (!/^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/.test(host)) return "'self'";
  return `'self' ws://${host} wss://${host}`;
}

const DASHBOARD_POLICY: Directives = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  // The favicon is a data: URI in the page itself.
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': [connectSources],
  'worker-src': ["'none'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/**
 * GraphiQL's, widened only for what its editor (Monaco) does: language services in workers from
 * /assets, fonts embedded in its stylesheet, and styles it writes as <style> elements and style
 * attributes (Monaco takes no nonce). Scripts stay 'self' only.
 */
const GRAPHIQL_POLICY: Directives = {
  ...DASHBOARD_POLICY,
  'style-src': ["'self'", "'unsafe-inline'"],
  'font-src': ["'self'", 'data:'],
  'worker-src': ["'self'"],
};

/** The Content-Security-Policy header of the dashboard's page and of GraphiQL's, as helmet writes it. */
export const pagePolicy = (page: 'dashboard' | 'graphiql'): RequestHandler =>
  helmet.contentSecurityPolicy({ useDefaults: false, directives: page === 'dashboard' ? DASHBOARD_POLICY : GRAPHIQL_POLICY });

/**
 * Headers on every answer: nosniff, no referrer, no framing, same-origin opener and resources.
 * Strict-Transport-Security is left to whatever terminates TLS in front of the gateway; the
 * Content-Security-Policy is the pages' own (`pagePolicy`).
 */
export const securityHeaders = (): RequestHandler =>
  helmet({
    contentSecurityPolicy: false,
    strictTransportSecurity: false,
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
  });

/**
 * Compresses GraphQL answers of at least `COMPRESS_ANSWERS_FROM_BYTES` with brotli or gzip,
 * whichever the client takes (expressjs/compression); `npm run bench` (browser) measures what it
 * saves and costs on the Overview's own answers.
 */
export const compressAnswers = (): RequestHandler =>
  compression({ threshold: COMPRESS_ANSWERS_FROM_BYTES, brotli: { params: { [zlib.BROTLI_PARAM_QUALITY]: ANSWER_BROTLI_QUALITY } } });

/** Files under `root` as they are or, when the client accepts it, as the brotli or gzip copy the build wrote beside them. */
function precompressedFiles(root: string, cacheControl: string): RequestHandler {
  return expressStaticGzip(root, {
    enableBrotli: true,
    orderPreference: ['br', 'gzip'],
    index: false,
    serveStatic: { cacheControl: false, setHeaders: (res) => res.setHeader('Cache-Control', cacheControl) },
  }) as RequestHandler;
}

/**
 * The built dashboard in `dist` (web/dist), every file sent as the brotli or gzip copy the build
 * wrote beside it when the client accepts one (`Vary: Accept-Encoding`): /assets/ (a missing
 * asset is a 404, never the page), GraphiQL's page at /graphiql, and the dashboard's page at any
 * other path (its routes live in the URL fragment).
 */
export function dashboardRoutes(dist: string): Router {
  const assets = precompressedFiles(join(dist, 'assets'), ASSET_CACHE_CONTROL);
  const pages = precompressedFiles(dist, PAGE_CACHE_CONTROL);
  const page = (file: string, policy: RequestHandler): RequestHandler => (req, res, next) =>
    policy(req, res, (error?: unknown) => {
      if (error) return next(error);
      req.url = `/${file}`;
      return pages(req, res, next);
    });

  const router = Router();
  router.use('/assets', leaveUntracked, assets, (req, res) => {
    res.status(404).type('text/plain').send(`No asset at ${req.originalUrl}`);
  });
  router.get(['/graphiql', '/graphiql.html'], leaveUntracked, page('graphiql.html', pagePolicy('graphiql')));
  router.get(/^\/(?!graphql|health|api\/).*/, leaveUntracked, page('index.html', pagePolicy('dashboard')));
  return router;
}
