import { useEffect } from 'react';
import type { Viewer } from '../../pages';
import { hashFor, navigate, parseHash, type Route } from '../../routing';
import { storeWorkspaceId } from '../../session';
import { useCommittedScope, useScopeControl } from './scope-context';
import { paramForScope, scopeFromParam, SCOPE_PARAM } from './workspace-scope';

function replaceScopeParam(value: string | null): void {
  const { page, detail, params } = parseHash(window.location.hash);
  if (value === null) params.delete(SCOPE_PARAM);
  else params.set(SCOPE_PARAM, value);
  navigate(hashFor(page, params, detail), { replace: true });
}

/**
 * Keeps the session's scope, the URL's `scope` parameter and localStorage in step. For an
 * admin the URL leads (a shared link or the back button changes the scope; a URL without one
 * gets the current scope written in); a member has no scope to choose, so the parameter is
 * dropped. Returns the scope the cache holds answers for, to key the page by.
 */
export function useScopeFromUrl(viewer: Viewer, route: Route): string | null {
  const control = useScopeControl();
  const committed = useCommittedScope();
  const isAdmin = viewer.role === 'ADMIN';
  const ownId = viewer.workspace.id;
  const param = route.params.get(SCOPE_PARAM);
  // The page is a dependency too: a redirect to the default page replaces the whole hash.
  const page = route.page;
  useEffect(() => {
    if (!isAdmin) {
      if (param !== null) replaceScopeParam(null);
      return;
    }
    const wanted = scopeFromParam(param, ownId);
    if (wanted === undefined) {
      replaceScopeParam(paramForScope(control.current()));
      return;
    }
    if (paramForScope(wanted) !== param) replaceScopeParam(paramForScope(wanted));
    storeWorkspaceId(wanted);
    void control.change(wanted);
  }, [isAdmin, ownId, param, page, control]);
  return committed;
}

/**
 * When the gateway refuses the scope itself (a member's key with a scope left from an admin's
 * session, or a workspace that no longer exists), goes back to the key's own workspace, in the
 * session, localStorage and the URL, instead of leaving the dashboard unable to start.
 */
export function useFallBackToOwnScope(refused: boolean): void {
  const control = useScopeControl();
  useEffect(() => {
    if (!refused || control.current() === null) return;
    storeWorkspaceId(null);
    if (parseHash(window.location.hash).params.has(SCOPE_PARAM)) replaceScopeParam(paramForScope(null));
    void control.change(null);
  }, [refused, control]);
}
