import { GraphQLScalarType, Kind } from 'graphql';
import { GraphQLDateTime, GraphQLJSON, GraphQLSafeInt } from 'graphql-scalars';

export { GraphQLDateTime as DateTimeScalar, GraphQLJSON as JSONScalar, GraphQLSafeInt as SafeIntScalar };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function checkDate(value: unknown): string {
  if (typeof value !== 'string' || !DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new TypeError(`Date must be a string YYYY-MM-DD, but got ${JSON.stringify(value)}`);
  }
  return value;
}

/** A calendar date, YYYY-MM-DD, in the timezone the query asked for; carried as a string. */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'A calendar date YYYY-MM-DD in the requested timezone.',
  serialize: checkDate,
  parseValue: checkDate,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new TypeError(`Date must be a string YYYY-MM-DD, but got a ${ast.kind}`);
    return checkDate(ast.value);
  },
});
