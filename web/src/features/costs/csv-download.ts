import type { Period, UsageFilter } from '../../gql/graphql';

/** Where the gateway streams calls as CSV. */
export const CSV_EXPORT_PATH = '/api/export/llm-calls.csv';

/** The file name a Content-Disposition header gives ("attachment; filename=\"x.csv\""), or the fallback. */
export function filenameFromDisposition(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const encoded = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header)?.[1];
  if (encoded) {
    try {
      return decodeURIComponent(encoded.trim());
    } catch {
      // A malformed encoding falls through to the plain name.
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(header);
  const name = (plain?.[2] ?? plain?.[1])?.trim();
  return name ? name.replace(/[/\\]/g, '_') : fallback;
}

/** A byte count for a progress line: "812 B", "48.2 kB", "3.4 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** What a download needs: the period, and the same key and scope the dashboard's requests carry. */
export interface CsvDownloadRequest {
  period: Period;
  /** Only the calls of these users, with these tags and metadata pairs (the attribution filter). */
  filter?: Pick<UsageFilter, 'userIds' | 'tags' | 'metadata'>;
  apiKey: string;
  /** An admin's scope ("__all__" or a workspace id), sent as X-Workspace-ID. */
  workspaceId: string | null;
  /** Called as bytes arrive, with the total so far. */
  onProgress(bytes: number): void;
  signal?: AbortSignal;
  /** @default window.fetch */
  fetchImpl?: typeof fetch;
}

/**
 * Fetches the calls of the period as CSV with the Authorization header (a plain link cannot carry
 * it), reading the stream to report progress, and answers with the file and its name. A refusal
 * throws with the gateway's own message.
 */
export async function fetchCallsCsv({ period, filter, apiKey, workspaceId, onProgress, signal, fetchImpl = fetch }: CsvDownloadRequest): Promise<{ blob: Blob; filename: string }> {
  const query = new URLSearchParams({ period });
  for (const userId of filter?.userIds ?? []) query.append('userId', userId);
  for (const tag of filter?.tags ?? []) query.append('tag', tag);
  for (const { key, value } of filter?.metadata ?? []) query.append('metadata', `${key}=${value}`);
  const response = await fetchImpl(`${CSV_EXPORT_PATH}?${query}`, {
    headers: { authorization: `Bearer ${apiKey}`, ...(workspaceId ? { 'x-workspace-id': workspaceId } : {}) },
    signal,
  });
  if (!response.ok) {
    let message = `The gateway answered with HTTP ${response.status}.`;
    try {
      const body = (await response.json()) as { errors?: { message?: string }[] };
      message = body.errors?.[0]?.message ?? message;
    } catch {
      // Not JSON: keep the status line.
    }
    throw new Error(message);
  }
  const chunks: BlobPart[] = [];
  let received = 0;
  const reader = response.body?.getReader();
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.byteLength;
      onProgress(received);
    }
  } else {
    const whole = await response.blob();
    chunks.push(whole);
    onProgress(whole.size);
  }
  const fallback = `llm-calls-${period.toLowerCase()}.csv`;
  return { blob: new Blob(chunks, { type: 'text/csv' }), filename: filenameFromDisposition(response.headers.get('content-disposition'), fallback) };
}
