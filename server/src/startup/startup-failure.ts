import { ConfigError } from '../config';
import { DatabaseOpenError, MigrationFailedError } from '../db/data-source';
import { EmbeddedPostgresError } from '../db/embedded';

/** Where the gateway was starting, for naming what failed. */
export interface StartupSetting {
  port: number;
  /** Whether the database is the embedded PostgreSQL (no DATABASE_URL). */
  embedded: boolean;
}

/**
 * Why the gateway could not start, as one line that names the cause and what to do: never a
 * stack, an error object or "undefined". Each line is listed in the README's "When it does not start".
 */
export function explainStartupFailure(error: unknown, setting: StartupSetting): string {
  if (error instanceof ConfigError || error instanceof EmbeddedPostgresError) return error.message;
  if (error instanceof MigrationFailedError) {
    return `migration ${error.migration} failed, and was rolled back: ${postgresMessage(error.cause)}; fix what it names in the database, or point DATABASE_URL at another one`;
  }
  if (error instanceof DatabaseOpenError) return explainDatabaseOpen(error, setting);
  const code = errorCode(error);
  if (code === 'EADDRINUSE') return `port ${setting.port} is in use by another program; stop that program, or set PORT to a free port`;
  if (code === 'EACCES' && (error as { syscall?: string }).syscall === 'listen') {
    return `port ${setting.port} may only be opened by a privileged user; set PORT to 1024 or above`;
  }
  const message = error instanceof Error && error.message ? error.message.split('\n')[0] : describeThrown(error);
  return `${message}; set LOG_LEVEL=debug for the details`;
}

function explainDatabaseOpen({ variable, url, cause }: DatabaseOpenError, { embedded }: StartupSetting): string {
  const target = new URL(url);
  const where = `${target.hostname}:${target.port || 5432}`;
  const named = embedded ? 'the embedded PostgreSQL' : variable;
  const role = decodeURIComponent(target.username) || process.env.PGUSER || 'the system user';
  const database = decodeURIComponent(target.pathname.slice(1)) || role;
  const code = errorCode(cause);
  if (code === '28P01' || code === '28000') {
    return `PostgreSQL at ${where} refused the role "${role}" (${postgresMessage(cause)}); check the user and password in ${named}`;
  }
  if (code === '3D000') {
    return `PostgreSQL at ${where} has no database "${database}"; create it (createdb -h ${target.hostname} -p ${target.port || 5432} ${database}), or name another one in ${named}`;
  }
  if (code === '42501') return `the role "${role}" may not use the database "${database}" at ${where} (${postgresMessage(cause)}); grant it, or use another role in ${named}`;
  if (code && /^[0-9A-Z]{5}$/.test(code)) return `PostgreSQL at ${where} answered: ${postgresMessage(cause)}; check ${named}`;
  return `cannot reach PostgreSQL at ${where} (${networkReason(cause)}); check that it is running there and that ${named} names it`;
}

/** A SQLSTATE or an errno, also from the first of several addresses tried together. */
function errorCode(error: unknown): string | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  const errors = (error as { errors?: unknown[] }).errors;
  return Array.isArray(errors) ? errorCode(errors[0]) : undefined;
}

function postgresMessage(error: unknown): string {
  const code = errorCode(error);
  const message = error instanceof Error && error.message ? error.message.split('\n')[0] : describeThrown(error);
  return code && /^[0-9A-Z]{5}$/.test(code) ? `${message} (SQLSTATE ${code})` : message;
}

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'the host name could not be looked up',
  ETIMEDOUT: 'no answer',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'the connection was cut',
};

function networkReason(error: unknown): string {
  const code = errorCode(error);
  if (code && NETWORK_REASONS[code]) return NETWORK_REASONS[code];
  const message = error instanceof Error ? error.message : '';
  if (/timeout/i.test(message)) return 'no answer in time';
  if (/terminated|ended/i.test(message)) return 'the connection was closed before PostgreSQL answered';
  return message.split('\n')[0] || describeThrown(error);
}

function describeThrown(value: unknown): string {
  if (value === undefined || value === null) return 'an unknown failure';
  return typeof value === 'string' && value ? value : `an unexpected ${typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value}`;
}
