import type { Db } from './db/db';
import { createApiKey, hashKey } from './auth/auth.service';
import { createWorkspace, getWorkspace } from './workspaces/workspaces.service';

/** The workspace the bootstrap admin key belongs to. */
export const MAIN_WORKSPACE_ID = '00000000-0000-4000-8000-000000000001';

/** Makes sure the main workspace exists and the configured admin key opens it. */
export async function ensureAdmin(db: Db, adminKey: string): Promise<void> {
  if (!(await getWorkspace(db, MAIN_WORKSPACE_ID))) await createWorkspace(db, 'Main workspace', 'enterprise', MAIN_WORKSPACE_ID);
  const found: unknown[] = await db.query(`SELECT 1 FROM api_keys WHERE key_hash = $1`, [hashKey(adminKey)]);
  if (found.length === 0) await createApiKey(db, MAIN_WORKSPACE_ID, 'ADMIN', 'bootstrap admin', adminKey);
}
