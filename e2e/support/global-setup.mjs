// Before the browser tests (playwright.config.mjs's globalSetup): a gateway of their own with
// fixed demo data, no live demo traffic and a short heartbeat stale time, talking to an OpenRouter
// stand-in; its URL and admin key reach the tests as E2E_URL and E2E_ADMIN_KEY (E2E_OPENROUTER_URL
// for the stand-in). With E2E_URL already set (and E2E_ADMIN_KEY), the tests use that gateway
// instead. The function returned stops both after the tests.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectChromium } from './browser.mjs';
import { root, startGateway } from './gateway.mjs';
import { startOpenRouterStandIn } from './openrouter-stand-in.mjs';

const screenshotsDir = join(root, 'e2e/screenshots');

export default async function globalSetup(config) {
  expectChromium();
  const began = Date.now();
  const say = (line) => console.log(`[${((Date.now() - began) / 1000).toFixed(1).padStart(5)} s] ${line}`);
  // A full run leaves only its own pictures; a run of some tests (E2E_ONLY, --grep, a file) adds to them.
  const some = process.env.E2E_ONLY || process.argv.slice(2).some((arg) => arg !== 'test' && !arg.startsWith('--reporter') && !arg.startsWith('--config'));
  if (!some) rmSync(screenshotsDir, { recursive: true, force: true });
  mkdirSync(screenshotsDir, { recursive: true });

  if (process.env.E2E_URL) {
    say(`using the gateway at ${process.env.E2E_URL}`);
    return async () => say(`screenshots in ${screenshotsDir}`);
  }
  // The gateway's OpenRouter is a stand-in of the tests' own.
  const openRouter = await startOpenRouterStandIn();
  say('starting a gateway with demo data (20,000 calls)…');
  let gateway;
  try {
    // Heartbeats turn STALE 2 s after their last beat here, so the test of it waits seconds, not minutes.
    gateway = await startGateway({
      env: { HEARTBEAT_STALE_AFTER_MS: '2000', TALLY_WEBHOOK_ALLOW_PRIVATE: 'on', OPENROUTER_BASE_URL: openRouter.baseUrl },
      say: (line) => say(`  ${line}`),
    });
  } catch (error) {
    await openRouter.close();
    throw error;
  }
  say(`gateway up at ${gateway.url}`);
  process.env.E2E_URL = gateway.url;
  process.env.E2E_ADMIN_KEY = gateway.adminKey;
  process.env.E2E_OPENROUTER_URL = openRouter.baseUrl;

  return async () => {
    // The gateway's log, for a failure: beside Playwright's own results.
    const logFile = join(config.projects[0]?.outputDir ?? join(config.rootDir, 'e2e/test-results'), 'gateway.log');
    mkdirSync(join(logFile, '..'), { recursive: true });
    writeFileSync(logFile, `${gateway.log().join('\n')}\n`);
    await gateway.stop();
    await openRouter.close();
    say(`screenshots in ${screenshotsDir}; the gateway's log in ${logFile}`);
  };
}
