// Compiles the server (TypeScript -> CommonJS with swc: a second or two, no type checks;
// `npm run typecheck` does those) and builds the dashboard with Vite when its sources changed.
import { transformFile } from '@swc/core';
import { readdirSync, statSync, mkdirSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs', ignoreDynamic: true },
  sourceMaps: 'inline',
};

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** Compiles server/src into `out` (default server/dist); returns the number of files. */
export async function buildServer(out = join(root, 'server/dist')) {
  const src = join(root, 'server/src');
  rmSync(out, { recursive: true, force: true });
  const files = walk(src).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'));
  await Promise.all(
    files.map(async (file) => {
      const { code } = await transformFile(file, { ...swcOptions, filename: file });
      const target = join(out, relative(src, file)).replace(/\.ts$/, '.js');
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, code);
    }),
  );
  return files.length;
}

function newestMtime(dir) {
  return walk(dir).reduce((max, f) => Math.max(max, statSync(f).mtimeMs), 0);
}

export function webIsCurrent() {
  const index = join(root, 'web/dist/index.html');
  if (!existsSync(index) || !existsSync(join(root, 'web/dist/graphiql.html'))) return false;
  const built = statSync(index).mtimeMs;
  const pages = ['web/index.html', 'web/graphiql.html', 'web/vite.config.ts'];
  return newestMtime(join(root, 'web/src')) < built && pages.every((page) => statSync(join(root, page)).mtimeMs < built);
}

/** Builds the dashboard unless web/dist is newer than every source file. */
export function buildWeb({ force = false } = {}) {
  if (!existsSync(join(root, 'web/index.html'))) return 'absent';
  if (!force && webIsCurrent()) return 'current';
  const result = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: join(root, 'web'), stdio: 'inherit' });
  if (result.status !== 0) throw new Error('vite build failed');
  return 'built';
}
