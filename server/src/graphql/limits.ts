import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule, type MaxDepthOptions } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  type GraphQLNamedType,
  type ASTVisitor,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

/** Limits every operation meets, over HTTP and WebSocket alike. */
export const QUERY_LIMITS = {
  /** Deepest field nesting; fragments add no level, and what is under `__schema` is not counted. */
  maxDepth: 15,
  /** Aliased fields in one operation once fragments are expanded. */
  maxAliases: 50,
  /** Directives in one operation once fragments are expanded. */
  maxDirectives: 50,
  /** Field selections once fragments are expanded, repeats included (introspection fields are not counted). */
  maxFields: 300,
  /** Tokens the parser reads before it gives up. */
  maxTokens: 5000,
  /** Estimated work: each field costs 1, times the size of the lists above it. */
  maxCost: 20_000,
  /** Size assumed for a list field with no `limit` argument. */
  defaultListSize: 20,
};

const tooComplex = (message: string): GraphQLError => new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COMPLEX' } });

type ArmorRejection = NonNullable<MaxDepthOptions['onReject']>[number];

/**
 * How an Armor rule reports a rejection here: in our words and code, with the count Armor found
 * (its message ends "found <n>."). Armor's own error is not propagated: it would be thrown out of
 * validation instead of reported.
 */
function reportAsTooComplex(describe: (found: number) => string) {
  const onReject: ArmorRejection = (context, armorError) => {
    const found = /found (\d+)\.$/.exec(armorError.message)?.[1];
    // The versions are pinned and limits.test.ts checks each message, so this fires only after an upgrade changed Armor's wording.
    if (!context || found === undefined) throw new Error(`GraphQL Armor rejected an operation in words this gateway cannot read: ${armorError.message}`);
    context.reportError(tooComplex(describe(Number(found))));
  };
  return { exposeLimits: true, propagateOnRejection: false, onReject: [onReject] };
}

const maxDirectives = maxDirectivesRule({
  n: QUERY_LIMITS.maxDirectives,
  ...reportAsTooComplex((found) => `A document may use at most ${QUERY_LIMITS.maxDirectives} directives, but this one uses ${found}`),
});

const maxAliases = maxAliasesRule({
  n: QUERY_LIMITS.maxAliases,
  // Armor lets `__typename` be aliased freely by default; an alias of it is answered like any other.
  allowList: [],
  ...reportAsTooComplex((found) => `A document may use at most ${QUERY_LIMITS.maxAliases} aliases, but this one uses ${found}`),
});

const maxDepth = maxDepthRule({
  n: QUERY_LIMITS.maxDepth,
  // A fragment is a way of writing a selection, not a level of the answer.
  flattenFragments: true,
  // Introspection is answered from the schema in memory: however deep, it reads no data.
  ignoreIntrospection: true,
  ...reportAsTooComplex((found) => `A query may nest at most ${QUERY_LIMITS.maxDepth} fields deep, but this one goes ${found} deep`),
});

interface Selections {
  fields: number;
  cost: number;
}

/**
 * The field selections of one operation with fragments expanded, and their cost. A fragment cycle
 * is left to graphql-js's own NoFragmentCycles rule (the walk stops there).
 */
function countSelections(context: ValidationContext, root: GraphQLNamedType | null | undefined, selectionSet: SelectionSetNode): Selections {
  const schema = context.getSchema();
  const totals: Selections = { fields: 0, cost: 0 };
  const visit = (parent: GraphQLNamedType | null | undefined, set: SelectionSetNode, multiplier: number, seen: Set<string>): void => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        totals.fields++;
        totals.cost += multiplier;
        if (totals.fields > QUERY_LIMITS.maxFields * 4) return;
        if (!selection.selectionSet) continue;
        const definition = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[selection.name.value] : undefined;
        let size = 1;
        if (definition && isListType(getNullableType(definition.type))) {
          const limitArg = selection.arguments?.find((a) => a.name.value === 'limit');
          size = limitArg && limitArg.value.kind === Kind.INT ? Math.max(1, Number(limitArg.value.value)) : QUERY_LIMITS.defaultListSize;
        }
        visit(definition ? getNamedType(definition.type) : null, selection.selectionSet, Math.min(multiplier * size, 1e9), seen);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const typed = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        visit(typed, selection.selectionSet, multiplier, seen);
      } else {
        const name = selection.name.value;
        const fragment = context.getFragment(name);
        if (!fragment || seen.has(name)) continue;
        visit(schema.getType(fragment.typeCondition.name.value), fragment.selectionSet, multiplier, new Set(seen).add(name));
      }
    }
  };
  visit(root, selectionSet, 1, new Set());
  return totals;
}

/**
 * Rejects an operation that selects too many fields or is estimated to cost too much. Armor has no
 * field count, and its cost limit weighs a field by its kind and depth, not by the sizes of the lists above it.
 */
const fieldsAndCost: ValidationRule = (context: ValidationContext): ASTVisitor => ({
  OperationDefinition(operation) {
    const { fields, cost } = countSelections(context, context.getSchema().getRootType(operation.operation), operation.selectionSet);
    if (fields > QUERY_LIMITS.maxFields) {
      context.reportError(tooComplex(`A query may select at most ${QUERY_LIMITS.maxFields} fields (repeats count), but this one selects ${fields}`));
    } else if (cost > QUERY_LIMITS.maxCost) {
      context.reportError(tooComplex(`A query may cost at most ${QUERY_LIMITS.maxCost}, but this one is estimated at ${cost}`));
    }
  },
});

/** Rejects operations too deep, too aliased, with too many directives, too wide or too costly, with a message naming the limit. */
export const LIMIT_RULES: ValidationRule[] = [maxDirectives, maxAliases, maxDepth, fieldsAndCost];
