import type { ApiKeyFieldsFragment, Role } from '../../gql/graphql';
import { ROLE_LABEL } from '../../viewer-role';

/** How many characters of a key the gateway keeps to recognise it (its prefix). */
export const KEY_PREFIX_LENGTH = 8;

/** The roles a key of `role` may hand out: an admin any; a member MEMBER, VIEWER and INGEST; others none. */
export function grantableRoles(role: Role): Role[] {
  if (role === 'ADMIN') return ['INGEST', 'VIEWER', 'MEMBER', 'ADMIN'];
  if (role === 'MEMBER') return ['INGEST', 'VIEWER', 'MEMBER'];
  return [];
}

/** What each role may do, in the words the form shows beside the choice. */
export const ROLE_HELP: Record<Role, string> = {
  INGEST: 'Ingest: sends calls, heartbeats and agent data; reads nothing. For agents and apps.',
  VIEWER: 'Viewer: reads every page and the CSV export; changes nothing.',
  MEMBER: 'Member: everything in this workspace, keys and prices included.',
  ADMIN: 'Admin: everything, in every workspace.',
};

/** How long a new key lasts. */
export const EXPIRY_CHOICES = [
  { value: 'never', label: 'Never expires', days: null },
  { value: '7', label: '7 days', days: 7 },
  { value: '30', label: '30 days', days: 30 },
  { value: '90', label: '90 days', days: 90 },
  { value: '365', label: '1 year', days: 365 },
] as const;

export type ExpiryChoice = (typeof EXPIRY_CHOICES)[number]['value'];

/** The expiresAt a choice gives from `now`, or null for a key that never expires. */
export function expiresAtFor(choice: ExpiryChoice, now: Date): string | null {
  const days = EXPIRY_CHOICES.find((c) => c.value === choice)?.days ?? null;
  return days === null ? null : new Date(now.getTime() + days * 86_400_000).toISOString();
}

export type KeyState = 'active' | 'expired' | 'revoked';

/** A key as the keys table shows it: never more than its first characters. */
export interface ApiKeyRow {
  id: string;
  label: string;
  role: Role;
  roleLabel: string;
  prefix: string;
  /** "tly_ab12…". */
  shown: string;
  created: string;
  createdAt: string;
  /** "never", or when. */
  lastUsed: string;
  expires: string;
  state: KeyState;
  stateLabel: string;
}

/** The keys newest first, still-working ones before revoked and expired ones. */
export function prepareApiKeys(keys: readonly ApiKeyFieldsFragment[], timeZone: string, now: Date): ApiKeyRow[] {
  const when = (iso: string) =>
    new Date(iso).toLocaleString('en-GB', { timeZone, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
  const stateOf = (key: ApiKeyFieldsFragment): KeyState =>
    key.revokedAt ? 'revoked' : key.expiresAt && new Date(key.expiresAt).getTime() <= now.getTime() ? 'expired' : 'active';
  const order: Record<KeyState, number> = { active: 0, expired: 1, revoked: 2 };
  return [...keys]
    .sort((a, b) => order[stateOf(a)] - order[stateOf(b)] || b.createdAt.localeCompare(a.createdAt))
    .map((key) => {
      const state = stateOf(key);
      return {
        id: key.id,
        label: key.label ?? 'Unlabelled key',
        role: key.role,
        roleLabel: ROLE_LABEL[key.role],
        prefix: key.prefix,
        shown: `${key.prefix}…`,
        created: when(key.createdAt),
        createdAt: key.createdAt,
        lastUsed: key.lastUsedAt ? when(key.lastUsedAt) : 'never',
        expires: key.expiresAt ? when(key.expiresAt) : 'never',
        state,
        stateLabel: state === 'active' ? 'Active' : state === 'expired' ? 'Expired' : `Revoked ${when(key.revokedAt!)}`,
      };
    });
}

/** The form's own check of a label, as the gateway applies it (MAX_KEY_LABEL). */
export function checkKeyLabel(label: string): string | null {
  const trimmed = label.trim();
  if (trimmed.length > 200) return `That label is ${trimmed.length} characters; labels are at most 200.`;
  return null;
}
