import { registerEnumType } from 'type-graphql';

/** Registers a list of string values as a GraphQL enum and returns the object type-graphql refers to. */
export function graphqlEnum<T extends string>(name: string, values: readonly T[], description?: string): Record<T, T> {
  const object = Object.fromEntries(values.map((v) => [v, v])) as Record<T, T>;
  registerEnumType(object, { name, description });
  return object;
}
