import { defaultFieldResolver, isObjectType, type GraphQLField, type GraphQLSchema } from 'graphql';
import { badInput } from './errors';

/**
 * What PostgreSQL can store as text or jsonb, checked before anything reaches it: no NUL
 * character (text and jsonb refuse it) and well-formed UTF-16, because a lone surrogate has no
 * UTF-8 form (node-postgres would quietly store U+FFFD in its place). Lone surrogates are
 * refused, never replaced, so what is stored is always what was sent.
 */

/** Longest string any argument may carry when its field declares no tighter limit (memory content, 20,000, is the longest that does). */
export const MAX_ARGUMENT_TEXT = 100_000;
/** Deepest nesting of arrays and objects in a JSON argument (metadata, heartbeat meta). */
export const MAX_JSON_DEPTH = 32;

/** Why `value` cannot be stored as it is, or null when it can. */
export function unstorableText(value: string, maxLength = MAX_ARGUMENT_TEXT): string | null {
  const nul = value.indexOf('\u0000');
  if (nul >= 0) return `must not contain the NUL character (\\u0000), but got one at position ${nul}`;
  // With the u flag a surrogate pair is one code point, so \p{Cs} matches only a lone half.
  const at = value.search(/\p{Cs}/u);
  if (at >= 0) {
    return `must be valid Unicode text, but got a lone surrogate \\u${value.charCodeAt(at).toString(16)} at position ${at} (lone surrogates are refused, not replaced)`;
  }
  if (value.length > maxLength) return `must be at most ${maxLength} characters, but got ${value.length}`;
  return null;
}

const describePath = (path: string, key: string | number): string =>
  typeof key === 'number' ? `${path}[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;

/** A problem found inside a value: the keys from the value down to it (innermost first), and what is wrong there. */
interface NestedProblem {
  keys: (string | number)[];
  problem: (path: string) => string;
}

/** The first problem in `value`, in the order unstorableValue reads it; its path is only made once one is found. */
function nestedProblem(value: unknown, depth: number): NestedProblem | null {
  if (typeof value === 'string') {
    const problem = unstorableText(value);
    return problem === null ? null : { keys: [], problem: (path) => `${path} ${problem}` };
  }
  if (value === null || typeof value !== 'object' || value instanceof Date) return null;
  if (depth >= MAX_JSON_DEPTH) return { keys: [], problem: (path) => `${path} must nest at most ${MAX_JSON_DEPTH} arrays or objects deep, but got more` };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nestedProblem(value[i], depth + 1);
      if (found) {
        found.keys.push(i);
        return found;
      }
    }
    return null;
  }
  const object = value as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    const keyProblem = unstorableText(key);
    if (keyProblem) return { keys: [], problem: (path) => `${path} has a key that ${keyProblem}` };
    const found = nestedProblem(object[key], depth + 1);
    if (found) {
      found.keys.push(key);
      return found;
    }
  }
  return null;
}

/**
 * The first problem found in a value of arguments or JSON, named by its path (`input.agentId`,
 * `metadata["a\u0000"]`): every string and object key is checked with unstorableText, and
 * nesting deeper than MAX_JSON_DEPTH is refused (PostgreSQL's jsonb parser has a depth limit of its own).
 */
export function unstorableValue(value: unknown, path: string, depth = 0): string | null {
  const found = nestedProblem(value, depth);
  if (!found) return null;
  let at = path;
  for (let k = found.keys.length - 1; k >= 0; k--) at = describePath(at, found.keys[k]);
  return found.problem(at);
}

/**
 * Field extension naming arguments whose text the field checks itself, item by item, so
 * that one bad item is rejected alone instead of failing the whole request (trackLlmCalls).
 */
export const TEXT_CHECKED_PER_ITEM = 'textCheckedPerItem';

function checkArguments(field: GraphQLField<unknown, unknown>, args: Record<string, unknown>): void {
  const own = field.extensions?.[TEXT_CHECKED_PER_ITEM];
  const skipped = Array.isArray(own) ? (own as string[]) : [];
  for (const [name, value] of Object.entries(args)) {
    if (skipped.includes(name)) continue;
    const problem = unstorableValue(value, name);
    if (problem) throw badInput(problem);
  }
}

/**
 * Puts the check in front of every field that takes arguments (queries, mutations and
 * subscriptions, root or nested), so no string that PostgreSQL cannot hold reaches a service,
 * whichever field a later change adds. Fields without arguments are left untouched: the check
 * costs nothing where there is nothing to check.
 */
export function refuseUnstorableArguments(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.args.length === 0) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context, info) => {
        checkArguments(field, args);
        return resolve(source, args, context, info);
      };
      const subscribe = field.subscribe;
      if (subscribe) {
        field.subscribe = (source, args, context, info) => {
          checkArguments(field, args);
          return subscribe(source, args, context, info);
        };
      }
    }
  }
  return schema;
}
