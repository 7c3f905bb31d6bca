/**
 * The workspace scope an admin looks through, as it appears in three places: the X-Workspace-ID
 * header (and connection_init), which is `null` for the key's own workspace, `"__all__"`, or a
 * workspace id; the URL's `scope` parameter ("mine", "all" or the id), so a view with its scope
 * is a link; and the switcher's options.
 */

/** X-Workspace-ID's value for every workspace at once. */
export const ALL_WORKSPACES = '__all__';

/** The URL parameter that carries the scope. */
export const SCOPE_PARAM = 'scope';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The scope a URL parameter names: null for the key's own workspace ("mine", or the own
 * workspace's id), "__all__" for "all", a workspace id as itself; undefined when the parameter is
 * missing or names nothing a scope can be (so the caller keeps the scope it has).
 */
export function scopeFromParam(param: string | null, ownWorkspaceId: string): string | null | undefined {
  if (param === null) return undefined;
  const value = param.trim();
  if (value === 'mine') return null;
  if (value === 'all') return ALL_WORKSPACES;
  if (!UUID.test(value)) return undefined;
  const id = value.toLowerCase();
  return id === ownWorkspaceId.toLowerCase() ? null : id;
}

/**
 * The scope a session opens in, before its key is checked (so before the key's own workspace is
 * known): the address's `scope` parameter when it names one, since an admin's link leads, else
 * the stored choice. The opening page's queries then go out in the scope the page will show,
 * instead of being sent again once the address is read. A member's key sent with a scope is
 * refused and falls back to its own workspace (useFallBackToOwnScope).
 */
export function openingScope(param: string | null, stored: string | null): string | null {
  const fromAddress = scopeFromParam(param, '');
  return fromAddress === undefined ? stored : fromAddress;
}

/** The URL parameter for a scope: "mine", "all" or the workspace id. */
export function paramForScope(workspaceId: string | null): string {
  if (workspaceId === null) return 'mine';
  return workspaceId === ALL_WORKSPACES ? 'all' : workspaceId;
}

/** How many workspaces the switcher asks the server for at once: it is searched, not scrolled. */
export const SWITCHER_MATCHES = 20;

/** A workspace the switcher can offer. */
export interface WorkspaceChoice {
  id: string;
  name: string;
  plan: string;
}

/** One entry of the switcher. */
export interface ScopeOption {
  /** The URL parameter the entry stands for ("mine", "all", an id). */
  value: string;
  label: string;
  group: 'scope' | 'workspace';
}

/** The switcher's entries and which one is chosen. */
export interface ScopeOptions {
  options: ScopeOption[];
  selected: string;
}

/**
 * "My workspace (name)", "All workspaces", then every other workspace offered by name with its
 * plan. A chosen workspace that is not (or not yet) in the list still gets an entry (named as
 * it was picked, when it was), so the control never claims a scope other than the one the data is in.
 */
export function prepareScopeOptions(
  workspaces: readonly WorkspaceChoice[] | null,
  own: { id: string; name: string },
  current: string | null,
  picked: ScopeOption | null = null,
): ScopeOptions {
  const options: ScopeOption[] = [
    { value: 'mine', label: `My workspace (${own.name})`, group: 'scope' },
    { value: 'all', label: 'All workspaces', group: 'scope' },
  ];
  const others = (workspaces ?? [])
    .filter((workspace) => workspace.id !== own.id)
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  for (const workspace of others) {
    options.push({ value: workspace.id, label: `${workspace.name} · ${workspace.plan}`, group: 'workspace' });
  }
  const selected = paramForScope(current);
  if (!options.some((option) => option.value === selected)) {
    options.push(picked?.value === selected ? picked : { value: selected, label: `Workspace ${selected.slice(0, 8)}…`, group: 'workspace' });
  }
  return { options, selected };
}

/** The scope in words, for the header and captions: "My workspace", "All workspaces", "Acme". */
export function describeScope(current: string | null, workspaces: readonly WorkspaceChoice[] | null): string {
  if (current === null) return 'My workspace';
  if (current === ALL_WORKSPACES) return 'All workspaces';
  return workspaces?.find((workspace) => workspace.id === current)?.name ?? `Workspace ${current.slice(0, 8)}…`;
}

/**
 * Whether an error refuses the scope itself (a member's key with X-Workspace-ID, or an id that
 * names no workspace), so the app falls back to the key's own workspace instead of failing.
 */
export function isScopeRefusal(error: unknown): boolean {
  const errors = (error as { errors?: readonly { message?: string; extensions?: Record<string, unknown> }[] } | null)?.errors;
  if (!Array.isArray(errors)) return false;
  return errors.some((e) => ['FORBIDDEN', 'BAD_USER_INPUT'].includes(String(e.extensions?.code)) && /X-Workspace-ID/.test(e.message ?? ''));
}
