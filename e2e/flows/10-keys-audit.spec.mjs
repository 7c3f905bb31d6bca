// API keys and the audit log on the Settings page, and what a VIEWER and an INGEST key see.
import { test } from '../support/fixtures.mjs';
import { assert, eventually } from '../support/expect.mjs';
import { card, everyPage, openPage, settled, signIn } from '../support/dashboard.mjs';

const VIEWER = `{ viewer { role workspace { id } } }`;
const CREATE = `mutation ($w: ID!, $role: Role!, $label: String) { createApiKey(workspaceId: $w, role: $role, label: $label) }`;

/** A key of `role` for the admin's own workspace, made through the API. */
async function keyWithRole(gateway, role, label) {
  const { viewer } = await gateway.api(VIEWER);
  return (await gateway.api(CREATE, { w: viewer.workspace.id, role, label })).createApiKey;
}

/** What the gateway answers the key for `{ viewer { role } }`: its role, or the error code. */
async function roleOf(gateway, key) {
  const response = await fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query: '{ viewer { role } }' }),
  });
  const body = await response.json();
  return body.data?.viewer.role ?? body.errors[0].extensions.code;
}

test('the API keys card creates a key shown once with a copy button, rotates and revokes it after asking, and the audit log says who did it', async ({ page, context, gateway, shot }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: gateway.url });
  await signIn(page, gateway);
  await openPage(page, gateway, 'settings');
  await settled(page);
  const keys = card(page, 'API keys');
  const form = page.getByRole('form', { name: 'Create an API key' });
  await form.getByLabel('Role').selectOption('INGEST');
  assert.match(await form.getByText(/^Ingest: sends calls/).innerText(), /reads nothing/);
  await form.getByLabel('Label').fill('e2e crawler agent');
  await form.getByLabel('Expires').selectOption('30');
  await form.getByRole('button', { name: 'Create key' }).click();

  const shown = keys.getByRole('region', { name: 'New API key' });
  await shown.waitFor();
  const created = (await shown.getByLabel('The new key').innerText()).trim();
  assert.match(created, /^tly_/);
  assert.match(await shown.getByRole('status').first().innerText(), /Copy it now: it is not shown again/);
  await shown.getByRole('button', { name: 'Copy key' }).click();
  await shown.getByText('Copied.').waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), created);
  assert.equal(await roleOf(gateway, created), 'INGEST');
  const row = keys.getByRole('row').filter({ hasText: 'e2e crawler agent' });
  await eventually(async () => assert.match(await row.innerText(), new RegExp(`Ingest\\s+${created.slice(0, 8)}…`)));
  await shot('settings-api-key-shown-once');
  await shown.getByRole('button', { name: 'Done' }).click();
  assert.equal(await page.getByText(created).count(), 0);

  await keys.getByRole('button', { name: 'Rotate “e2e crawler agent”' }).click();
  const askRotate = keys.getByRole('group', { name: 'Rotate “e2e crawler agent”?' });
  await askRotate.getByRole('button', { name: 'Rotate key' }).click();
  await shown.waitFor();
  const rotated = (await shown.getByLabel('The new key').innerText()).trim();
  assert.notEqual(rotated, created);
  assert.equal(await roleOf(gateway, created), 'UNAUTHENTICATED');
  assert.equal(await roleOf(gateway, rotated), 'INGEST');
  await shown.getByRole('button', { name: 'Done' }).click();

  const active = keys.getByRole('row').filter({ hasText: 'e2e crawler agent' }).filter({ hasText: 'Active' });
  await active.getByRole('button', { name: 'Revoke “e2e crawler agent”' }).click();
  await keys.getByRole('group', { name: 'Revoke “e2e crawler agent”?' }).getByRole('button', { name: 'Revoke key' }).click();
  await keys.getByText(/^Revoked “e2e crawler agent”: it opens nothing from now on/).waitFor();
  assert.equal(await roleOf(gateway, rotated), 'UNAUTHENTICATED');
  await eventually(async () => assert.equal(await keys.getByRole('row').filter({ hasText: 'e2e crawler agent' }).filter({ hasText: 'Revoked' }).count(), 2));

  // The log reads itself again after each change: newest first, who and what.
  const audit = card(page, 'Audit log');
  await eventually(async () => {
    const entries = await audit.getByRole('row').allInnerTexts();
    const [revokedEntry, rotatedEntry, createdEntry] = entries.slice(1, 4);
    assert.match(revokedEntry ?? '', /bootstrap admin \(admin\)\s+Revoked an API key \(revokeApiKey\)/);
    assert.match(rotatedEntry ?? '', /bootstrap admin \(admin\)\s+Rotated an API key \(rotateApiKey\)/);
    assert.match(createdEntry ?? '', /bootstrap admin \(admin\)\s+Created an API key \(createApiKey\)/);
  });
  assert.match(await keys.getByRole('row').filter({ hasText: 'bootstrap admin' }).innerText(), /this browser’s key/);
  assert.equal(await keys.getByRole('button', { name: 'Revoke “bootstrap admin”' }).count(), 0);
  await settled(page);
  await shot('settings-keys-and-audit-log');
});

test('a viewer key sees every page without the controls it may not use', async ({ page, gateway, shot }) => {
  const key = await keyWithRole(gateway, 'VIEWER', 'e2e wall screen');
  await signIn(page, gateway, key);
  assert.equal(await page.locator('.topbar .role').textContent(), 'Viewer');
  const linked = await page.getByRole('navigation', { name: 'Pages' }).getByRole('link').allInnerTexts();
  assert.deepEqual(linked, ['Overview', 'Costs', 'Agents', 'Runs', 'Insights', 'Tools', 'Monitoring', 'Settings']);
  // Every page, the admin-only one too (reached by its address, it says it needs an admin key).
  const pages = await everyPage(page);
  for (const { path } of pages) {
    await openPage(page, gateway, path);
    await settled(page);
    const changing = await page
      .locator('main button, main a.button')
      .evaluateAll((controls) =>
        controls
          .map((c) => c.textContent.trim())
          .filter((name) => /^(Save key|Save price|Replace|Delete|Create key|Rotate|Revoke|Add budget|Sync activity|Re-price|Set a price|Change price|Add an OpenRouter key)/.test(name)),
      );
    assert.deepEqual(changing, [], `${path} offers a viewer controls it may not use`);
    const changingForms = await page.locator('main form').evaluateAll((forms) =>
      forms.map((f) => f.getAttribute('aria-label') ?? '').filter((name) => /budget|price|key/i.test(name)),
    );
    assert.deepEqual(changingForms, [], `${path} shows a viewer a form that changes something`);
    assert.equal(await page.locator('main .card-error').count(), 0, `${path} shows an error to a viewer`);
  }
  await openPage(page, gateway, 'settings');
  await settled(page);
  const keys = card(page, 'API keys');
  await keys.getByRole('row').filter({ hasText: 'e2e wall screen' }).waitFor();
  await keys.getByText('This is a viewer key: it reads every page and changes nothing.').waitFor();
  await shot('settings-as-viewer');
});

test('an ingest key is told on the key screen that it can only send data', async ({ page, gateway }) => {
  const key = await keyWithRole(gateway, 'INGEST', 'e2e agent');
  await page.goto(`${gateway.url}/#key=${encodeURIComponent(key)}`);
  const message = page.getByRole('alert');
  await message.waitFor();
  assert.match(await message.innerText(), /^This is an ingest key: it can only send data/);
  await page.getByRole('heading', { name: 'Sign in with an API key' }).waitFor();
  assert.equal(await page.getByRole('navigation', { name: 'Pages' }).count(), 0);
});
