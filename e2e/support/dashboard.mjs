// What the flows do again and again on the dashboard: sign in, open a page, read a figure.
import { assert, eventually } from './expect.mjs';

/** Opens the link `npm start` prints (`/#key=…`) and waits for the signed-in dashboard. */
export async function signIn(page, gateway, key = gateway.adminKey) {
  await page.goto(`${gateway.url}/#key=${encodeURIComponent(key)}`);
  await page.getByRole('navigation', { name: 'Pages' }).waitFor();
}

/** The pages' titles by their path. */
export const PAGE_TITLES = { overview: 'Overview', costs: 'Costs', insights: 'Insights', tools: 'Tools', monitoring: 'Monitoring', settings: 'Settings', admin: 'Admin' };

/** Moves to a page through the address bar, as a shared link would, and waits for its heading. */
export async function openPage(page, gateway, path, params = {}) {
  const query = new URLSearchParams(params).toString();
  await page.goto(`${gateway.url}/#/${path}${query ? `?${query}` : ''}`);
  await page.getByRole('heading', { level: 1, name: PAGE_TITLES[path] ?? path, exact: true }).waitFor();
}

/** Waits until the page's cards are drawn and none is loading any more (twice in a row, a moment apart). */
export async function settled(page) {
  const ready = () =>
    page.waitForFunction(
      () => {
        const main = document.querySelector('main');
        if (!main || main.querySelectorAll('.card').length === 0) return false;
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
  const tile = card(page, 'At a glance').locator('.summary-tile').filter({ has: page.locator('.summary-label', { hasText: new RegExp(`^${label}$`) }) });
  return (await tile.locator('.summary-value').innerText()).trim();
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
