// `npm run test:e2e`: browser tests of the dashboard. Starts a gateway of its own (fixed demo
// data, no live demo traffic, a short heartbeat stale time), drives Debian's Chromium through
// the flows in e2e/flows/, and ends with "N passed, N failed" (exit 1 on any failure).
//   E2E_ONLY=<regexp>   run the tests whose name matches
//   E2E_URL=http://… E2E_ADMIN_KEY=…   use a running gateway instead (started as below, while writing tests)
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser } from './support/browser.mjs';
import { gatewayClient, root, startGateway } from './support/gateway.mjs';
import { startOpenRouterStandIn } from './support/openrouter-stand-in.mjs';
import { runTests, screenshotsDir } from './support/runner.mjs';

const began = Date.now();
const say = (line) => console.log(`[${((Date.now() - began) / 1000).toFixed(1).padStart(5)} s] ${line}`);

for (const file of readdirSync(join(root, 'e2e/flows')).filter((f) => f.endsWith('.mjs')).sort()) {
  await import(join(root, 'e2e/flows', file));
}

// The gateway's OpenRouter is a stand-in of the tests' own (a running gateway given by E2E_URL has none).
const openRouter = process.env.E2E_URL ? null : await startOpenRouterStandIn();
let gateway;
if (process.env.E2E_URL) {
  gateway = { ...gatewayClient(process.env.E2E_URL, process.env.E2E_ADMIN_KEY ?? ''), log: () => [], stop: async () => undefined };
} else {
  say('starting a gateway with demo data (20,000 calls)…');
  // Heartbeats turn STALE 2 s after their last beat here, so the test of it waits seconds, not minutes.
  gateway = await startGateway({
    env: { HEARTBEAT_STALE_AFTER_MS: '2000', TALLY_WEBHOOK_ALLOW_PRIVATE: 'on', OPENROUTER_BASE_URL: openRouter.baseUrl },
    say: (line) => say(`  ${line}`),
  });
}
say(`gateway up at ${gateway.url}`);
let browser;
let outcome = { passed: 0, failed: 1 };
try {
  browser = await launchBrowser();
  say(`Chromium ${browser.version()}`);
  outcome = await runTests({ browser, gateway: { ...gateway, openRouter }, only: process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY, 'i') : undefined });
  if (outcome.failed > 0) console.log(`\nThe gateway's last log lines:\n${gateway.log().slice(-15).join('\n')}`);
} catch (error) {
  console.error(error);
} finally {
  await browser?.close().catch(() => undefined);
  await gateway.stop();
  await openRouter?.close();
}
say(`screenshots in ${screenshotsDir}`);
console.log(`${outcome.passed} passed, ${outcome.failed} failed`);
process.exit(outcome.failed > 0 ? 1 : 0);
