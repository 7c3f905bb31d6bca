import type { AuditLogQuery } from '../../gql/graphql';
import { ROLE_LABEL } from '../../viewer-role';
import { formatSecondDateTime } from '../../format';

type Entry = AuditLogQuery['auditLog'][number];

/** An audit entry as the log shows it: who, what and when, in words. */
export interface AuditRow {
  id: string;
  at: string;
  when: string;
  who: string;
  what: string;
  target: string | null;
}

/** The mutations in plain words; one not listed shows by its name. */
const ACTIONS: Record<string, string> = {
  setModelPrice: 'Set a model price',
  repriceLlmCalls: 'Re-priced stored calls',
  setBudget: 'Set a budget',
  deleteBudget: 'Deleted a budget',
  setProviderKey: 'Stored a provider key',
  deleteProviderKey: 'Deleted a provider key',
  syncOpenRouterActivity: 'Synced OpenRouter activity',
  createApiKey: 'Created an API key',
  revokeApiKey: 'Revoked an API key',
  rotateApiKey: 'Rotated an API key',
  createWorkspace: 'Created a workspace',
};

export function prepareAuditLog(entries: readonly Entry[], timeZone: string): AuditRow[] {
  return entries.map((entry) => ({
    id: entry.id,
    at: entry.at,
    when: formatSecondDateTime(entry.at, timeZone),
    who: `${entry.actorLabel ?? 'Unlabelled key'} (${ROLE_LABEL[entry.actorRole].toLowerCase()})`,
    what: ACTIONS[entry.action] ? `${ACTIONS[entry.action]} (${entry.action})` : entry.action,
    target: entry.target,
  }));
}
