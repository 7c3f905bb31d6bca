import type { Client } from 'graphql-ws';

/**
 * Subscribes and hands out the events one at a time, in order, as a test asks for them:
 * `const next = events(client, query); expect(await next()).toEqual(…)`. Errors fail the wait.
 */
export function events<T>(client: Client, query: string, variables: Record<string, unknown> = {}): () => Promise<T> {
  const arrived: T[] = [];
  const waiting: { resolve: (value: T) => void; reject: (error: Error) => void }[] = [];
  let failure: Error | undefined;
  client.subscribe<T>(
    { query, variables },
    {
      next: (value) => {
        if (value.errors) return void fail(new Error(JSON.stringify(value.errors)));
        const waiter = waiting.shift();
        if (waiter) waiter.resolve(value.data as T);
        else arrived.push(value.data as T);
      },
      error: (error) => fail(error instanceof Error ? error : new Error(JSON.stringify(error))),
      complete: () => undefined,
    },
  );
  function fail(error: Error): void {
    failure = error;
    for (const waiter of waiting.splice(0)) waiter.reject(error);
  }
  return () => {
    if (arrived.length > 0) return Promise.resolve(arrived.shift()!);
    if (failure) return Promise.reject(failure);
    return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  };
}
