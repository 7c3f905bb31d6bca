import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  type GraphQLNamedType,
  type GraphQLSchema,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

/** Limits every operation meets, over HTTP and WebSocket alike. */
export const QUERY_LIMITS = {
  /** Deepest field nesting (introspection fields are not counted). */
  maxDepth: 15,
  /** Aliased fields in one document. */
  maxAliases: 50,
  /** Directives in one document. */
  maxDirectives: 50,
  /** Field selections once fragments are expanded, repeats included. */
  maxFields: 300,
  /** Tokens the parser reads before it gives up. */
  maxTokens: 5000,
  /** Estimated work: each field costs 1, times the size of the lists above it. */
  maxCost: 20_000,
  /** Size assumed for a list field with no `limit` argument. */
  defaultListSize: 20,
};

const tooComplex = (message: string): GraphQLError => new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COMPLEX' } });

interface Walk {
  depth: number;
  fields: number;
  cost: number;
}

/**
 * One pass over each operation with fragments expanded: depth, field count and cost.
 * A fragment cycle is left to graphql-js's own NoFragmentCycles rule (the walk stops there).
 */
function walkOperation(
  schema: GraphQLSchema,
  root: GraphQLNamedType | null | undefined,
  selectionSet: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
): Walk {
  const totals: Walk = { depth: 0, fields: 0, cost: 0 };
  const visit = (parent: GraphQLNamedType | null | undefined, set: SelectionSetNode, depth: number, multiplier: number, seen: Set<string>): void => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        totals.fields++;
        totals.cost += multiplier;
        totals.depth = Math.max(totals.depth, depth);
        if (totals.fields > QUERY_LIMITS.maxFields * 4) return;
        if (!selection.selectionSet) continue;
        const definition = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[selection.name.value] : undefined;
        let size = 1;
        if (definition && isListType(getNullableType(definition.type))) {
          const limitArg = selection.arguments?.find((a) => a.name.value === 'limit');
          size = limitArg && limitArg.value.kind === Kind.INT ? Math.max(1, Number(limitArg.value.value)) : QUERY_LIMITS.defaultListSize;
        }
        visit(definition ? getNamedType(definition.type) : null, selection.selectionSet, depth + 1, Math.min(multiplier * size, 1e9), seen);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const typed = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        visit(typed, selection.selectionSet, depth, multiplier, seen);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || seen.has(name)) continue;
        visit(schema.getType(fragment.typeCondition.name.value), fragment.selectionSet, depth, multiplier, new Set(seen).add(name));
      }
    }
  };
  visit(root, selectionSet, 1, 1, new Set());
  return totals;
}

/** Rejects documents that are too deep, too wide, too aliased or too costly, with a message naming the limit. */
export const complexityRule: ValidationRule = (context: ValidationContext): ASTVisitor => {
  const document = context.getDocument();
  const fragments = new Map<string, FragmentDefinitionNode>();
  let aliases = 0;
  let directives = 0;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return {
    Field(node) {
      if (node.alias) aliases++;
    },
    Directive() {
      directives++;
    },
    Document: {
      leave() {
        if (directives > QUERY_LIMITS.maxDirectives) {
          context.reportError(tooComplex(`A document may use at most ${QUERY_LIMITS.maxDirectives} directives, but this one uses ${directives}`));
        }
        if (aliases > QUERY_LIMITS.maxAliases) {
          context.reportError(tooComplex(`A document may use at most ${QUERY_LIMITS.maxAliases} aliases, but this one uses ${aliases}`));
        }
        for (const definition of document.definitions) {
          if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
          const schema = context.getSchema();
          const walk = walkOperation(schema, schema.getRootType(definition.operation), definition.selectionSet, fragments);
          if (walk.depth > QUERY_LIMITS.maxDepth) {
            context.reportError(tooComplex(`A query may nest at most ${QUERY_LIMITS.maxDepth} fields deep, but this one goes ${walk.depth} deep`));
          } else if (walk.fields > QUERY_LIMITS.maxFields) {
            context.reportError(
              tooComplex(`A query may select at most ${QUERY_LIMITS.maxFields} fields (repeats count), but this one selects ${walk.fields}`),
            );
          } else if (walk.cost > QUERY_LIMITS.maxCost) {
            context.reportError(tooComplex(`A query may cost at most ${QUERY_LIMITS.maxCost}, but this one is estimated at ${walk.cost}`));
          }
        }
      },
    },
  };
};

export const LIMIT_RULES: ValidationRule[] = [complexityRule];
