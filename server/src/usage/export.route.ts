import type { Request, Response } from 'express';
import { routeAllows, ROUTES } from '../auth/access';
import { authenticate } from '../auth/auth.service';
import { callerOf, type Services } from '../graphql/context';
import { RateLimitedError, sendRateLimited } from '../rate-limits';
import { periodRange, PERIODS, type Period, type UsageFilterValues } from '../metrics/metrics.model';
import { checkUsageFilter } from '../metrics/metrics.service';
import { AppError, badInput } from '../graphql/errors';
import { streamCallsCsv } from './export.service';
import { scopedDb } from '../db/scoped-db';
import { rawKeptFrom } from '../metrics/raw-kept-from';

/** Names where the export's raw calls start when retention deleted older ones: the file covers only what is kept. */
export const RAW_CALLS_KEPT_FROM_HEADER = 'x-raw-calls-kept-from';

const STATUS = { UNAUTHENTICATED: 401, FORBIDDEN: 403, BAD_USER_INPUT: 400 } as Record<string, number>;

const single = (value: unknown): string | undefined => (Array.isArray(value) ? String(value[0]) : value === undefined ? undefined : String(value));
const every = (value: unknown): string[] => (value === undefined ? [] : Array.isArray(value) ? value.map(String) : [String(value)]);

/**
 * The export's filter from the query string: `userId` (any of), `tag` (every one) and
 * `metadata=key=value` (every pair), each repeatable; the same rules as UsageFilter.
 */
export function exportFilter(query: Request['query']): Pick<UsageFilterValues, 'userIds' | 'tags' | 'metadata'> {
  const userIds = every(query.userId);
  const tags = every(query.tag);
  const metadata = every(query.metadata).map((pair) => {
    const at = pair.indexOf('=');
    if (at <= 0) throw badInput(`metadata must be key=value, but got "${pair}"`);
    return { key: pair.slice(0, at), value: pair.slice(at + 1) };
  });
  const filter = { userIds: userIds.length ? userIds : null, tags: tags.length ? tags : null, metadata: metadata.length ? metadata : null };
  checkUsageFilter(filter);
  return filter;
}

export const EXPORT_ROUTE = 'GET /api/export/llm-calls.csv';

/** GET /api/export/llm-calls.csv?period=LAST_30D&userId=…&tag=…&metadata=key=value: the same key and X-Workspace-ID rules as /graphql; the roles in ROUTES. */
export function exportCallsRoute(services: Services) {
  return async (req: Request, res: Response): Promise<void> => {
    const auth = await authenticate(services.keys, services.platform, single(req.headers.authorization), single(req.headers['x-workspace-id']));
    if (!auth.ok) {
      res.status(STATUS[auth.error.code] ?? 400).json({ errors: [{ message: auth.error.message, extensions: { code: auth.error.code } }] });
      return;
    }
    if (!routeAllows(EXPORT_ROUTE, auth.viewer.role)) {
      const allowed = ROUTES[EXPORT_ROUTE] as readonly string[];
      res.status(403).json({
        errors: [{ message: `${EXPORT_ROUTE} needs a key with role ${allowed.join(', ')}, but got ${auth.viewer.role}`, extensions: { code: 'FORBIDDEN' } }],
      });
      return;
    }
    try {
      await services.limits.admitRequest(callerOf(auth.viewer));
    } catch (error) {
      if (error instanceof RateLimitedError) return sendRateLimited(res, error);
      throw error;
    }
    const period = (single(req.query.period) ?? 'LAST_30D') as Period;
    if (!PERIODS.includes(period)) {
      res.status(400).json({
        errors: [{ message: `period must be one of ${PERIODS.join(', ')}, but got "${period}"`, extensions: { code: 'BAD_USER_INPUT' } }],
      });
      return;
    }
    let filter: ReturnType<typeof exportFilter>;
    try {
      filter = exportFilter(req.query);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      res.status(400).json({ errors: [{ message: error.message, extensions: { code: 'BAD_USER_INPUT' } }] });
      return;
    }
    const now = services.now();
    const keptFrom = await rawKeptFrom(scopedDb(services.dataSource, { scope: auth.scope, isAdmin: auth.viewer.role === 'ADMIN' }), auth.scope);
    res.status(200);
    if (keptFrom !== null) res.setHeader(RAW_CALLS_KEPT_FROM_HEADER, new Date(keptFrom).toISOString());
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="llm-calls-${period.toLowerCase()}-${now.toISOString().slice(0, 10)}.csv"`);
    try {
      await streamCallsCsv(services.dataSource, auth.scope, periodRange(period, now), res, filter);
      res.end();
    } catch (error) {
      services.logger.error({ err: error }, 'CSV export failed');
      // Headers are gone: cutting the stream tells the client the file is incomplete.
      res.destroy();
    }
  };
}
