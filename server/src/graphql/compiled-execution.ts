import type { GatewayInterface } from '@apollo/server-gateway-interface';
import { GraphQLError, printSchema, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { LRUCache } from 'lru-cache';

/** Distinct documents kept compiled: a dashboard sends a few dozen; integrators' own add to them. */
const COMPILED_DOCUMENTS = 1000;

/**
 * graphql-jit's errors lack what graphql-js's carry (`extensions` is missing when the thrown error
 * had none, and Apollo reads its `code`): each becomes a graphql-js error with the same message,
 * locations, path and original error.
 */
function asGraphqlJsError(error: GraphQLError): GraphQLError {
  const made = new GraphQLError(error.message, { path: error.path, originalError: error.originalError ?? undefined, extensions: error.extensions ?? undefined });
  Object.assign(made, { locations: error.locations });
  return made;
}

/**
 * Executes HTTP operations with graphql-jit: each document is compiled once into a function that
 * resolves and completes its fields without graphql-js's per-field interpretation (10,000 rows
 * of 11 fields: most of an answer's time outside PostgreSQL). Apollo Server 5 takes a custom
 * executor only as a gateway's; parsing, validation (the limits), plugins, error formatting and
 * the HTTP answer stay Apollo's. Subscriptions over WebSocket run on graphql-js (graphql-ws).
 */
export function compiledExecution(schema: GraphQLSchema): GatewayInterface {
  const compiled = new LRUCache<string, CompiledQuery>({ max: COMPILED_DOCUMENTS });
  return {
    async load() {
      return {
        executor: async ({ source, document, operationName, request, context }) => {
          const key = `${operationName ?? ''}\u0000${source}`;
          let query = compiled.get(key);
          if (!query) {
            const made = compileQuery(schema, document, operationName ?? undefined);
            // A document that cannot run (an operation name it lacks) answers its errors as execution would.
            if (!isCompiledQuery(made)) return made as ExecutionResult;
            compiled.set(key, made);
            query = made;
          }
          const result = await query.query(undefined, context, request.variables ?? {});
          return result.errors ? { ...result, errors: result.errors.map(asGraphqlJsError) } : result;
        },
      };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return () => undefined;
    },
    async stop() {},
  };
}
