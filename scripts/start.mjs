// npm start: build what is stale, then run the gateway with demo data (TALLY_DEMO=off turns it off).
// `--main=<file>` runs an already compiled entry instead, building nothing (the tests' own copy).
//
// Ctrl-C signals the whole process group: this script and the gateway both get SIGINT. The gateway
// stops itself in order (its requests, its heartbeats, then the embedded PostgreSQL, which runs in
// a group of its own), and this script exits as the gateway did. SIGINT is not passed on: the
// gateway has it already, and a second one arriving while it exits would end it by the signal. A
// SIGTERM aimed at this script alone (a process manager's stop) is passed on.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { buildServer, buildWeb, root } from './build-lib.mjs';

const given = process.argv.find((arg) => arg.startsWith('--main='))?.slice('--main='.length);
if (!given) {
  await buildServer();
  try {
    const web = buildWeb();
    if (web === 'built') console.log('Dashboard built.');
  } catch (error) {
    console.error(`The dashboard did not build (${error.message}); the API still starts.`);
  }
}
const main = given ?? join(root, 'server/dist/main.js');
const env = { NODE_ENV: 'production', ...process.env };
const child = spawn(process.execPath, [main, '--demo'], { stdio: 'inherit', cwd: root, env });
process.on('SIGTERM', () => child.kill('SIGTERM'));
process.on('SIGINT', () => undefined); // the gateway, in this group, has it too
child.on('exit', (code, signal) => {
  if (signal) console.error(`The gateway was ended by ${signal} before it could stop itself.`);
  process.exit(code ?? (signal ? 1 : 0));
});
