import { registerEnumType } from 'type-graphql';

/** Registers a list of string values as a GraphQL enum and returns the object type-graphql refers to; `describe` says what each value means. */
export function graphqlEnum<T extends string>(name: string, values: readonly T[], description?: string, describe?: (value: T) => string): Record<T, T> {
  const object = Object.fromEntries(values.map((v) => [v, v])) as Record<T, T>;
  const valuesConfig = describe ? (Object.fromEntries(values.map((v) => [v, { description: describe(v) }])) as Record<T, { description: string }>) : undefined;
  registerEnumType(object, { name, description, valuesConfig });
  return object;
}
