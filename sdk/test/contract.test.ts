import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse, print, type InputObjectTypeDefinitionNode, type ObjectTypeDefinitionNode } from 'graphql';
import { LLM_CALL_INPUT_FIELDS } from '../src/contract';

const schema = parse(readFileSync(join(__dirname, '..', '..', 'schema.graphql'), 'utf8'));

function fieldsOf(name: string): Record<string, string> {
  const node = schema.definitions.find(
    (d): d is InputObjectTypeDefinitionNode | ObjectTypeDefinitionNode =>
      (d.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION || d.kind === Kind.OBJECT_TYPE_DEFINITION) && d.name.value === name,
  );
  if (!node) throw new Error(`schema.graphql has no type ${name}`);
  return Object.fromEntries((node.fields ?? []).map((f) => [f.name.value, print(f.type)]));
}

describe('the tracker against the contract', () => {
  it('declares every LlmCallInput field of schema.graphql with its type', () => {
    expect(LLM_CALL_INPUT_FIELDS).toEqual(fieldsOf('LlmCallInput'));
  });

  it('reads the TrackResult and RejectedCall fields the gateway answers with', () => {
    expect(fieldsOf('TrackResult')).toEqual({ accepted: 'Int!', duplicates: 'Int!', rejected: '[RejectedCall!]!' });
    expect(fieldsOf('RejectedCall')).toEqual({ index: 'Int!', message: 'String!' });
  });
});
