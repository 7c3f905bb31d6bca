import { defaultFieldResolver, type GraphQLFieldConfig, type GraphQLFieldResolver, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { audited } from '../audit/audited';
import type { Context } from '../graphql/context';
import { forbidden } from '../graphql/errors';
import { ACCESS, OPEN, refusal, type FieldRule, type RootTypeName } from './access';

type Table = typeof ACCESS;

/** The root fields of a schema, as `Query.viewer`, `Mutation.setBudget`, … */
export function rootFields(schema: GraphQLSchema): { type: RootTypeName; field: string }[] {
  const roots: [RootTypeName, GraphQLObjectType | null | undefined][] = [
    ['Query', schema.getQueryType()],
    ['Mutation', schema.getMutationType()],
    ['Subscription', schema.getSubscriptionType()],
  ];
  return roots.flatMap(([type, object]) => (object ? Object.keys(object.getFields()).map((field) => ({ type, field })) : []));
}

/** Root fields the table has no entry for, and entries that name no root field. */
export function tableGaps(schema: GraphQLSchema, table: Table = ACCESS): { missing: string[]; stale: string[] } {
  const fields = rootFields(schema).map(({ type, field }) => `${type}.${field}`);
  const entries = (Object.keys(table) as RootTypeName[]).flatMap((type) => Object.keys(table[type]).map((field) => `${type}.${field}`));
  return { missing: fields.filter((f) => !entries.includes(f)), stale: entries.filter((e) => !fields.includes(e)) };
}

/** Throws the caller's UNAUTHENTICATED or a FORBIDDEN unless its key's role is in the rule. */
export function checkAccess(rule: FieldRule, ctx: Context): void {
  if (rule.roles === OPEN) return;
  if (!ctx.auth.ok) throw ctx.auth.error;
  const { role } = ctx.auth.viewer;
  if (!rule.roles.includes(role)) throw forbidden(refusal(rule.roles, role));
}

function guarded(rule: FieldRule, resolve: GraphQLFieldResolver<unknown, Context>): GraphQLFieldResolver<unknown, Context> {
  return (root, args, ctx, info) => {
    checkAccess(rule, ctx);
    return resolve(root, args, ctx, info);
  };
}

/**
 * Puts ACCESS in front of every root field of the built schema: a subscription is checked when
 * it starts, a query or mutation each time it runs, and every mutation but ingestion runs
 * audited. Refuses a schema with a root field the table does not name, so a new field cannot
 * ship without a rule.
 */
export function enforceAccess(schema: GraphQLSchema, table: Table = ACCESS): GraphQLSchema {
  const { missing } = tableGaps(schema, table);
  if (missing.length > 0) {
    throw new Error(`no access rule for ${missing.join(', ')}: add each to ACCESS in server/src/auth/access.ts (it says how)`);
  }
  for (const { type, field } of rootFields(schema)) {
    const object = type === 'Query' ? schema.getQueryType() : type === 'Mutation' ? schema.getMutationType() : schema.getSubscriptionType();
    const config = object!.getFields()[field] as unknown as GraphQLFieldConfig<unknown, Context>;
    if (type === 'Subscription') {
      const rule = table.Subscription[field];
      if (config.subscribe) config.subscribe = guarded(rule, config.subscribe);
      else config.resolve = guarded(rule, config.resolve ?? defaultFieldResolver);
      continue;
    }
    const resolve = config.resolve ?? defaultFieldResolver;
    if (type === 'Mutation') {
      const rule = table.Mutation[field];
      config.resolve = guarded(rule, rule.audited ? audited(field, rule, resolve) : resolve);
    } else {
      config.resolve = guarded(table.Query[field], resolve);
    }
  }
  return schema;
}
