import { createContext, useContext, useSyncExternalStore } from 'react';
import type { WorkspaceScopeControl } from '../../apollo';

const ownWorkspaceOnly: WorkspaceScopeControl = {
  current: () => null,
  subscribe: () => () => {},
  change: async () => {},
};

/** The session's workspace scope: what the cache holds answers for, and the way to change it. */
export const WorkspaceScopeContext = createContext<WorkspaceScopeControl>(ownWorkspaceOnly);

/** The session's scope control. */
export function useScopeControl(): WorkspaceScopeControl {
  return useContext(WorkspaceScopeContext);
}

/** The scope the cache holds answers for (null: the key's own workspace), re-rendering when it changes. */
export function useCommittedScope(): string | null {
  const control = useScopeControl();
  return useSyncExternalStore(control.subscribe, control.current, control.current);
}
