import { createContext, useContext, useSyncExternalStore } from 'react';
import type { LiveConnection, LiveConnectionState } from './apollo';

const idle: LiveConnection = { state: () => 'idle', subscribe: () => () => {} };

/** The session's live (WebSocket) connection, for components that show or react to its state. */
export const LiveConnectionContext = createContext<LiveConnection>(idle);

/** The live connection's state, re-rendering when it changes. */
export function useLiveState(): LiveConnectionState {
  const live = useContext(LiveConnectionContext);
  return useSyncExternalStore(live.subscribe, live.state, live.state);
}
