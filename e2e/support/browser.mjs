// Debian's Chromium driven by playwright-core, and pages that record what went wrong on them.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

/** Where Debian installs Chromium (`apt-get install chromium`); CHROMIUM_PATH overrides it. */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Throws a message saying how to install Chromium when it is not at CHROMIUM. */
export function expectChromium() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not at ${CHROMIUM}: install it with "apt-get install -y chromium" or set CHROMIUM_PATH`);
  }
}

/** How Chromium is launched: headless, with the flags a container needs (playwright.config.mjs uses them too). */
export const LAUNCH_OPTIONS = {
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
};

/** What every test's browser context is: a laptop's window, UTC, British English, downloads allowed. */
export const CONTEXT_OPTIONS = { viewport: { width: 1280, height: 860 }, colorScheme: 'light', timezoneId: 'UTC', locale: 'en-GB', acceptDownloads: true };

/** Headless Chromium with the flags a container needs. */
export async function launchBrowser() {
  expectChromium();
  return chromium.launch(LAUNCH_OPTIONS);
}

/** In every document, before its scripts: pass each Content-Security-Policy violation to the test. */
function reportPolicyViolations() {
  document.addEventListener('securitypolicyviolation', (event) => {
    const where = event.sourceFile ? ` at ${event.sourceFile}:${event.lineNumber}` : '';
    window.__reportPolicyViolation(`${event.effectiveDirective} refused ${event.blockedURI || 'an inline resource'}${where} on ${event.documentURI}`);
  });
}

/**
 * The page of a fresh browser context (its own localStorage), recording console errors (the browser's reports of a refused resource
 * among them), Content-Security-Policy violations, page errors, failed requests and HTTP error
 * answers. A test that expects some of them (a refused key answers 401) says so with
 * `expectProblem(pattern)`.
 * @param {import('playwright-core').BrowserContext} context
 */
export async function watchContext(context) {
  const problems = [];
  const expected = [];
  await context.exposeBinding('__reportPolicyViolation', (_source, text) => problems.push(`Content-Security-Policy violation: ${text}`));
  await context.addInitScript(reportPolicyViolations);
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    const reason = request.failure()?.errorText ?? 'failed';
    // A request the page itself abandoned (a query dropped when the scope changes, a page left) is no failure.
    if (reason === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${request.method()} ${request.url()} (${reason})`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.request().method()} ${response.url()}`);
  });
  return {
    page,
    context,
    /** Allows problems matching the pattern (they are expected in this test). */
    expectProblem: (pattern) => expected.push(pattern),
    /** The problems no test expected. */
    unexpectedProblems: () => problems.filter((problem) => !expected.some((pattern) => pattern.test(problem))),
    /** Every problem recorded so far, expected or not. */
    problems: () => [...problems],
    close: () => context.close(),
  };
}
