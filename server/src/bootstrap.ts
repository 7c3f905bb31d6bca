import type { PlatformDb } from './db/platform-db';
import { createApiKey, hashKey } from './auth/auth.service';
import { createWorkspace, getWorkspace } from './workspaces/workspaces.service';

const UNIQUE_VIOLATION = '23505';

/** The workspace the bootstrap admin key belongs to. */
export const MAIN_WORKSPACE_ID = '00000000-0000-4000-8000-000000000001';

/** Makes sure the main workspace exists and the configured admin key opens it; several instances may run it at once. */
export async function ensureAdmin(db: PlatformDb, adminKey: string): Promise<void> {
  if (!(await getWorkspace(db, MAIN_WORKSPACE_ID))) {
    await createWorkspace(db, 'Main workspace', 'enterprise', MAIN_WORKSPACE_ID).catch((error: unknown) => {
      // Another instance starting at the same moment made it first.
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
    });
  }
  const found: unknown[] = await db.query(`SELECT 1 FROM api_keys WHERE key_hash = $1`, [hashKey(adminKey)]);
  if (found.length === 0) await createApiKey(db, MAIN_WORKSPACE_ID, 'ADMIN', 'bootstrap admin', adminKey);
}
