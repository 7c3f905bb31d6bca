// npm start: build what is stale, then run the gateway with demo data (TALLY_DEMO=off turns it off).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { buildServer, buildWeb, root } from './build-lib.mjs';

await buildServer();
try {
  const web = buildWeb();
  if (web === 'built') console.log('Dashboard built.');
} catch (error) {
  console.error(`The dashboard did not build (${error.message}); the API still starts.`);
}
const env = { NODE_ENV: 'production', ...process.env };
const child = spawn(process.execPath, [join(root, 'server/dist/main.js'), '--demo'], { stdio: 'inherit', cwd: root, env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
