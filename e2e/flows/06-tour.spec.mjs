// Every page, as a person on a laptop, on a phone and in dark mode sees it: a screenshot of each,
// no sideways scrolling on a phone, and a name on every control a screen reader announces.
import { test } from '../support/fixtures.mjs';
import { assert, eventually } from '../support/expect.mjs';
import { accessibilityProblems } from '../support/accessibility.mjs';
import { openPage, settled, signIn } from '../support/dashboard.mjs';

const PAGES = ['overview', 'costs', 'agents', 'runs', 'insights', 'tools', 'monitoring', 'settings', 'admin'];
/** Roles a person operates; each needs a name (ARIA snapshot lines like `- button "Name"`). */
const NAMED_ROLES = ['button', 'link', 'checkbox', 'radio', 'textbox', 'searchbox', 'combobox', 'slider', 'switch', 'tab', 'spinbutton'];

/** Controls on the page without an accessible name, as the accessibility tree reports them. */
async function unnamedControls(page) {
  const snapshot = await page.locator('body').ariaSnapshot();
  const pattern = new RegExp(`^\\s*- (${NAMED_ROLES.join('|')})(\\s*\\[[^\\]]*\\])*\\s*:?$`);
  return snapshot.split('\n').filter((line) => pattern.test(line)).map((line) => line.trim());
}

/** Pixels the page is wider than the window (a phone would scroll sideways). */
const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

/** Opens every page and checks each; with `accessibility`, axe-core too (the phone layout is not the laptop's the sweep checks). */
async function tour({ page, gateway, shot }, label, { accessibility = false } = {}) {
  await signIn(page, gateway);
  const problems = [];
  for (const path of PAGES) {
    await openPage(page, gateway, path, { period: 'LAST_30D' });
    await settled(page);
    await shot(`page-${path}-${label}`);
    const wider = await overflow(page);
    if (wider > 1) problems.push(`${path}: ${wider} px wider than the window`);
    for (const control of await unnamedControls(page)) problems.push(`${path}: a control without a name: ${control}`);
    if (accessibility) problems.push(...(await accessibilityProblems(page, `${path} at ${label} px`)));
  }
  assert.deepEqual(problems, []);
}

test('every page at 1280 px: a screenshot each, and every control has a name', async ({ page, gateway, shot }) => {
  test.setTimeout(120_000);
  await tour({ page, gateway, shot }, '1280');
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });
  test('every page at 390 px stays within the phone\'s width and passes axe-core', async ({ page, gateway, shot }) => {
    test.setTimeout(180_000);
    await tour({ page, gateway, shot }, '390', { accessibility: true });
  });
});

test.describe('in dark mode', () => {
  test.use({ colorScheme: 'dark' });
  test('every page in dark mode', async ({ page, gateway, shot }) => {
    test.setTimeout(120_000);
    await tour({ page, gateway, shot }, 'dark');
  });
});

test('the keyboard alone skips the header, moves between pages and changes the period', async ({ page, gateway }) => {
  await signIn(page, gateway);
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to the page' });
  assert.ok(await skip.evaluate((el) => el === document.activeElement), 'the first Tab stop skips the header');
  assert.ok((await skip.boundingBox()).y >= 0, 'the skip link shows while focused');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  assert.ok(await page.evaluate(() => document.querySelector('main').contains(document.activeElement)), 'the next Tab stop is in the page');
  assert.match(page.url(), /#\/overview/);

  await page.locator('body').focus();
  const costs = page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Costs' });
  for (let i = 0; i < 20 && !(await costs.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
  assert.ok(await costs.evaluate((el) => el === document.activeElement), 'Tab reaches the Costs link');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Costs' }).waitFor();

  const week = page.getByRole('radio', { name: 'the last 7 days' });
  await week.focus();
  await page.keyboard.press('ArrowRight');
  await page.waitForURL(/period=LAST_30D/);
  // The address changes a moment before the page renders the new period.
  await eventually(async () => assert.ok(await page.getByRole('radio', { name: 'the last 30 days' }).isChecked()));
  const focusVisible = await page.evaluate(() => getComputedStyle(document.activeElement.closest('label') ?? document.activeElement).boxShadow !== 'none' || getComputedStyle(document.activeElement).outlineStyle !== 'none');
  assert.ok(focusVisible, 'the focused control shows a focus ring');
});
