/** The admin's workspace scope: the header switcher and the hooks that keep session, URL and storage in step. */
export { WorkspaceSwitcher } from './WorkspaceSwitcher';
export { WorkspaceScopeContext, useCommittedScope, useScopeControl } from './scope-context';
export { useFallBackToOwnScope, useScopeFromUrl } from './use-scope-from-url';
export {
  ALL_WORKSPACES,
  SCOPE_PARAM,
  describeScope,
  isScopeRefusal,
  openingScope,
  paramForScope,
  prepareScopeOptions,
  scopeFromParam,
  type ScopeOption,
  type ScopeOptions,
  type WorkspaceChoice,
} from './workspace-scope';
