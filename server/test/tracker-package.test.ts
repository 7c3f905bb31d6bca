import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createApiKey } from '../src/auth/auth.service';
import { createWorkspace } from '../src/workspaces/workspaces.service';
import { createTestDatabase, type TestDatabase } from './support/database';
import { compileServer, postGraphql, spawnGateway, type CompiledServer, type GatewayProcess } from './support/processes';

// The tracker as an application gets it: `npm pack` of sdk/, installed from the tarball into an
// application of its own outside the repository, sending calls to a gateway process.

const run = promisify(execFile);
const root = join(__dirname, '..', '..');
const PACKAGE = 'tally-llm-tracker';

/** The application: ESM, as it would import the package, reporting the calls of argv[2]. */
const APP_ESM = `import { createTracker } from '${PACKAGE}';
const tracker = createTracker({ url: process.env.TALLY_URL, apiKey: process.env.TALLY_API_KEY, onError: (f) => console.error(f.reason) });
for (const eventId of process.argv.slice(2)) {
  tracker.track({ eventId, modelId: 'gpt-4o', provider: 'openai', inputTokens: 1000, outputTokens: 200, latencyMs: 640, status: 'SUCCESS', requestType: 'chat' });
}
const { unsent } = await tracker.shutdown();
console.log(JSON.stringify({ unsent, ...tracker.stats() }));
`;

/** The same from CommonJS. */
const APP_CJS = `const { createTracker } = require('${PACKAGE}');
const tracker = createTracker({ url: process.env.TALLY_URL, apiKey: process.env.TALLY_API_KEY });
tracker.track({ eventId: process.argv[2], modelId: 'gpt-4o-mini', provider: 'openai', inputTokens: 10, outputTokens: 2, latencyMs: 90, status: 'SUCCESS', requestType: 'chat' });
tracker.shutdown().then(() => console.log(JSON.stringify(tracker.stats())));
`;

/** A TypeScript application, checked against the types in the tarball. */
const APP_TS = `import { createTracker, type LlmCallInput, type TrackerOptions } from '${PACKAGE}';
const options: TrackerOptions = { url: 'http://localhost:4000', apiKey: 'key', batchSize: 10 };
const call: LlmCallInput = { modelId: 'gpt-4o', provider: 'openai', inputTokens: 1, outputTokens: 1, latencyMs: 1, status: 'SUCCESS', requestType: 'chat' };
createTracker(options).track(call);
// @ts-expect-error a status the gateway does not know
createTracker(options).track({ ...call, status: 'MAYBE' });
`;

let database: TestDatabase;
let compiled: CompiledServer;
let gateway: GatewayProcess;
let app: string;
let tarballFiles: string[];

/** Packs sdk/ and installs the tarball into the application's folder, `app`. */
async function installPackage(): Promise<void> {
  const packed = await run('npm', ['pack', '-w', 'sdk', '--pack-destination', app, '--json'], { cwd: root });
  const [tarball] = JSON.parse(packed.stdout) as { filename: string; name: string; files: { path: string }[] }[];
  tarballFiles = tarball.files.map((f) => f.path);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'an-application', version: '1.0.0', private: true }));
  await run('npm', ['install', '--no-audit', '--no-fund', '--offline', join(app, tarball.filename)], { cwd: app });
  writeFileSync(join(app, 'app.mjs'), APP_ESM);
  writeFileSync(join(app, 'app.cjs'), APP_CJS);
  writeFileSync(join(app, 'app.ts'), APP_TS);
}

beforeAll(async () => {
  app = mkdtempSync(join(tmpdir(), 'tally-tracker-app-'));
  // npm works in processes of its own while the gateway is built and started.
  const installed = installPackage();
  installed.catch(() => undefined);
  database = await createTestDatabase();
  compiled = compileServer();
  gateway = await spawnGateway(compiled.main, { databaseUrl: database.url });
  await installed;
});

afterAll(async () => {
  await gateway?.stop();
  compiled?.dispose();
  await database?.dispose();
  rmSync(app, { recursive: true, force: true });
});

it('packs built JavaScript, its types and package.json, and neither sources nor tests', () => {
  expect(tarballFiles).toEqual(expect.arrayContaining(['package.json', 'dist/index.js', 'dist/index.d.ts', 'dist/tracker.js', 'dist/tracker.d.ts']));
  expect(tarballFiles.filter((path) => !path.startsWith('dist/') && path !== 'package.json' && path !== 'README.md')).toEqual([]);
});

it('sends the calls of an application that installed the tarball, from ESM and from CommonJS', async () => {
  const workspace = await createWorkspace(database.platform, 'Packaged tracker', 'pro');
  const key = await createApiKey(database.platform, workspace.id, 'MEMBER', null);
  const env = { ...process.env, TALLY_URL: `http://127.0.0.1:${gateway.port}`, TALLY_API_KEY: key };
  const esm = await run(process.execPath, ['app.mjs', 'pkg-1', 'pkg-2', 'pkg-3'], { cwd: app, env });
  expect(JSON.parse(esm.stdout)).toMatchObject({ unsent: 0, accepted: 3, failed: 0, dropped: 0 });
  const cjs = await run(process.execPath, ['app.cjs', 'pkg-4'], { cwd: app, env });
  expect(JSON.parse(cjs.stdout)).toMatchObject({ accepted: 1 });

  const stored = await postGraphql(gateway.url, key, '{ llmCalls(period: LAST_24H) { eventId modelId totalCost } }');
  const calls = (stored.data as { llmCalls: { eventId: string; modelId: string; totalCost: number }[] }).llmCalls;
  expect(calls.map((c) => c.eventId).sort()).toEqual(['pkg-1', 'pkg-2', 'pkg-3', 'pkg-4']);
  // gpt-4o: $2.50 input, $10 output per million tokens
  expect(calls.find((c) => c.eventId === 'pkg-1')!.totalCost).toBeCloseTo((1000 * 2.5 + 200 * 10) / 1e6, 12);
});

it('gives a TypeScript application the types of the package', async () => {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const checked = await run(
    process.execPath,
    [tsc, '--noEmit', '--strict', '--module', 'node16', '--moduleResolution', 'node16', '--target', 'es2022', '--typeRoots', join(root, 'node_modules', '@types'), '--types', 'node', 'app.ts'],
    { cwd: app },
  ).catch((error: { stdout: string }) => ({ stdout: error.stdout, failed: true }));
  expect(checked.stdout).toBe('');
});
