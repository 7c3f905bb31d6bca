/**
 * The API key the dashboard signs its requests with, kept in localStorage. A link printed by
 * `npm start` carries it in the fragment (`#key=…`); the app takes it from there on first load
 * and removes it from the address bar, so it does not linger in history or screenshots.
 */

const KEY_STORAGE = 'tally.apiKey';
const WORKSPACE_STORAGE = 'tally.workspaceId';

function read(name: string): string | null {
  try {
    return localStorage.getItem(name);
  } catch {
    return null;
  }
}

function write(name: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(name);
    else localStorage.setItem(name, value);
  } catch {
    // Storage may be blocked (private mode): the key then lasts for this page only.
  }
}

/** The stored API key, or null. */
export function storedKey(): string | null {
  return read(KEY_STORAGE)?.trim() || null;
}

/** Stores the key (null forgets it). */
export function storeKey(key: string | null): void {
  write(KEY_STORAGE, key?.trim() || null);
}

/**
 * The workspace scope an admin chose ("__all__" or a workspace id), sent as X-Workspace-ID and
 * in connection_init; null means the key's own workspace.
 */
export function storedWorkspaceId(): string | null {
  return read(WORKSPACE_STORAGE) || null;
}

/** Stores the admin's scope choice (null: the key's own workspace). */
export function storeWorkspaceId(workspaceId: string | null): void {
  write(WORKSPACE_STORAGE, workspaceId);
}

/** The key a `#key=…` fragment carries, or null when the hash carries none. */
export function keyFromFragment(hash: string): string | null {
  const match = /^#key=([^&]*)/.exec(hash);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]).trim() || null;
  } catch {
    return null;
  }
}

/** Takes a key from the address bar into storage and removes it from the URL; true when there was one. */
export function adoptKeyFromLocation(): boolean {
  const key = keyFromFragment(window.location.hash);
  if (!key) return false;
  storeKey(key);
  window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}`);
  return true;
}
