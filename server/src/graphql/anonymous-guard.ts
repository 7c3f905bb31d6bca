import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type OperationDefinitionNode } from 'graphql';
import type { Context } from './context';

const SUGGESTION = / ?Did you mean .*\?/g;

function asksForSchema(operation: OperationDefinitionNode): boolean {
  return operation.selectionSet.selections.some(
    (s) => s.kind === Kind.FIELD && (s.name.value === '__schema' || s.name.value === '__type'),
  );
}

/**
 * What a caller without a valid key may learn: nothing about the schema. Introspection needs
 * a key, and "Did you mean …" hints are cut from the errors an anonymous caller gets.
 */
export function anonymousGuardPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      const anonymous = !contextValue.auth.ok;
      if (!anonymous) return;
      return {
        async didResolveOperation({ operation }) {
          if (operation && asksForSchema(operation)) {
            throw new GraphQLError('Introspection needs an API key: send "Authorization: Bearer <key>", or read schema.graphql', {
              extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
            });
          }
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          response.body.singleResult.errors = response.body.singleResult.errors.map((e) => ({ ...e, message: e.message.replace(SUGGESTION, '') }));
        },
      };
    },
  };
}
