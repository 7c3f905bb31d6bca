import { ApolloClient, ApolloLink, InMemoryCache, Observable } from '@apollo/client';

/** A client whose requests stay in flight, each noted as "operation variables". */
export function recordingClient(): { client: ApolloClient; sent: string[] } {
  const sent: string[] = [];
  const link = new ApolloLink((operation) => {
    sent.push(`${operation.operationName} ${JSON.stringify(operation.variables)}`);
    return new Observable(() => undefined);
  });
  return { client: new ApolloClient({ link, cache: new InMemoryCache() }), sent };
}
