// node scripts/build.mjs [--server]: the server, and (without --server) the dashboard when stale.
import { buildServer, buildWeb } from './build-lib.mjs';

const started = Date.now();
const count = await buildServer();
console.log(`server: ${count} files compiled in ${Date.now() - started} ms`);
if (!process.argv.includes('--server')) {
  console.log('web: checking the dashboard build…');
  console.log(`web: ${buildWeb()}`);
}
