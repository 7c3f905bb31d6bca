import type { DataSource } from 'typeorm';
import { enterScope } from '../db/scoped-db';
import type { Db } from '../db/db';
import { badInput } from '../graphql/errors';
import { allRollupCostDeltas } from '../ingest/rollup';
import type { Scope, TimeRange } from '../metrics/metrics.model';
import { PLATFORM_WORKSPACE_ID } from './model-price-override.entity';
import { loadOverrides, normaliseProvider, priceCall, registryModel, type PriceSource, type Rates } from './pricing.service';

export interface ModelPriceValues extends Rates {
  modelId: string;
  provider: string;
  source: PriceSource;
}

export interface ModelPriceInputValues {
  modelId: string;
  provider: string;
  inputPerMTok: number;
  outputPerMTok: number;
  cacheReadPerMTok?: number | null;
  cacheWritePerMTok?: number | null;
}

const rate = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

/** The price a call of this model would get now in the workspace: its override, the platform's, then the registry. */
export async function currentPrice(db: Db, workspaceId: string, modelId: string, provider?: string | null): Promise<ModelPriceValues | null> {
  const rows: Record<string, unknown>[] = await db.query(
    `SELECT provider, input_per_mtok, output_per_mtok, cache_read_per_mtok, cache_write_per_mtok FROM model_price_overrides
     WHERE workspace_id = ANY($1::uuid[]) AND model_id = $2 AND ($3::text IS NULL OR provider = $3)
     ORDER BY (workspace_id = $4::uuid), provider LIMIT 1`,
    [[workspaceId, PLATFORM_WORKSPACE_ID], modelId, provider ? normaliseProvider(provider) : null, PLATFORM_WORKSPACE_ID],
  );
  if (rows[0]) {
    return {
      modelId,
      provider: String(rows[0].provider),
      inputPerMTok: Number(rows[0].input_per_mtok),
      outputPerMTok: Number(rows[0].output_per_mtok),
      cacheReadPerMTok: rate(rows[0].cache_read_per_mtok),
      cacheWritePerMTok: rate(rows[0].cache_write_per_mtok),
      source: 'OVERRIDE',
    };
  }
  const registry = registryModel(modelId, provider);
  if (!registry?.rates) return null;
  return { modelId, provider: provider ? normaliseProvider(provider) : registry.provider, ...registry.rates, source: 'REGISTRY' };
}

function checkRate(name: string, value: number | null | undefined, required: boolean): void {
  if (value === null || value === undefined) {
    if (required) throw badInput(`${name} is required`);
    return;
  }
  if (!Number.isFinite(value) || value < 0 || value > 100_000) {
    throw badInput(`${name} must be dollars per million tokens from 0 to 100000, but got ${value}`);
  }
}

/** Stores an override for a workspace, or for the platform when `workspaceId` is PLATFORM_WORKSPACE_ID. */
export async function setPrice(db: Db, workspaceId: string, input: ModelPriceInputValues): Promise<ModelPriceValues> {
  const modelId = input.modelId.trim();
  const provider = normaliseProvider(input.provider);
  if (!modelId) throw badInput('modelId must not be empty');
  if (!provider) throw badInput('provider must not be empty');
  checkRate('inputPerMTok', input.inputPerMTok, true);
  checkRate('outputPerMTok', input.outputPerMTok, true);
  checkRate('cacheReadPerMTok', input.cacheReadPerMTok, false);
  checkRate('cacheWritePerMTok', input.cacheWritePerMTok, false);
  await db.query(
    `INSERT INTO model_price_overrides (workspace_id, provider, model_id, input_per_mtok, output_per_mtok, cache_read_per_mtok, cache_write_per_mtok)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (workspace_id, provider, model_id) DO UPDATE SET input_per_mtok = EXCLUDED.input_per_mtok,
       output_per_mtok = EXCLUDED.output_per_mtok, cache_read_per_mtok = EXCLUDED.cache_read_per_mtok,
       cache_write_per_mtok = EXCLUDED.cache_write_per_mtok, updated_at = now()`,
    [workspaceId, provider, modelId, input.inputPerMTok, input.outputPerMTok, input.cacheReadPerMTok ?? null, input.cacheWritePerMTok ?? null],
  );
  return {
    modelId,
    provider,
    inputPerMTok: input.inputPerMTok,
    outputPerMTok: input.outputPerMTok,
    cacheReadPerMTok: input.cacheReadPerMTok ?? null,
    cacheWritePerMTok: input.cacheWritePerMTok ?? null,
    source: 'OVERRIDE',
  };
}

const REPRICE_SQL = `
WITH changed AS (
  SELECT l.workspace_id, l.id, l.occurred_at, l.model_id, l.provider, l.agent_id, l.tier, l.is_byok, l.request_type, l.status,
    r.input_cost, r.output_cost, r.total_cost, r.priced, r.price_source,
    r.input_cost - l.input_cost AS d_input, r.output_cost - l.output_cost AS d_output, r.total_cost - l.total_cost AS d_total,
    (CASE WHEN r.priced THEN 0 ELSE l.request_count END) - (CASE WHEN l.priced THEN 0 ELSE l.request_count END) AS d_unpriced
  FROM llm_usage l JOIN reprice r ON r.workspace_id = l.workspace_id AND r.id = l.id
  WHERE (l.input_cost, l.output_cost, l.priced, l.price_source) IS DISTINCT FROM (r.input_cost, r.output_cost, r.priced, r.price_source)
),
raw AS (
  UPDATE llm_usage l SET input_cost = c.input_cost, output_cost = c.output_cost, total_cost = c.total_cost,
    priced = c.priced, price_source = c.price_source
  FROM changed c WHERE l.workspace_id = c.workspace_id AND l.id = c.id
),
${allRollupCostDeltas('changed')},
agent_delta AS (
  SELECT workspace_id, agent_id, model_id, sum(d_total) AS d FROM changed WHERE agent_id IS NOT NULL GROUP BY 1, 2, 3
),
agent_stats AS (
  UPDATE agents a SET model_usage_stats = a.model_usage_stats || (
    SELECT jsonb_object_agg(d.model_id, (a.model_usage_stats -> d.model_id) || jsonb_build_object(
      'totalCost', (coalesce((a.model_usage_stats -> d.model_id ->> 'totalCost')::numeric, 0) + d.d)::text))
    FROM agent_delta d WHERE d.workspace_id = a.workspace_id AND d.agent_id = a.id)
  WHERE (a.workspace_id, a.id) IN (SELECT workspace_id, agent_id FROM agent_delta)
)
SELECT count(*)::bigint AS updated, coalesce(sum(d_total), 0) AS delta FROM changed`;

const PAGE = 5000;

/**
 * Prices the stored calls of a range again with today's prices (overrides, then registry).
 * Reported costs stay. Raw rows, both rollups and agent stats change in one transaction.
 */
export async function repriceCalls(
  dataSource: DataSource,
  scope: Scope,
  options: { range: TimeRange; modelIds?: string[] | null },
  now: Date,
): Promise<{ updated: number; costDelta: number }> {
  return dataSource.transaction(async (m) => {
    await enterScope(m, { scope, isAdmin: scope.kind === 'all' });
    const workspaceIds: string[] =
      scope.kind === 'workspace' ? [scope.workspaceId] : (await m.query(`SELECT id FROM workspaces ORDER BY id`)).map((r: { id: string }) => r.id);
    await m.query(
      `CREATE TEMP TABLE reprice (workspace_id uuid, id bigint, input_cost numeric, output_cost numeric, total_cost numeric,
         priced boolean, price_source text) ON COMMIT DROP`,
    );
    const modelIds = options.modelIds && options.modelIds.length > 0 ? options.modelIds : null;
    for (const workspaceId of workspaceIds) {
      const overrides = await loadOverrides(m, workspaceId);
      let lastId = '0';
      for (;;) {
        const calls: Record<string, string>[] = await m.query(
          `SELECT id, model_id, provider, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens FROM llm_usage
           WHERE workspace_id = $1 AND occurred_at >= $2 AND occurred_at < $3 AND price_source IS DISTINCT FROM 'REPORTED'
             AND ($4::text[] IS NULL OR model_id = ANY($4::text[])) AND id > $5::bigint
           ORDER BY id LIMIT ${PAGE}`,
          [workspaceId, options.range.from.toISOString(), options.range.to.toISOString(), modelIds, lastId],
        );
        if (calls.length === 0) break;
        const priced = calls.map((c) =>
          priceCall(
            {
              modelId: c.model_id,
              provider: c.provider,
              inputTokens: Number(c.input_tokens),
              outputTokens: Number(c.output_tokens),
              cacheReadTokens: Number(c.cache_read_tokens),
              cacheWriteTokens: Number(c.cache_write_tokens),
              occurredAt: now,
            },
            overrides,
          ),
        );
        await m.query(
          `INSERT INTO reprice SELECT $1::uuid, * FROM unnest($2::bigint[], $3::numeric[], $4::numeric[], $5::numeric[], $6::boolean[], $7::text[])`,
          [
            workspaceId,
            calls.map((c) => c.id),
            priced.map((p) => p.inputCost),
            priced.map((p) => p.outputCost),
            priced.map((p) => p.totalCost),
            priced.map((p) => p.priced),
            priced.map((p) => p.source),
          ],
        );
        lastId = calls[calls.length - 1].id;
        if (calls.length < PAGE) break;
      }
    }
    const [result] = await m.query(REPRICE_SQL);
    return { updated: Number(result.updated), costDelta: Number(result.delta) };
  });
}
