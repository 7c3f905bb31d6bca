import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

// Vite loads a stylesheet with the chunk of the module that imports it, so a page opened first
// (a shared link to #/admin) has only styles.css, the opening chunk's sheets and its own. A class
// a page's components use but only another page's sheet defines goes unstyled until that page
// has been visited. This follows the imports from main.tsx, chunk by chunk (a dynamic import()
// starts one), and finds each such class.

const SRC = __dirname;

interface Module {
  statics: string[];
  dynamics: string[];
  sheets: string[];
  classNames: Set<string>;
}

const modules = new Map<string, Module>();
const sheets = new Map<string, Set<string>>();

function resolveImport(from: string, specifier: string): string | null {
  const base = normalize(join(dirname(from), specifier));
  return [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx'), base].find((file) => existsSync(file) && /\.tsx?$/.test(file)) ?? null;
}

function read(file: string): Module {
  const known = modules.get(file);
  if (known) return known;
  const source = readFileSync(file, 'utf8');
  const module: Module = { statics: [], dynamics: [], sheets: [], classNames: new Set() };
  for (const [, specifier] of source.matchAll(/(?:from|import)\s+'(\.[^']+)'/g)) {
    if (specifier.endsWith('.css')) module.sheets.push(normalize(join(dirname(file), specifier)));
    const resolved = resolveImport(file, specifier);
    if (resolved) module.statics.push(resolved);
  }
  for (const [, specifier] of source.matchAll(/import\(\s*'(\.[^']+)'\s*\)/g)) {
    const resolved = resolveImport(file, specifier);
    if (resolved) module.dynamics.push(resolved);
  }
  // The string literals of className attributes: "a b", {`a ${b}`}, {x ? 'a' : 'b'}.
  for (const [, value] of source.matchAll(/className=("[^"]*"|\{[^}]*\})/g)) {
    for (const [, a, b, c] of value.matchAll(/"([^"]*)"|'([^']*)'|`([^`]*)`/g)) {
      for (const word of (a ?? b ?? c).split(/[\s${}]+/)) if (word) module.classNames.add(word);
    }
  }
  modules.set(file, module);
  return module;
}

/** A stylesheet's text without its comments. */
const cssOf = (sheet: string): string => readFileSync(sheet, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');

function classesOf(sheet: string): Set<string> {
  let classes = sheets.get(sheet);
  if (!classes) {
    const css = cssOf(sheet);
    sheets.set(sheet, (classes = new Set([...css.matchAll(/\.([a-zA-Z][\w-]*)/g)].map(([, name]) => name))));
  }
  return classes;
}

/** A chunk's modules (its entry's static imports, followed) and the chunks it loads later. */
function chunkOf(entry: string): { members: Set<string>; later: Set<string> } {
  const members = new Set<string>();
  const later = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (members.has(file)) continue;
    members.add(file);
    const module = read(file);
    pending.push(...module.statics);
    module.dynamics.forEach((target) => later.add(target));
  }
  return { members, later };
}

/** Where a class is used unstyled: "module: class (opened as main.tsx > …)". */
function unstyledClasses(): string[] {
  const found = new Map<string, string>();
  const defined = (loaded: Set<string>) => new Set([...loaded].flatMap((sheet) => [...classesOf(sheet)]));
  const visit = (entry: string, loadedBefore: Set<string>, path: string[]): void => {
    const { members, later } = chunkOf(entry);
    const loaded = new Set(loadedBefore);
    for (const file of members) read(file).sheets.forEach((sheet) => loaded.add(sheet));
    const styled = defined(loaded);
    for (const file of members) {
      for (const name of read(file).classNames) {
        if (!styled.has(name)) found.set(`${relative(SRC, file)}: ${name}`, path.map((step) => relative(SRC, step)).join(' > '));
      }
    }
    for (const target of later) if (!members.has(target) && !path.includes(target)) visit(target, loaded, [...path, target]);
  };
  const main = join(SRC, 'main.tsx');
  visit(main, new Set(), [main]);
  // Only classes some stylesheet styles: the others are hooks for tests and scripts.
  const styledSomewhere = new Set([...sheets.keys()].flatMap((sheet) => [...classesOf(sheet)]));
  return [...found].filter(([where]) => styledSomewhere.has(where.split(': ')[1])).map(([where, path]) => `${where} (opened as ${path})`);
}

it('styles every class a page uses with a stylesheet loaded when that page is opened first', () => {
  expect(unstyledClasses()).toEqual([]);
});

/**
 * Classes styled on their own (a bare `.name` selector, pseudo-classes allowed) by more than one
 * sheet: once both pages have been visited each takes rules from the other, and which wins
 * depends on which page came first. A page's own variant belongs under a class of its own.
 */
function classesStyledTwice(): string[] {
  const sheetsOf = new Map<string, string[]>();
  for (const sheet of allSheets(SRC)) {
    const css = cssOf(sheet);
    const bare = new Set<string>();
    for (const [, selectors] of css.matchAll(/([^{}]+)\{/g)) {
      for (const selector of selectors.split(',')) {
        const name = /^\.([a-zA-Z][\w-]*)(?::[\w-]+(?:\([^)]*\))?)*$/.exec(selector.trim())?.[1];
        if (name) bare.add(name);
      }
    }
    for (const name of bare) sheetsOf.set(name, [...(sheetsOf.get(name) ?? []), relative(SRC, sheet)]);
  }
  return [...sheetsOf].filter(([, where]) => where.length > 1).map(([name, where]) => `${name}: ${where.join(', ')}`);
}

function allSheets(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? allSheets(join(dir, entry.name)) : entry.name.endsWith('.css') ? [join(dir, entry.name)] : [],
  );
}

it('styles each class on its own in one stylesheet only, so no page changes how another looks', () => {
  expect(classesStyledTwice()).toEqual([]);
});

it('sees the pages, their components and their stylesheets', () => {
  unstyledClasses();
  const pages = [...modules.keys()].map((file) => relative(SRC, file));
  expect(pages).toEqual(expect.arrayContaining(['main.tsx', 'features/admin/index.ts', 'features/costs/index.ts', 'components/Card.tsx', 'features/admin/WorkspaceStorageCard.tsx']));
  expect([...sheets.keys()].map((sheet) => relative(SRC, sheet))).toEqual(expect.arrayContaining(['styles.css', 'features/admin/admin.css', 'features/costs/costs.css']));
});
