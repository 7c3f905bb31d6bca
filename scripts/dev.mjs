// npm run dev: the gateway (with demo data) on :4000 and Vite's dev server on :5173 proxying /graphql to it.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { buildServer, root } from './build-lib.mjs';

await buildServer();
const children = [
  spawn(process.execPath, [join(root, 'server/dist/main.js'), '--demo'], { stdio: 'inherit', cwd: root }),
  spawn('npx', ['vite'], { stdio: 'inherit', cwd: join(root, 'web') }),
];
const stop = () => children.forEach((c) => c.kill('SIGTERM'));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
