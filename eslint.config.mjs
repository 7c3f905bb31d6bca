// `npm run lint`: eslint --max-warnings 0 server/src server/test web/src sdk/src sdk/test e2e bench scripts eslint.config.mjs playwright.config.mjs
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', 'web/src/gql/**', 'web/src/features/attribution/gql/**', 'coverage/**', '.data/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // An unused parameter named with a leading underscore is a deliberate placeholder (positional callbacks, type-graphql args).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // type-graphql and TypeORM declare classes that are only ever used through decorators.
      '@typescript-eslint/no-extraneous-class': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-var': 'error',
      'prefer-const': 'error',
    },
  },
  {
    files: ['server/src/**/*.ts'],
    rules: {
      // The server logs through pino (ctx.services.logger); stdout/stderr writes are for the process entry only.
      'no-console': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='transaction']:matches([callee.object.name='dataSource'], [callee.object.property.name='dataSource'])",
          message: 'Run write transactions through writeTransaction (server/src/db/write-transaction.ts), taking locks in LOCK_ORDER (server/src/db/lock-order.ts).',
        },
      ],
    },
  },
  {
    files: ['server/src/**/*.ts', 'web/src/**/*.{ts,tsx}', 'sdk/src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js'] })],
    },
    rules: {
      // A module that needs another's types or values never needs its own back: shared records live apart (monitoring/alert.record.ts).
      'import-x/no-cycle': 'error',
    },
  },
  {
    files: ['server/src/charts/**/*.ts'],
    rules: {
      // The question reader is vocabulary tables and small passes; a file past this size wants splitting by concern.
      'max-lines': ['error', { max: 400 }],
    },
  },
  {
    files: ['server/src/db/migrations/**/*.ts'],
    rules: {
      // A migration must do the same on every install, whatever the live code becomes.
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['../*'], message: 'A migration imports nothing from src/: copy what it needs, frozen, into migrations/frozen-rollups.ts.' }] },
      ],
    },
  },
  {
    files: ['server/test/**/*.ts'],
    rules: {
      // GraphQL answers in tests are loosely shaped JSON; asserting on them is the point.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { sourceType: 'module', globals: globals.node },
  },
  {
    // Browser tests and benchmarks run in Node and hand functions to the page, where the browser's globals are.
    files: ['e2e/**/*.mjs', 'bench/**/*.{mjs,cjs}', 'scripts/**/*.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    // A preload given to `node -r` is CommonJS.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
