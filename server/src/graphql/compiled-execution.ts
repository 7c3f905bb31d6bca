import type { GatewayInterface } from '@apollo/server-gateway-interface';
import { execute, GraphQLError, printSchema, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { LRUCache } from 'lru-cache';

/** Distinct documents kept compiled: a dashboard sends a few dozen; integrators' own add to them. */
const COMPILED_DOCUMENTS = 500;
/** Documents remembered as seen once: compiling costs more than one execution, so a document is compiled when it comes again. */
const SEEN_DOCUMENTS = 5000;

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
 * Executes HTTP operations with graphql-jit: a document sent again is compiled once into a
 * function that resolves and completes its fields without graphql-js's per-field interpretation
 * (10,000 rows of 11 fields: most of an answer's time outside PostgreSQL). A document seen for
 * the first time runs on graphql-js: one-off documents (literals written into the query) never
 * pay for a compilation. Apollo Server 5 takes a custom executor only as a gateway's; parsing,
 * validation (the limits), plugins, error formatting and the HTTP answer stay Apollo's.
 * Subscriptions over WebSocket run on graphql-js (graphql-ws).
 */
export function compiledExecution(schema: GraphQLSchema): GatewayInterface {
  const compiled = new LRUCache<string, CompiledQuery>({ max: COMPILED_DOCUMENTS });
  const seen = new LRUCache<string, true>({ max: SEEN_DOCUMENTS });
  return {
    async load() {
      return {
        executor: async ({ source, document, operationName, request, context }) => {
          const key = `${operationName ?? ''}\u0000${source}`;
          let query = compiled.get(key);
          const interpreted = () => execute({ schema, document, operationName, contextValue: context, variableValues: request.variables });
          if (!query && !seen.has(key)) {
            seen.set(key, true);
            return interpreted();
          }
          if (!query) {
            const made = compileQuery(schema, document, operationName ?? undefined);
            // A document that cannot run (an operation name it lacks) answers what graphql-js says of it.
            if (!isCompiledQuery(made)) return interpreted();
            compiled.set(key, made);
            seen.delete(key);
            query = made;
          }
          const result = await query.query(undefined, context, request.variables ?? {});
          // No data at all: the variables were refused before anything ran; graphql-js words that
          // refusal as Apollo expects it (BAD_USER_INPUT, what arrived and what was expected).
          if (!('data' in result)) return interpreted();
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
