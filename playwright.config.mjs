// `npm run test:e2e` (after the build) runs `playwright test` with this: the browser tests in
// e2e/flows/*.spec.mjs, one after another in file order, on Debian's Chromium (/usr/bin/chromium,
// or CHROMIUM_PATH; Playwright's own browsers are never downloaded), against one gateway that
// e2e/support/global-setup.mjs starts (or E2E_URL's). Fixtures: e2e/support/fixtures.mjs.
//   E2E_ONLY=<regexp>   run the tests whose name matches (as `npx playwright test --grep <regexp>`)
import { defineConfig } from '@playwright/test';
import { CONTEXT_OPTIONS, LAUNCH_OPTIONS } from './e2e/support/browser.mjs';

export default defineConfig({
  testDir: 'e2e/flows',
  testMatch: '*.spec.mjs',
  outputDir: 'e2e/test-results',
  globalSetup: './e2e/support/global-setup.mjs',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: 'list',
  ...(process.env.E2E_ONLY ? { grep: new RegExp(process.env.E2E_ONLY, 'i') } : {}),
  use: {
    browserName: 'chromium',
    launchOptions: LAUNCH_OPTIONS,
    ...CONTEXT_OPTIONS,
  },
});
