// Browser: what a person waits for when opening the dashboard. The JavaScript the first page
// load fetches (gzipped), and the time from navigation to the first chart drawn on Overview in
// headless Chromium with the demo data, against a blank page's load in the same browser.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchBrowser } from '../e2e/support/browser.mjs';
import { startGateway } from '../e2e/support/gateway.mjs';
import { fmt, median, root, say, verdict } from './support.mjs';

const TARGET_INITIAL_JS_KB = 250;
const TARGET_FIRST_CHART_MS = 1500;
const RUNS = 7;

/** The scripts index.html loads before anything runs: its module entry and the modules it preloads. */
export function initialScripts(indexHtml) {
  const entries = [...indexHtml.matchAll(/<script[^>]+type="module"[^>]+src="([^"]+)"/g)].map((m) => m[1]);
  const preloads = [...indexHtml.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)].map((m) => m[1]);
  return [...new Set([...entries, ...preloads])];
}

const gzippedKb = (file) => gzipSync(readFileSync(file)).length / 1024;

/** Serves one blank HTML page: the browser's own navigation floor on this machine. */
function startBlankServer() {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><html><head><title>blank</title></head><body><p>blank</p></body></html>');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() })));
}

/** In the page, before any of its scripts: note when the first chart mark is drawn inside a card. */
function watchFirstChart() {
  const marks = 'main .card svg path[d], main .card svg rect[width]';
  const note = () => {
    if (window.__firstChartMs === undefined && document.querySelector(marks)) window.__firstChartMs = performance.now();
  };
  new MutationObserver(note).observe(document, { childList: true, subtree: true, attributes: true });
}

/**
 * One cold load (a new browser context: empty cache, the key in localStorage as the dashboard
 * keeps it): ms from navigation start to the first chart mark, and the JavaScript it fetched.
 */
async function firstChartRun(browser, url, storageState) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, storageState });
  const page = await context.newPage();
  await page.addInitScript(watchFirstChart);
  let scriptBytes = 0;
  page.on('response', async (response) => {
    if (response.request().resourceType() !== 'script') return;
    const size = Number(response.headers()['content-length'] ?? 0);
    scriptBytes += size || (await response.body().catch(() => Buffer.alloc(0))).length;
  });
  await page.goto(`${url}/#/overview`);
  await page.waitForFunction(() => window.__firstChartMs !== undefined, null, { timeout: 30_000, polling: 50 });
  const firstChartMs = await page.evaluate(() => window.__firstChartMs);
  const loadedScripts = await page.evaluate(() =>
    performance.getEntriesByType('resource').filter((e) => e.initiatorType === 'script' || e.name.endsWith('.js')).filter((e) => e.startTime <= window.__firstChartMs).map((e) => new URL(e.name).pathname),
  );
  await context.close();
  return { firstChartMs, scriptBytes, loadedScripts };
}

async function blankRun(browser, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'load' });
  const ms = await page.evaluate(() => performance.getEntriesByType('navigation')[0].loadEventEnd);
  await context.close();
  return ms;
}

export async function benchBrowser({ demoCalls = 100_000 } = {}) {
  const lines = ['browser: the dashboard in headless Chromium'];
  const { buildWeb } = await import('../scripts/build-lib.mjs');
  say(`browser: dashboard build ${buildWeb()}`);
  const dist = join(root, 'web/dist');
  const manifest = readFileSync(join(dist, 'index.html'), 'utf8');

  // Initial JavaScript: what index.html names, gzipped as a server would send it.
  const initial = initialScripts(manifest);
  const initialKb = initial.reduce((sum, path) => sum + gzippedKb(join(dist, path)), 0);
  const jsPass = initialKb <= TARGET_INITIAL_JS_KB;

  let browser;
  let gateway;
  let blank;
  try {
    browser = await launchBrowser();
  } catch (error) {
    lines.push(`  initial JavaScript (index.html's entry and preloads, gzipped): ${fmt(initialKb)} KB in ${initial.length} files  target ≤ ${TARGET_INITIAL_JS_KB} KB  ${verdict(jsPass)}`);
    lines.push(`  first chart: not measured: ${error.message}`);
    return { name: 'browser', pass: false, lines };
  }
  try {
    say(`browser: starting a gateway with ${demoCalls.toLocaleString('en-US')} demo calls (seeding takes a while)…`);
    gateway = await startGateway({ env: { TALLY_DEMO_CALLS: String(demoCalls) }, startTimeoutMs: 600_000, say: (line) => say(`browser:   ${line}`) });
    blank = await startBlankServer();
    const signIn = await browser.newContext();
    const signInPage = await signIn.newPage();
    await signInPage.goto(`${gateway.url}/#key=${encodeURIComponent(gateway.adminKey)}`);
    await signInPage.getByRole('navigation', { name: 'Pages' }).waitFor();
    const storageState = await signIn.storageState();
    await signIn.close();

    say(`browser: warm-up, then ${RUNS} cold loads of Overview and of a blank page, interleaved`);
    await firstChartRun(browser, gateway.url, storageState);
    await blankRun(browser, blank.url);
    const charts = [];
    const blanks = [];
    let loaded = null;
    for (let i = 0; i < RUNS; i++) {
      const run = await firstChartRun(browser, gateway.url, storageState);
      charts.push(run.firstChartMs);
      loaded ??= run;
      blanks.push(await blankRun(browser, blank.url));
    }
    const chartMs = median(charts);
    const blankMs = median(blanks);
    const loadedKb = loaded.loadedScripts.reduce((sum, path) => sum + gzippedKb(join(dist, path)), 0);
    const chartPass = chartMs < TARGET_FIRST_CHART_MS;
    lines.push(`  initial JavaScript (index.html's entry and preloads, gzipped): ${fmt(initialKb)} KB in ${initial.length} files  target ≤ ${TARGET_INITIAL_JS_KB} KB  ${verdict(jsPass)}`);
    lines.push(`  JavaScript fetched until Overview's first chart (gzipped): ${fmt(loadedKb)} KB in ${loaded.loadedScripts.length} files (pages and chart libraries load lazily)`);
    lines.push(`  navigation to the first chart on Overview: median ${fmt(chartMs, 0)} ms of ${RUNS} cold loads (${charts.map((ms) => fmt(ms, 0)).join(', ')})  target < ${TARGET_FIRST_CHART_MS} ms  ${verdict(chartPass)}`);
    lines.push(`  blank page load in the same browser: median ${fmt(blankMs, 0)} ms`);
    lines.push(`  ratio: first chart takes ${fmt(chartMs / blankMs)} × a blank page's load`);
    return { name: 'browser', pass: jsPass && chartPass, lines };
  } finally {
    blank?.close();
    await browser?.close().catch(() => undefined);
    await gateway?.stop();
  }
}
