import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInProcessPubSub } from '../pubsub/pubsub';
import { buildAppSchema, printAppSchema } from './schema';

/** `npm run schema`: writes schema.graphql at the repository root. */
async function main(): Promise<void> {
  const schema = await buildAppSchema(createInProcessPubSub());
  const path = join(__dirname, '..', '..', '..', 'schema.graphql');
  writeFileSync(path, printAppSchema(schema));
  process.stdout.write(`wrote ${path}\n`);
}

void main();
