import { useEffect, useRef } from 'react';

/** Refetches whenever `signal` changes after the first render (the page bumps it when new calls land). */
export function useRefetchWhen(signal: number, refetch: () => unknown): void {
  const seen = useRef(signal);
  useEffect(() => {
    if (seen.current === signal) return;
    seen.current = signal;
    void refetch();
  }, [signal, refetch]);
}
