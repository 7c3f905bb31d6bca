/**
 * Argument names that carry a secret: provider and API keys, signing secrets, tokens, and URLs
 * (a webhook URL is itself the credential). Their values never reach the audit log.
 */
const SECRET_NAME = /(^key$|apikey|providerkey|secret|token|password|authorization|url$|webhook)/i;
/** Values that are secrets whatever their name: a Tally key, or a URL. */
const SECRET_VALUE = /^tly_|^[a-z][a-z0-9+.-]*:\/\//i;

/** The marker left where a secret was, so the entry still shows that it was given. */
export const REDACTED = '[redacted]';

/**
 * The arguments of a mutation as the audit log keeps them: plain JSON, every secret replaced by
 * REDACTED (by its name, or by what it looks like), however deep it sits.
 */
export function redactArguments(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(redactArguments);
  if (typeof value === 'string') return SECRET_VALUE.test(value) ? REDACTED : value;
  if (typeof value !== 'object') return value;
  const kept: Record<string, unknown> = {};
  for (const [name, inner] of Object.entries(value as Record<string, unknown>)) {
    if (inner === undefined) continue;
    kept[name] = SECRET_NAME.test(name) && inner !== null ? REDACTED : redactArguments(inner);
  }
  return kept;
}
