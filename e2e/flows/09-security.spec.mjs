// The pages' Content-Security-Policy as a browser applies it: the dashboard runs its own scripts
// and nothing else, cannot be framed, and every test fails on a violation (this one expects them).
import { test } from '../support/fixtures.mjs';
import { assert, eventually } from '../support/expect.mjs';
import { signIn } from '../support/dashboard.mjs';

test('the dashboard refuses a script injected into it and code built from a string, and a test sees each violation', async ({ page, gateway, problems, expectProblem }) => {
  await signIn(page, gateway);
  await page.evaluate(() => {
    const injected = document.createElement('script');
    injected.textContent = 'window.__injectedRan = true';
    document.head.append(injected);
    // A string given to setTimeout is compiled as eval is, when the timer fires in the page.
    setTimeout('window.__stringRan = true', 0);
  });
  // What fails any other test: the runner's record of the page's problems holds both refusals.
  await eventually(() => {
    const violations = problems().filter((problem) => problem.startsWith('Content-Security-Policy violation'));
    assert.ok(violations.some((v) => /^Content-Security-Policy violation: script-src-elem refused inline/.test(v)), violations.join('\n'));
    assert.ok(violations.some((v) => /^Content-Security-Policy violation: script-src refused eval/.test(v)), violations.join('\n'));
  });
  expectProblem(/^Content-Security-Policy violation: script-src(-elem)? refused (inline|eval)/);
  expectProblem(/^console error: (Executing inline script|Evaluating a string as JavaScript) violates the following Content Security Policy directive/);
  assert.deepEqual(await page.evaluate(() => [window.__injectedRan, window.__stringRan]), [undefined, undefined]);

  // The page lost nothing to the refusals.
  await page.getByRole('link', { name: 'Costs', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Costs' }).waitFor();
});

test('the dashboard cannot be shown inside another page', async ({ page, gateway, expectProblem }) => {
  expectProblem(/^request failed: GET .*\/ \(net::ERR_BLOCKED_BY_RESPONSE\)$/);
  expectProblem(/^console error: Framing '.*' violates the following Content Security Policy directive: "frame-ancestors 'none'"/);
  await page.goto(`${gateway.url}/health`);
  await page.setContent(`<!doctype html><html lang="en"><head><title>Another page</title></head><body><iframe title="The dashboard, framed" src="${gateway.url}/"></iframe></body></html>`);
  // Chromium shows its own error page in the frame instead of the dashboard.
  await eventually(() => assert.deepEqual(page.frames().map((frame) => frame.url()).slice(1), ['chrome-error://chromewebdata/']));
});
