/** @jest-config-loader ts-node */
/** @jest-config-loader-options {"transpileOnly": true} */
import type { Config } from 'jest';

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true, tsx: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, react: { runtime: 'automatic' } },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
] as const;

const config: Config = {
  // A run-wide option (jest ignores it inside a project): generous, because a 2-core machine
  // running PostgreSQL beside the tests is slow under load; tests assert no timings.
  testTimeout: 60_000,
  projects: [
    {
      displayName: 'server',
      testEnvironment: 'node',
      roots: ['<rootDir>/server'],
      testMatch: ['**/*.test.ts'],
      transform: { '^.+\\.tsx?$': swc as never },
      globalSetup: '<rootDir>/server/test/support/global-setup.mjs',
      globalTeardown: '<rootDir>/server/test/support/global-teardown.mjs',
    },
    {
      displayName: 'sdk',
      testEnvironment: 'node',
      roots: ['<rootDir>/sdk'],
      testMatch: ['**/*.test.ts'],
      transform: { '^.+\\.tsx?$': swc as never },
    },
    {
      displayName: 'web',
      testEnvironment: 'jsdom',
      roots: ['<rootDir>/web/src'],
      testMatch: ['**/*.test.ts', '**/*.test.tsx'],
      transform: { '^.+\\.tsx?$': swc as never },
      // Components import their stylesheets; jsdom needs none of them.
      moduleNameMapper: { '\\.css$': '<rootDir>/web/style-stub.cjs' },
      setupFilesAfterEnv: ['<rootDir>/web/src/test-support/testing-library.ts'],
    },
  ],
};

export default config;
