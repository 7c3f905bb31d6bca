// A small test runner: tests run one after another, each in a fresh browser context; a test
// fails on a thrown error, on a timeout, on a console error or failed request it did not expect,
// or on a serious or critical axe-core violation in the state it leaves the page in (light and
// dark), so every state a flow opens is checked for accessibility. Every test leaves a screenshot
// of its page in e2e/screenshots/.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './gateway.mjs';
import { watchedPage } from './browser.mjs';
import { accessibilityProblems, expectAccessible } from './accessibility.mjs';

export const screenshotsDir = join(root, 'e2e/screenshots');

const tests = [];

/**
 * Registers a test.
 * @param {string} name a sentence saying what a person sees
 * @param {(t: TestContext) => Promise<void>} body
 * @param {{ timeoutMs?: number, viewport?: { width: number, height: number }, colorScheme?: 'light' | 'dark' }} [options]
 *   The page the test leaves is checked with axe-core in both colour schemes afterwards.
 */
export function test(name, body, options = {}) {
  tests.push({ name, body, options });
}

const slug = (text) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80);

/** Runs the registered tests (those whose name matches `only`, when given); resolves with the counts. */
export async function runTests({ browser, gateway, only, say = console.log }) {
  if (!only) rmSync(screenshotsDir, { recursive: true, force: true }); // a full run leaves only its own pictures
  mkdirSync(screenshotsDir, { recursive: true });
  let passed = 0;
  let failed = 0;
  const failures = [];
  for (const { name, body, options } of tests) {
    if (only && !only.test(name)) continue;
    const started = Date.now();
    const watched = await watchedPage(browser, { ...(options.viewport ?? {}), colorScheme: options.colorScheme });
    const t = {
      ...watched,
      gateway,
      browser,
      /** Saves a screenshot under e2e/screenshots/ (the whole page). */
      shot: (file, page = watched.page) => page.screenshot({ path: join(screenshotsDir, `${file}.png`), fullPage: true }),
      /** Checks the page as it is now with axe-core in both colour schemes (for a state the test leaves again before it ends). */
      expectAccessible: (label, page = watched.page) => expectAccessible(page, `${name}: ${label}`, { restoreTo: options.colorScheme }),
    };
    let error = null;
    let timer;
    try {
      await Promise.race([
        body(t).then(() => accessibilityOfTheEnd(watched.page, name, options.colorScheme)),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${(options.timeoutMs ?? 60_000) / 1000} s`)), options.timeoutMs ?? 60_000);
        }),
      ]);
      const problems = watched.unexpectedProblems();
      if (problems.length > 0) error = new Error(`the page reported problems:\n    ${problems.join('\n    ')}`);
    } catch (caught) {
      error = caught;
    } finally {
      clearTimeout(timer);
    }
    await watched.page.screenshot({ path: join(screenshotsDir, `${error ? 'FAILED-' : ''}${slug(name)}.png`), fullPage: true }).catch(() => undefined);
    await watched.close().catch(() => undefined);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (error) {
      failed += 1;
      failures.push({ name, error });
      say(`  ✗ ${name} (${seconds} s)\n    ${describeFailure(error).join('\n    ')}`);
    } else {
      passed += 1;
      say(`  ✓ ${name} (${seconds} s)`);
    }
  }
  return { passed, failed, failures };
}

/** A failure in lines: its whole message (a report of many problems stays whole), then where it was thrown. */
function describeFailure(error) {
  const lines = String(error?.stack ?? error).split('\n');
  const frames = lines.filter((line) => /^\s+at /.test(line));
  const message = lines.filter((line) => !/^\s+at /.test(line));
  return [...message, ...frames.slice(0, 4).map((line) => line.trim())];
}

/** Throws the axe-core report for the state a test left its page in, unless the page is gone or blank. */
async function accessibilityOfTheEnd(page, name, colorScheme = 'light') {
  if (page.isClosed() || !/^https?:/.test(page.url())) return;
  const problems = await accessibilityProblems(page, `${name}, where it ended`, { restoreTo: colorScheme });
  if (problems.length > 0) throw new Error(`accessibility violations (axe-core, WCAG 2.1 A and AA):\n${problems.join('\n')}`);
}
