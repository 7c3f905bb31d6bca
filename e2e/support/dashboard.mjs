// What the flows do again and again on the dashboard: sign in, open a page, read a figure.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assert, cents, eventually, numberIn } from './expect.mjs';
import { root } from './gateway.mjs';

/** Opens the link `npm start` prints (`/#key=…`) and waits for the signed-in dashboard. */
export async function signIn(page, gateway, key = gateway.adminKey) {
  await page.goto(`${gateway.url}/#key=${encodeURIComponent(key)}`);
  await page.getByRole('navigation', { name: 'Pages' }).waitFor();
}

/** The pages' titles by their path. */
export const PAGE_TITLES = { overview: 'Overview', costs: 'Costs', users: 'Users', agents: 'Agents', runs: 'Runs', insights: 'Insights', tools: 'Tools', monitoring: 'Monitoring', settings: 'Settings', admin: 'Admin' };

/** Moves to a page through the address bar, as a shared link would, and waits for its heading. */
export async function openPage(page, gateway, path, params = {}) {
  const query = new URLSearchParams(params).toString();
  await page.goto(`${gateway.url}/#/${path}${query ? `?${query}` : ''}`);
  await page.getByRole('heading', { level: 1, name: PAGE_TITLES[path] ?? path, exact: true }).waitFor();
}

/** Waits until the page has drawn its heading and nothing on it is loading any more (twice in a row, a moment apart). */
export async function settled(page) {
  const ready = () =>
    page.waitForFunction(
      () => {
        const main = document.querySelector('main');
        if (!main || !main.querySelector('h1') || main.querySelectorAll('.card').length === 0) return false;
        if (main.querySelectorAll('[aria-busy="true"], .card-loading').length > 0) return false;
        return ![...main.querySelectorAll('[role="status"]')].some((status) => /^Loading/.test(status.textContent ?? ''));
      },
      null,
      { timeout: 20_000 },
    );
  await ready();
  await page.waitForTimeout(400);
  await ready();
}
/** A card (a region named by its heading). */
export const card = (page, title) => page.getByRole('region', { name: title, exact: true });

/** The value text of a hero tile on the Overview ("Requests" -> "1,101"). */
export async function tileValue(page, label) {
  const tile = card(page, 'At a glance').locator('.figure-tile').filter({ has: page.locator('.figure-tile-label', { hasText: new RegExp(`^${label}$`) }) });
  return (await tile.locator('.figure-tile-value').innerText()).trim();
}

/**
 * Waits until the Requests and Cost tiles show the period's summary as the API gives it. The
 * period's window moves on meanwhile (a call may leave it between the page's answer and the
 * test's), so the tiles may match `before` (asked before the page asked) or an answer asked now.
 * @param askSummary resolves with llmSummary `{ totalRequests, totalCost }` as of now
 * @returns the summary the tiles matched
 */
export async function expectSummaryTiles(page, askSummary, before) {
  return eventually(async () => {
    const requests = numberIn(await tileValue(page, 'Requests'));
    const now = await askSummary();
    const moment = [now, before].find((summary) => summary?.totalRequests === requests);
    assert.ok(moment, `the Requests tile shows ${requests}, the API answered ${now.totalRequests}${before ? ` now and ${before.totalRequests} before` : ''}`);
    assert.equal(numberIn(await tileValue(page, 'Cost')), cents(moment.totalCost));
    return moment;
  });
}

/** The number of drawn marks (paths, rects, circles) in a card's charts: a chart, not an empty box. */
export async function chartMarks(region) {
  return region.locator('svg').evaluateAll((svgs) =>
    svgs.reduce((sum, svg) => sum + svg.querySelectorAll('path[d]:not([d=""]), rect[width]:not([width="0"]), circle').length, 0),
  );
}

/** Waits until a card shows a chart with at least `least` marks. */
export async function expectChart(region, least = 2) {
  await eventually(async () => {
    const marks = await chartMarks(region);
    assert.ok(marks >= least, `expected a chart with at least ${least} marks, found ${marks}`);
  });
}

/**
 * Every page the dashboard defines (each `lazyPage({ path: '…', title: '…' })` under web/src),
 * read from the source, so a test that visits them all covers a page added later unchanged.
 * @returns {{ path: string, title: string }[]}
 */
export function definedPages() {
  const pages = [];
  const sources = readdirSync(join(root, 'web/src'), { recursive: true }).filter((file) => /\.tsx?$/.test(file) && !/\.test\.tsx?$/.test(file));
  for (const file of sources) {
    const source = readFileSync(join(root, 'web/src', file), 'utf8');
    for (const [, path, title] of source.matchAll(/lazyPage\(\{\s*path:\s*'([^']+)',\s*title:\s*'([^']+)'/g)) pages.push({ path, title });
  }
  return pages;
}

/**
 * The pages to visit: those defined in the source, and any other the navigation links to
 * (an admin's navigation lists every page), each once, in the navigation's order.
 * @returns {Promise<{ path: string, title: string }[]>}
 */
export async function everyPage(page) {
  const linked = await page
    .getByRole('navigation', { name: 'Pages' })
    .getByRole('link')
    .evaluateAll((links) => links.map((link) => ({ path: decodeURIComponent(new URL(link.href).hash.replace(/^#\/?/, '').split('?')[0]), title: link.textContent.trim() })));
  const pages = [...linked];
  for (const defined of definedPages()) if (!pages.some((known) => known.path === defined.path)) pages.push(defined);
  return pages;
}

const CLOSED_STATES = ['main [aria-expanded="false"]', 'main [aria-haspopup="dialog"]', 'main details:not([open]) > summary'].join(', ');
const OPEN_DIALOG = '[role="dialog"], [role="alertdialog"], dialog[open]';

/**
 * Opens, one after another, every closed state the page offers: expandable rows, forms behind a
 * button, "show all", `<details>`, and dialogs. A dialog is handed to `inDialog` while it is open,
 * then closed with Escape; the rest stay open. Resolves with what was opened, by name.
 * @param {import('playwright-core').Page} page
 * @param {(name: string) => Promise<void>} inDialog
 * @returns {Promise<string[]>}
 */
export async function openEveryState(page, inDialog) {
  const opened = [];
  // Each control is tried once, even when opening another re-renders it.
  for (let tries = 0; tries < 100; tries++) {
    const name = await page.evaluate((selector) => {
      const control = [...document.querySelectorAll(selector)].find((element) => !element.hasAttribute('data-opened-by-test') && element.checkVisibility());
      if (!control) return null;
      control.setAttribute('data-opened-by-test', 'next');
      return (control.getAttribute('aria-label') ?? control.textContent ?? '').replace(/\s+/g, ' ').trim();
    }, CLOSED_STATES);
    if (name === null) break;
    const control = page.locator('[data-opened-by-test="next"]');
    await control.click();
    await control.evaluate((element) => element.setAttribute('data-opened-by-test', 'done')).catch(() => undefined);
    opened.push(name);
    const dialog = page.locator(OPEN_DIALOG).first();
    if (await dialog.isVisible()) {
      await inDialog(`the "${name}" dialog`);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
    }
  }
  await settled(page);
  return opened;
}

/** Chooses a scope in the header's switcher as a person would: types part of its name, then picks the entry. */
export async function chooseScope(page, typed, option) {
  const box = page.getByRole('combobox', { name: 'Workspace scope' });
  await box.click();
  await box.fill(typed);
  await page.getByRole('option', { name: option, exact: true }).click();
}
