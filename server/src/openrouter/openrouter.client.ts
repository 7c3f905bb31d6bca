import { AppError } from '../graphql/errors';

/** How long an OpenRouter request may take when the configuration says nothing. */
export const DEFAULT_OPENROUTER_TIMEOUT_MS = 10_000;

export interface OpenRouterClientOptions {
  /** e.g. https://openrouter.ai/api/v1 (no trailing slash). */
  baseUrl: string;
  apiKey: string;
  /** @default 10000 */
  timeoutMs?: number;
}

const upstream = (message: string): AppError => new AppError('UPSTREAM_ERROR', message);

/** OpenRouter's own error text, without anything that could be the key, kept short. */
function upstreamMessage(body: string, apiKey: string): string {
  let text = body;
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } };
    if (typeof parsed?.error?.message === 'string') text = parsed.error.message;
  } catch {
    // not JSON: the raw text is the message
  }
  text = text.split(apiKey).join('[key]').replace(/\s+/g, ' ').trim();
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/**
 * GETs one OpenRouter endpoint with the key and returns its parsed JSON. Every way it can
 * fail becomes an AppError that says which request failed and why: no answer in time,
 * unreachable, the key refused (401/403), rate-limited (429: RATE_LIMITED), a server error
 * (5xx), or a body that is not JSON.
 */
export async function openRouterGet(options: OpenRouterClientOptions, path: string): Promise<unknown> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_OPENROUTER_TIMEOUT_MS;
  const request = `GET ${path}`;
  let response: Response;
  let body: string;
  try {
    response = await fetch(`${options.baseUrl}${path}`, {
      headers: { authorization: `Bearer ${options.apiKey}`, accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    body = await response.text();
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      throw upstream(`OpenRouter did not answer ${request} within ${timeoutMs} ms; retry later`);
    }
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw upstream(`OpenRouter could not be reached for ${request} (${cause?.code ?? cause?.message ?? 'network error'}); check OPENROUTER_BASE_URL`);
  }
  if (response.status === 401 || response.status === 403) {
    throw upstream(
      `OpenRouter refused the API key for ${request} (HTTP ${response.status}: ${upstreamMessage(body, options.apiKey)}); set a valid key in Settings → Provider keys`,
    );
  }
  if (response.status === 429) {
    const retryAfter = response.headers.get('retry-after');
    throw new AppError(
      'RATE_LIMITED',
      `OpenRouter is rate-limiting this key for ${request} (HTTP 429); retry ${retryAfter ? `after ${retryAfter} s` : 'later'}`,
    );
  }
  if (response.status >= 500) {
    throw upstream(`OpenRouter failed on ${request} with HTTP ${response.status}; retry later`);
  }
  if (!response.ok) {
    throw upstream(`OpenRouter answered ${request} with HTTP ${response.status}: ${upstreamMessage(body, options.apiKey)}`);
  }
  try {
    return JSON.parse(body);
  } catch {
    throw upstream(`OpenRouter answered ${request} with malformed JSON (${body.length} bytes that do not parse)`);
  }
}

/** Reads typed fields out of an upstream answer; a missing or mistyped field is UPSTREAM_ERROR naming it. */
export class UpstreamShape {
  constructor(private readonly request: string) {}

  object(value: unknown, path: string): Record<string, unknown> {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw this.wrong(path, 'an object', value);
    return value as Record<string, unknown>;
  }

  array(value: unknown, path: string): unknown[] {
    if (!Array.isArray(value)) throw this.wrong(path, 'a list', value);
    return value;
  }

  number(value: unknown, path: string): number {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw this.wrong(path, 'a number', value);
    return value;
  }

  count(value: unknown, path: string): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw this.wrong(path, 'a whole number of at least 0', value);
    return value;
  }

  optionalNumber(value: unknown, path: string): number | null {
    return value === null || value === undefined ? null : this.number(value, path);
  }

  string(value: unknown, path: string): string {
    if (typeof value !== 'string' || value.trim() === '') throw this.wrong(path, 'a non-empty string', value);
    return value;
  }

  optionalString(value: unknown, path: string): string | null {
    if (value === null || value === undefined) return null;
    if (typeof value !== 'string') throw this.wrong(path, 'a string', value);
    return value;
  }

  boolean(value: unknown, path: string): boolean {
    if (typeof value !== 'boolean') throw this.wrong(path, 'true or false', value);
    return value;
  }

  private wrong(path: string, expected: string, value: unknown): AppError {
    const got = value === undefined ? 'nothing' : JSON.stringify(value)?.slice(0, 60) ?? String(value);
    return upstream(`OpenRouter answered ${this.request} without ${expected} at ${path} (got ${got})`);
  }
}
