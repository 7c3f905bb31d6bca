import { createContext, useContext } from 'react';
import type { Role } from './gql/graphql';

/** The role of the signed-in key; the shell provides it, cards read it to leave out controls the key may not use. */
export const ViewerRoleContext = createContext<Role>('MEMBER');

/** Whether the key may change its workspace (settings, keys, prices, budgets): MEMBER and ADMIN. A VIEWER only reads. */
export const canChange = (role: Role): boolean => role === 'ADMIN' || role === 'MEMBER';

/** Whether the signed-in key may change things: cards show their forms and buttons only then. */
export function useCanChange(): boolean {
  return canChange(useContext(ViewerRoleContext));
}

/** The role as the header names it. */
export const ROLE_LABEL: Record<Role, string> = { ADMIN: 'Admin', MEMBER: 'Member', VIEWER: 'Viewer', INGEST: 'Ingest' };

/** What the dashboard says to an INGEST key instead of opening: it can send data and nothing else. */
export const INGEST_KEY_MESSAGE =
  'This is an ingest key: it can only send data (calls, heartbeats, agents, tools and memories), not open the dashboard. Sign in with a viewer, member or admin key to see the figures.';
