// Browser: what a person waits for when opening the dashboard. In headless Chromium with the demo
// data: the JavaScript Overview's first load transfers (compressed bytes on the wire, as Chromium's
// resource timing counts them) and the time from navigation to its first chart, against a blank
// page's load and against the same loads with compression refused (`Accept-Encoding: identity`),
// on loopback and on a throttled link. Then what compressing the Overview's GraphQL answers saves
// and costs, measured on those answers.
import http from 'node:http';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import { launchBrowser } from '../e2e/support/browser.mjs';
import { startGateway } from '../e2e/support/gateway.mjs';
import { fmt, median, say, server, verdict } from './support.mjs';

const TARGET_FIRST_LOAD_JS_KB = 250;
const TARGET_FIRST_CHART_MS = 1500;
const RUNS = 7;
const THROTTLED_RUNS = 5;
/** A modest link (10 Mbit/s down, 40 ms round trip), where compression does what it is for; loopback has bandwidth to spare. */
const THROTTLED_LINK = { offline: false, latency: 40, downloadThroughput: 10e6 / 8, uploadThroughput: 5e6 / 8 };
const UNCOMPRESSED = { 'accept-encoding': 'identity' };
const kb = (bytes) => bytes / 1024;

/** Serves one blank HTML page: the browser's own navigation floor on this machine. */
function startBlankServer() {
  const blank = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><html><head><title>blank</title></head><body><p>blank</p></body></html>');
  });
  return new Promise((resolve) => blank.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${blank.address().port}/`, close: () => blank.close() })));
}

/** In the page, before any of its scripts: note when the first chart mark is drawn inside a card. */
function watchFirstChart() {
  const marks = 'main .card svg path[d], main .card svg rect[width]';
  const note = () => {
    if (window.__firstChartMs === undefined && document.querySelector(marks)) window.__firstChartMs = performance.now();
  };
  new MutationObserver(note).observe(document, { childList: true, subtree: true, attributes: true });
}

/** Waits until no resource has started for a second: the end of the first load (the live WebSocket is no resource). */
async function loadSettled(page) {
  let count = -1;
  let stableSince = Date.now();
  for (const deadline = Date.now() + 15_000; Date.now() < deadline; await page.waitForTimeout(200)) {
    const now = await page.evaluate(() => performance.getEntriesByType('resource').length);
    if (now !== count) [count, stableSince] = [now, Date.now()];
    else if (Date.now() - stableSince >= 1000) return;
  }
}

/**
 * One cold load of Overview (a new browser context: empty cache, the key in localStorage as the
 * dashboard keeps it): ms from navigation start to the first chart mark; every script it fetched
 * until the load settled, with its bytes on the wire (headers included) and whether it had
 * arrived by the first chart; and the GraphQL requests it sent.
 */
async function firstChartRun(browser, url, storageState, { headers, link } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, storageState, extraHTTPHeaders: headers });
  const page = await context.newPage();
  if (link) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', link);
  }
  await page.addInitScript(watchFirstChart);
  const graphql = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/graphql') graphql.push({ body: request.postData(), authorization: request.headers().authorization });
  });
  await page.goto(`${url}/#/overview`);
  await page.waitForFunction(() => window.__firstChartMs !== undefined, null, { timeout: 60_000, polling: 50 });
  const firstChartMs = await page.evaluate(() => window.__firstChartMs);
  await loadSettled(page);
  const scripts = await page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .filter((entry) => new URL(entry.name).pathname.endsWith('.js'))
      .map((entry) => ({ path: new URL(entry.name).pathname, wireBytes: entry.transferSize, arrivedMs: entry.responseEnd, byFirstChart: entry.responseEnd <= window.__firstChartMs })),
  );
  await context.close();
  const wire = (list) => list.reduce((sum, script) => sum + script.wireBytes, 0);
  return {
    firstChartMs,
    scripts,
    // When the last script had arrived: the network's share of the load, less swayed by a busy CPU than the first chart.
    scriptsArrivedMs: Math.max(...scripts.map((script) => script.arrivedMs)),
    wireBytes: wire(scripts),
    wireBytesByFirstChart: wire(scripts.filter((s) => s.byFirstChart)),
    graphql,
  };
}

async function blankRun(browser, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'load' });
  const ms = await page.evaluate(() => performance.getEntriesByType('navigation')[0].loadEventEnd);
  await context.close();
  return ms;
}

/** POSTs a captured GraphQL request as the dashboard sent it; resolves with the body as it came over the wire. */
function postRaw(url, { body, authorization }, acceptEncoding) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization, 'accept-encoding': acceptEncoding } }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ encoding: res.headers['content-encoding'] ?? 'identity', body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Median µs of `work` over enough repetitions to see a fraction of a millisecond. */
function cpuMicros(work) {
  const samples = [];
  for (let i = 0; i < 31; i++) {
    const start = process.hrtime.bigint();
    for (let j = 0; j < 10; j++) work();
    samples.push(Number(process.hrtime.bigint() - start) / 1e3 / 10);
  }
  return median(samples);
}

/**
 * The Overview's own GraphQL answers, each asked for as it is (identity) and with brotli and
 * gzip accepted, as the gateway sends them; and the CPU time the gateway's compression of each
 * takes (the same zlib calls and levels, timed here on the same bodies).
 */
async function measureAnswerCompression(url, requests) {
  const { ANSWER_BROTLI_QUALITY, COMPRESS_ANSWERS_FROM_BYTES } = server('serving');
  const byOperation = new Map(requests.map((request) => [JSON.parse(request.body).operationName ?? '(anonymous)', request]));
  const rows = [];
  for (const [operation, request] of byOperation) {
    const plain = await postRaw(url, request, 'identity');
    const br = await postRaw(url, request, 'br');
    const gzip = await postRaw(url, request, 'gzip');
    const compressed = plain.body.length >= COMPRESS_ANSWERS_FROM_BYTES;
    rows.push({
      operation,
      bytes: plain.body.length,
      brBytes: br.body.length,
      gzipBytes: gzip.body.length,
      sentCompressed: br.encoding === 'br' && gzip.encoding === 'gzip',
      expectedCompressed: compressed,
      brMicros: compressed ? cpuMicros(() => brotliCompressSync(plain.body, { params: { [zlib.BROTLI_PARAM_QUALITY]: ANSWER_BROTLI_QUALITY } })) : 0,
      gzipMicros: compressed ? cpuMicros(() => gzipSync(plain.body)) : 0,
    });
  }
  return { rows, thresholdBytes: COMPRESS_ANSWERS_FROM_BYTES, quality: ANSWER_BROTLI_QUALITY };
}

function answerLines({ rows, thresholdBytes, quality }) {
  const lines = [`  the Overview's GraphQL answers (brotli quality ${quality} as the gateway sends them; ${fmt(kb(thresholdBytes), 0)} KB and more are compressed):`];
  for (const row of [...rows].sort((a, b) => b.bytes - a.bytes)) {
    const what = row.expectedCompressed
      ? `${fmt(kb(row.bytes))} KB -> brotli ${fmt(kb(row.brBytes))} KB, gzip ${fmt(kb(row.gzipBytes))} KB; ${fmt(row.brMicros, 0)} µs / ${fmt(row.gzipMicros, 0)} µs of CPU`
      : `${fmt(kb(row.bytes), 2)} KB, sent as it is`;
    lines.push(`    ${row.operation.padEnd(22)} ${what}${row.sentCompressed === row.expectedCompressed ? '' : '  (NOT as configured)'}`);
  }
  const compressed = rows.filter((row) => row.expectedCompressed);
  const saved = compressed.reduce((sum, row) => sum + row.bytes - row.brBytes, 0);
  const micros = compressed.reduce((sum, row) => sum + row.brMicros, 0);
  const total = rows.reduce((sum, row) => sum + row.bytes, 0);
  // Break-even: the link speed at which sending the saved bytes takes as long as compressing them.
  const breakEvenMbit = micros > 0 ? (saved * 8) / micros : Infinity;
  lines.push(
    `    brotli saves ${fmt(kb(saved))} KB of the ${fmt(kb(total))} KB these answers weigh for ${fmt(micros / 1000, 2)} ms of CPU: it pays on any link slower than ${fmt(breakEvenMbit, 0)} Mbit/s`,
  );
  return { lines, configured: rows.every((row) => row.sentCompressed === row.expectedCompressed) };
}

export async function benchBrowser({ demoCalls = 100_000 } = {}) {
  const lines = ['browser: the dashboard in headless Chromium'];
  const { buildWeb } = await import('../scripts/build-lib.mjs');
  say(`browser: dashboard build ${buildWeb()}`);

  let browser;
  let gateway;
  let blank;
  try {
    browser = await launchBrowser();
  } catch (error) {
    lines.push(`  not measured: ${error.message}`);
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

    say(`browser: warm-up, then ${RUNS} cold loads of Overview compressed, uncompressed and of a blank page, interleaved`);
    const warmUp = await firstChartRun(browser, gateway.url, storageState);
    await firstChartRun(browser, gateway.url, storageState, { headers: UNCOMPRESSED });
    await blankRun(browser, blank.url);
    const compressed = [];
    const uncompressed = [];
    const blanks = [];
    for (let i = 0; i < RUNS; i++) {
      compressed.push(await firstChartRun(browser, gateway.url, storageState));
      uncompressed.push(await firstChartRun(browser, gateway.url, storageState, { headers: UNCOMPRESSED }));
      blanks.push(await blankRun(browser, blank.url));
    }
    say(`browser: ${THROTTLED_RUNS} cold loads each way on a throttled link (${THROTTLED_LINK.downloadThroughput * 8e-6} Mbit/s, ${THROTTLED_LINK.latency} ms)`);
    const throttled = [];
    const throttledUncompressed = [];
    for (let i = 0; i < THROTTLED_RUNS; i++) {
      throttled.push(await firstChartRun(browser, gateway.url, storageState, { link: THROTTLED_LINK }));
      throttledUncompressed.push(await firstChartRun(browser, gateway.url, storageState, { headers: UNCOMPRESSED, link: THROTTLED_LINK }));
    }
    say('browser: the Overview\'s GraphQL answers, compressed and not');
    const answers = answerLines(await measureAnswerCompression(gateway.url, warmUp.graphql));

    const chartMs = median(compressed.map((run) => run.firstChartMs));
    const blankMs = median(blanks);
    const jsKb = kb(median(compressed.map((run) => run.wireBytes)));
    const jsByChartKb = kb(median(compressed.map((run) => run.wireBytesByFirstChart)));
    const uncompressedJsKb = kb(median(uncompressed.map((run) => run.wireBytes)));
    const scriptCount = compressed[0].scripts.length;
    const jsPass = jsKb <= TARGET_FIRST_LOAD_JS_KB;
    const chartPass = chartMs < TARGET_FIRST_CHART_MS;
    const throttledMs = median(throttled.map((run) => run.firstChartMs));
    const throttledUncompressedMs = median(throttledUncompressed.map((run) => run.firstChartMs));
    const throttledScriptsMs = median(throttled.map((run) => run.scriptsArrivedMs));
    const throttledUncompressedScriptsMs = median(throttledUncompressed.map((run) => run.scriptsArrivedMs));
    lines.push(
      `  JavaScript Overview's first load transfers (bytes on the wire, headers included, until the load settles): ${fmt(jsKb)} KB in ${scriptCount} files, ${fmt(jsByChartKb)} KB of it by the first chart  target ≤ ${TARGET_FIRST_LOAD_JS_KB} KB  ${verdict(jsPass)}`,
      `    the same load with compression refused: ${fmt(uncompressedJsKb)} KB (compressed is ${fmt(jsKb / uncompressedJsKb, 2)} × that)`,
      `  navigation to the first chart on Overview: median ${fmt(chartMs, 0)} ms of ${RUNS} cold loads (${compressed.map((run) => fmt(run.firstChartMs, 0)).join(', ')})  target < ${TARGET_FIRST_CHART_MS} ms  ${verdict(chartPass)}`,
      `    with compression refused: median ${fmt(median(uncompressed.map((run) => run.firstChartMs)), 0)} ms; a blank page's load in the same browser: median ${fmt(blankMs, 0)} ms`,
      `    ratio: the first chart takes ${fmt(chartMs / blankMs)} × a blank page's load`,
      `  on the throttled link (${THROTTLED_LINK.downloadThroughput * 8e-6} Mbit/s, ${THROTTLED_LINK.latency} ms), medians of ${THROTTLED_RUNS}: the last script arrived after ${fmt(throttledScriptsMs, 0)} ms compressed, ${fmt(throttledUncompressedScriptsMs, 0)} ms with compression refused (${fmt(throttledScriptsMs / throttledUncompressedScriptsMs, 2)} ×); first chart ${fmt(throttledMs, 0)} ms against ${fmt(throttledUncompressedMs, 0)} ms (${fmt(throttledMs / throttledUncompressedMs, 2)} ×)`,
      ...answers.lines,
    );
    return { name: 'browser', pass: jsPass && chartPass && answers.configured, lines };
  } finally {
    blank?.close();
    await browser?.close().catch(() => undefined);
    await gateway?.stop();
  }
}
