import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema,
  getNamedType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { createInProcessPubSub } from '../src/pubsub/pubsub';
import { buildAppSchema, printAppSchema } from '../src/graphql/schema';

const root = join(__dirname, '..', '..');
const schemaPath = join(root, 'schema.graphql');
const contractPath = join(root, '..', 'shared', 'contract', 'api.graphql');
const checkContractTool = join(root, '..', 'shared', 'tools', 'check-contract.mjs');

/** The Foundation's root operations: none of them, nor any type they reach, may break the contract. */
const FOUNDATION_OPERATIONS = [
  'Query.viewer',
  'Query.llmUsage',
  'Query.llmCalls',
  'Query.usageMetrics',
  'Query.agents',
  'Query.health',
  'Mutation.trackLlmCall',
  'Mutation.trackLlmCalls',
  'Mutation.createWorkspace',
  'Mutation.createApiKey',
  'Mutation.upsertAgent',
  'Subscription.llmCallTracked',
];
const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

/** Every named type an operation's arguments and result reach, through fields, arguments, input fields and union members. */
function typesReachedBy(schema: GraphQLSchema, operations: string[]): Set<string> {
  const reached = new Set<string>();
  const visit = (type: GraphQLNamedType): void => {
    if (reached.has(type.name)) return;
    reached.add(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        visit(getNamedType(field.type));
        for (const arg of field.args) visit(getNamedType(arg.type));
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) visit(getNamedType(field.type));
    } else if (isUnionType(type)) {
      type.getTypes().forEach(visit);
    }
  };
  for (const operation of operations) {
    const [typeName, fieldName] = operation.split('.');
    const rootType = schema.getType(typeName);
    if (!isObjectType(rootType)) throw new Error(`the contract has no ${typeName} type`);
    const field = rootType.getFields()[fieldName];
    if (!field) throw new Error(`the contract has no ${operation}`);
    visit(getNamedType(field.type));
    for (const arg of field.args) visit(getNamedType(arg.type));
  }
  return reached;
}

/** The type (and field, when one is named) a graphql-js breaking-change description is about. */
function brokenItem(description: string): { type: string; field?: string } {
  const patterns: [RegExp, (m: RegExpExecArray) => { type: string; field?: string }][] = [
    [/was removed from (?:enum|union) type (\w+)\./, (m) => ({ type: m[1] })],
    [/on input type (\w+) was added\./, (m) => ({ type: m[1] })],
    [/^A required arg \w+ on (\w+)\.(\w+) was added\./, (m) => ({ type: m[1], field: m[2] })],
    [/^(\w+)\.(\w+)\b/, (m) => ({ type: m[1], field: m[2] })],
    [/^(\w+)\b/, (m) => ({ type: m[1] })],
  ];
  for (const [pattern, pick] of patterns) {
    const match = pattern.exec(description);
    if (match) return pick(match);
  }
  return { type: description };
}

describe('schema.graphql', () => {
  it('is what the server builds today (run npm run schema when this fails)', async () => {
    const built = printAppSchema(await buildAppSchema(createInProcessPubSub()));
    const committed = readFileSync(schemaPath, 'utf8');
    if (built !== committed) {
      throw new Error('schema.graphql is stale: run npm run schema and commit the result');
    }
    expect(built).toBe(committed);
  });
});

// The contract lives beside the repository, in the team's shared folder; a clone on its own has
// no such folder, and then says so with one skipped test instead of failing (CI has the folder).
const describeContract = existsSync(contractPath) ? describe : () =>
  it.skip(`checks schema.graphql against the public contract: skipped, ${contractPath} is not in this checkout`, () => undefined);

describeContract('the public contract', () => {
  const contract = buildSchema(readFileSync(contractPath, 'utf8'));
  const foundationTypes = typesReachedBy(contract, FOUNDATION_OPERATIONS);

  const breaks = (): { kind: string; description: string }[] => {
    const run = spawnSync(process.execPath, [checkContractTool, schemaPath], { cwd: root, encoding: 'utf8' });
    if (run.status !== 0 && run.status !== 1) throw new Error(`check-contract could not run (exit ${run.status}): ${run.stderr}`);
    const lines = run.stdout.trim().split('\n');
    expect(lines[lines.length - 1]).toMatch(/^\d+\/\d+ contract items kept, \d+ broken$/);
    return lines.slice(0, -1).map((line) => {
      const at = line.indexOf(': ');
      return { kind: line.slice(0, at), description: line.slice(at + 2) };
    });
  };

  it('reaches the types the Foundation operations use, so the check below covers them', () => {
    for (const type of ['LlmCall', 'LlmCallInput', 'Agent', 'ModelUsageStats', 'MetricsQueryInput', 'Metric', 'Viewer', 'Workspace', 'Health']) {
      expect(foundationTypes).toContain(type);
    }
  });

  it('is kept by every Foundation operation and every type they use', () => {
    const foundationBreaks = breaks().filter(({ description }) => {
      const { type, field } = brokenItem(description);
      if (ROOT_TYPES.has(type)) return FOUNDATION_OPERATIONS.includes(`${type}.${field}`);
      return foundationTypes.has(type);
    });
    expect(foundationBreaks).toEqual([]);
  });

  it('is kept whole: every type, field, argument and enum value of the contract', () => {
    expect(breaks()).toEqual([]);
  });

  it.each([
    ['Query.llmCalls was removed.', { type: 'Query', field: 'llmCalls' }],
    ['LlmCall.totalCost changed type from Float! to Float.', { type: 'LlmCall', field: 'totalCost' }],
    ['LlmCall was removed.', { type: 'LlmCall' }],
    ['ROLLUP was removed from enum type MetricsSource.', { type: 'MetricsSource' }],
    ['A required field extra on input type UsageFilter was added.', { type: 'UsageFilter' }],
    ['A required arg extra on Query.agents was added.', { type: 'Query', field: 'agents' }],
    ['Query.usageMetrics arg query has changed type from MetricsQueryInput! to String!.', { type: 'Query', field: 'usageMetrics' }],
  ])('attributes the break "%s" to the item it is about', (description, item) => {
    expect(brokenItem(description)).toEqual(item);
  });
});
