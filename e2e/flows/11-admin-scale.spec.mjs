// The Admin page and the scope switcher on a platform of thousands of small workspaces: the
// table holds one page of them, searched and sorted by the server; the switcher finds a
// workspace by typing, and works from the keyboard alone.
import { test } from '../support/fixtures.mjs';
import { assert, eventually } from '../support/expect.mjs';
import { card, openPage, signIn } from '../support/dashboard.mjs';

const TENANTS = 3_000;
const PAGE_ROWS = 50;
const tenantName = (i) => `Tenant ${String(i).padStart(4, '0')}`;

/** Creates the tenants through the API, fifty mutations to a request (the most aliases a document may use). */
async function createTenants(gateway) {
  const { workspaces } = await gateway.api(`{ workspaces(search: "Tenant ", limit: 1) { id } }`);
  if (workspaces.length > 0) return; // an earlier test of this run made them
  for (let first = 1; first <= TENANTS; first += 50) {
    const fields = [];
    for (let i = first; i < first + 50 && i <= TENANTS; i++) fields.push(`t${i}: createWorkspace(name: "${tenantName(i)}", plan: "${i % 10 < 7 ? 'free' : 'pro'}") { id }`);
    await gateway.api(`mutation { ${fields.join('\n')} }`);
  }
}

test(
  'Admin with 3,000 workspaces: the table shows a page of them, searched and sorted by the server; the switcher finds one by keyboard',
  async ({ page, gateway, shot, expectAccessible }) => {
    test.setTimeout(180_000);
    await createTenants(gateway);
    const { adminDashboard } = await gateway.api(`{ adminDashboard(period: LAST_7D) { workspaceCount } }`);
    assert.ok(adminDashboard.workspaceCount > TENANTS, `the platform holds the tenants (${adminDashboard.workspaceCount} workspaces)`);

    await signIn(page, gateway);
    await openPage(page, gateway, 'admin');
    const table = card(page, 'Workspaces by cost');
    const rows = table.getByRole('table').locator('tbody tr');
    await eventually(async () => assert.equal(await rows.count(), PAGE_ROWS));
    const range = table.getByRole('status');
    assert.equal(await range.innerText(), `Workspaces 1–${PAGE_ROWS} of ${adminDashboard.workspaceCount.toLocaleString('en-US')}`);

    // Sorted by name, A to Z, then the next page.
    await table.getByRole('button', { name: 'Workspace' }).click();
    const firstNames = await gateway.api(`{ adminWorkspaceCosts(period: LAST_7D, orderBy: NAME, limit: ${2 * PAGE_ROWS}) { rows { name } } }`);
    const names = firstNames.adminWorkspaceCosts.rows.map((r) => r.name);
    await eventually(async () => assert.equal(await rows.first().locator('th').innerText(), names[0]));
    await table.getByRole('button', { name: 'Next' }).click();
    await eventually(async () => assert.equal(await rows.first().locator('th').innerText(), names[PAGE_ROWS]));
    assert.match(await range.innerText(), new RegExp(`^Workspaces ${PAGE_ROWS + 1}–${2 * PAGE_ROWS} of `));

    // A search finds one tenant among thousands, and starts again from the first page.
    await table.getByRole('searchbox', { name: 'Find a workspace' }).fill('Tenant 1234');
    await eventually(async () => assert.deepEqual(await rows.locator('th').allInnerTexts(), ['Tenant 1234']));
    assert.equal(await range.innerText(), 'Workspaces 1–1 of 1 matching “Tenant 1234”');
    await table.getByRole('searchbox', { name: 'Find a workspace' }).fill('no such tenant');
    await eventually(async () => assert.equal(await range.innerText(), 'No workspaces matching “no such tenant”'));

    // The switcher, from the keyboard alone: focus, type part of a name, arrow down, Enter.
    const { workspaces } = await gateway.api(`{ workspaces(search: "Tenant 2500") { id name } }`);
    assert.equal(workspaces.length, 1);
    const box = page.getByRole('combobox', { name: 'Workspace scope' });
    await box.focus();
    await page.keyboard.type('Tenant 2500');
    const option = page.getByRole('option', { name: 'Tenant 2500 · free', exact: true });
    await option.waitFor();
    assert.equal(await box.getAttribute('aria-expanded'), 'true');
    assert.equal(await page.getByRole('listbox').getByRole('option').count(), 1, 'only the match is offered');
    await expectAccessible('the switcher open on a match');
    await page.keyboard.press('ArrowDown');
    assert.equal(await option.getAttribute('aria-selected'), 'true');
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`scope=${workspaces[0].id}`));
    assert.equal(await box.inputValue(), 'Tenant 2500 · free');
    assert.equal(await box.getAttribute('aria-expanded'), 'false');

    // And back to every workspace, typing a few letters of the entry.
    await box.focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('all work');
    await page.getByRole('option', { name: 'All workspaces', exact: true }).waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForURL(/scope=all/);
    await shot('admin-3000-workspaces');
  },
);
