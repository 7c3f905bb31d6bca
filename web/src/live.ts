import { createContext, useContext, useEffect, useRef, useSyncExternalStore } from 'react';
import type { LiveConnection, LiveConnectionState } from './apollo';

const idle: LiveConnection = { state: () => 'idle', subscribe: () => () => {} };

/** The session's live (WebSocket) connection, for components that show or react to its state. */
export const LiveConnectionContext = createContext<LiveConnection>(idle);

/** The live connection's state, re-rendering when it changes. */
export function useLiveState(): LiveConnectionState {
  const live = useContext(LiveConnectionContext);
  return useSyncExternalStore(live.subscribe, live.state, live.state);
}

/** Runs `refetch` when the live connection opens again after a drop: what changed while it was down never arrived. */
export function useRefetchOnReconnect(refetch: () => unknown): void {
  const live = useLiveState();
  const lastLive = useRef(live);
  useEffect(() => {
    if (lastLive.current === 'reconnecting' && live === 'open') void refetch();
    lastLive.current = live;
  }, [live, refetch]);
}
