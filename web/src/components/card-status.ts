import type { ReactNode } from 'react';

/** What a card shows: a placeholder while loading, an error with a retry, an empty state saying what to do, or its content. */
export type CardStatus =
  | { kind: 'loading' }
  | { kind: 'error'; message: string; retry: () => void }
  | { kind: 'empty'; message: ReactNode }
  | { kind: 'ready' };

/** The inputs a card's status is decided from: a query's state and whether its prepared data is empty. */
export interface CardStatusInput {
  loading: boolean;
  error: Error | null | undefined;
  /** Whether an answer has arrived (a refetch keeps showing the last one). */
  hasData: boolean;
  isEmpty: boolean;
  emptyMessage: ReactNode;
  retry: () => void;
}

/**
 * A card's status. Data already on screen stays while a refetch runs; an error replaces it only
 * when there is no data to show, so a passing network hiccup does not blank a chart.
 */
export function cardStatus(input: CardStatusInput): CardStatus {
  if (input.hasData) {
    return input.isEmpty ? { kind: 'empty', message: input.emptyMessage } : { kind: 'ready' };
  }
  if (input.error) return { kind: 'error', message: describeError(input.error), retry: input.retry };
  if (input.loading) return { kind: 'loading' };
  return { kind: 'empty', message: input.emptyMessage };
}

/** A query's state as useQuery gives it. */
export interface QueryState {
  loading: boolean;
  error?: Error | null;
  refetch(): unknown;
}

/**
 * The status of a card drawn from what one query answered: `hasData` once the answer has arrived
 * (prepared for drawing), `isEmpty` when there is nothing in it to draw.
 */
export function queryCardStatus(query: QueryState, { hasData, isEmpty }: { hasData: boolean; isEmpty: boolean }, emptyMessage: ReactNode): CardStatus {
  return cardStatus({ loading: query.loading, error: query.error, hasData, isEmpty, emptyMessage, retry: () => void query.refetch() });
}

/** The status of a card that lists one query's rows: `rows` is null until the answer has arrived. */
export function listCardStatus(query: QueryState, rows: readonly unknown[] | null, emptyMessage: ReactNode): CardStatus {
  return queryCardStatus(query, { hasData: rows !== null, isEmpty: rows?.length === 0 }, emptyMessage);
}

/** An error in words a dashboard user can act on: the gateway's own message, or what went wrong on the way. */
export function describeError(error: Error): string {
  const message = error.message || String(error);
  if (/Failed to fetch|NetworkError|Load failed|ECONNREFUSED/i.test(message)) {
    return 'The gateway could not be reached. Check that it is running, then retry.';
  }
  const status = /status code (\d{3})/.exec(message)?.[1];
  if (status) return `The gateway answered with HTTP ${status}. Retry in a moment.`;
  return message;
}
