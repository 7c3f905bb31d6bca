/** A run as services and PubSub carry it: plain, serialisable values. */
export interface RunRecord {
  workspaceId: string;
  /** The executionId its calls share: the run's id within its workspace. */
  executionId: string;
  workflow: string | null;
  startedAt: string;
  endedAt: string;
  durationMs: number;
  calls: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  totalCost: number;
  agentIds: string[];
  models: string[];
}

/** A pg text[] arrives parsed as an array from a query, and as one (JSON) from row_to_json. */
const textArray = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

/** A run read by RUN_COLUMNS (run-upsert.ts), from a query row or from its row_to_json. */
export function toRunRecord(row: Record<string, unknown>): RunRecord {
  return {
    workspaceId: String(row.workspace_id),
    executionId: String(row.execution_id),
    workflow: (row.workflow as string | null) ?? null,
    startedAt: new Date(row.started_at as string | Date).toISOString(),
    endedAt: new Date(row.ended_at as string | Date).toISOString(),
    durationMs: Number(row.duration_ms),
    calls: Number(row.calls),
    errors: Number(row.errors),
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    totalCost: Number(row.total_cost),
    agentIds: textArray(row.agent_ids).sort(),
    models: textArray(row.models).sort(),
  };
}
