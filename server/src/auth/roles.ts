/**
 * The roles a key can have. ADMIN: everything, in any workspace. MEMBER: everything inside its
 * own workspace. VIEWER: reads its workspace, changes nothing. INGEST: sends data in, and may ask
 * `viewer`. What each may call is decided in one place: ACCESS in ./access.ts.
 */
export const ROLES = ['ADMIN', 'MEMBER', 'VIEWER', 'INGEST'] as const;

export type Role = (typeof ROLES)[number];

/** The roles a MEMBER key may hand out for its own workspace; only an ADMIN creates ADMIN keys. */
export const ROLES_A_MEMBER_MAY_GRANT: readonly Role[] = ['MEMBER', 'VIEWER', 'INGEST'];

export const isRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value);
