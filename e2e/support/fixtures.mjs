// The browser tests' fixtures for @playwright/test. Each test gets a fresh browser context (its
// own localStorage) whose page records what went wrong on it, and fails on a thrown error, on its
// timeout, on a console error or failed request it did not expect, or on a serious or critical
// axe-core violation in the state it leaves the page in (light and dark), so every state a flow
// opens is checked for accessibility. Every test leaves a screenshot of its page in
// e2e/screenshots/ (FAILED-… when it failed).
//   test('what a person sees', async ({ page, gateway, shot, expectAccessible, expectProblem, problems, context }) => …)
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test as base } from '@playwright/test';
import { accessibilityProblems, expectAccessible } from './accessibility.mjs';
import { watchContext } from './browser.mjs';
import { gatewayClient, root } from './gateway.mjs';
import { openRouterStandInClient } from './openrouter-stand-in.mjs';

export const screenshotsDir = join(root, 'e2e/screenshots');

const slug = (text) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80);

/** Throws the axe-core report for the state a test left its page in, unless the page is gone or blank. */
async function accessibilityOfTheEnd(page, name, colorScheme) {
  if (page.isClosed() || !/^https?:/.test(page.url())) return;
  const problems = await accessibilityProblems(page, `${name}, where it ended`, { restoreTo: colorScheme });
  if (problems.length > 0) throw new Error(`accessibility violations (axe-core, WCAG 2.1 A and AA):\n${problems.join('\n')}`);
}

export const test = base.extend({
  /**
   * The gateway under test (started by e2e/support/global-setup.mjs, or E2E_URL with
   * E2E_ADMIN_KEY): url, adminKey, api(query, variables, { key, workspace }), and openRouter, the
   * OpenRouter stand-in it talks to (null for a gateway given by E2E_URL).
   */
  gateway: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a fixture needs from this pattern
    async ({}, use) => {
      const url = process.env.E2E_URL;
      if (!url) throw new Error('E2E_URL is not set: run the browser tests with npm run test:e2e (or npx playwright test)');
      const openRouterUrl = process.env.E2E_OPENROUTER_URL;
      await use({ ...gatewayClient(url, process.env.E2E_ADMIN_KEY ?? ''), openRouter: openRouterUrl ? openRouterStandInClient(openRouterUrl) : null });
    },
    { scope: 'worker' },
  ],

  /** The page of the test's context, recording its problems (see watchContext in browser.mjs). */
  watched: async ({ context }, use) => {
    await use(await watchContext(context));
  },

  /** The watched page. */
  page: async ({ watched }, use) => {
    await use(watched.page);
  },

  /** expectProblem(pattern): problems matching it are expected in this test. */
  expectProblem: async ({ watched }, use) => {
    await use(watched.expectProblem);
  },

  /** problems(): every problem recorded so far, expected or not. */
  problems: async ({ watched }, use) => {
    await use(watched.problems);
  },

  /** shot(file, page?): saves a screenshot of the whole page as e2e/screenshots/<file>.png. */
  shot: async ({ page }, use) => {
    mkdirSync(screenshotsDir, { recursive: true });
    await use((file, of = page) => of.screenshot({ path: join(screenshotsDir, `${file}.png`), fullPage: true }));
  },

  /**
   * expectAccessible(label, page?): checks the page as it is now with axe-core in both colour
   * schemes (for a state the test leaves again before it ends).
   */
  expectAccessible: async ({ page, colorScheme }, use, testInfo) => {
    await use((label, of = page) => expectAccessible(of, `${testInfo.title}: ${label}`, { restoreTo: colorScheme ?? 'light' }));
  },

  /**
   * After each test: the axe-core check of the state it ended in, then the problems it did not
   * expect; and a screenshot of its page, whatever the outcome.
   */
  endOfTest: [
    async ({ page, watched, colorScheme }, use, testInfo) => {
      await use(undefined);
      let failure = null;
      if (testInfo.status === testInfo.expectedStatus) {
        try {
          await accessibilityOfTheEnd(page, testInfo.title, colorScheme ?? 'light');
          const problems = watched.unexpectedProblems();
          if (problems.length > 0) throw new Error(`the page reported problems:\n    ${problems.join('\n    ')}`);
        } catch (error) {
          failure = error;
        }
      }
      const failed = failure !== null || testInfo.status !== testInfo.expectedStatus;
      mkdirSync(screenshotsDir, { recursive: true });
      await page.screenshot({ path: join(screenshotsDir, `${failed ? 'FAILED-' : ''}${slug(testInfo.title)}.png`), fullPage: true }).catch(() => undefined);
      if (failure) throw failure;
    },
    { auto: true },
  ],
});
