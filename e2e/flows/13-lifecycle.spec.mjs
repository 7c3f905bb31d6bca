// Retention on the Settings page (what it deletes, shown before it is confirmed) and storage and
// workspace deletion on the Admin page, on a workspace of the test's own (the demo data stays).
import { test } from '../support/fixtures.mjs';
import { assert, eventually } from '../support/expect.mjs';
import { card, openPage, settled, signIn } from '../support/dashboard.mjs';

const DAY = 24 * 3600 * 1000;
const TRACK = `mutation ($inputs: [LlmCallInput!]!) { trackLlmCalls(inputs: $inputs) { accepted } }`;
const STORED = `{ storage { rawCalls } llmSummary(period: LAST_30D) { totalRequests } }`;

/** A new workspace with a member key and `old` calls 20 days back and `recent` calls a day back. */
async function workspaceWithCalls(gateway, name, old, recent) {
  const { createWorkspace } = await gateway.api(`mutation ($name: String!) { createWorkspace(name: $name) { id } }`, { name });
  const { createApiKey: key } = await gateway.api(`mutation ($w: ID!) { createApiKey(workspaceId: $w, role: MEMBER, label: "lifecycle") }`, { w: createWorkspace.id });
  const now = Date.now();
  const calls = [...Array.from({ length: old }, (_, i) => now - 20 * DAY - i * 60_000), ...Array.from({ length: recent }, (_, i) => now - DAY - i * 60_000)].map(
    (at, i) => ({ modelId: 'gpt-4o', provider: 'openai', inputTokens: 100 + i, outputTokens: 10, latencyMs: 300, status: 'SUCCESS', requestType: 'chat', occurredAt: new Date(at).toISOString() }),
  );
  await gateway.api(TRACK, { inputs: calls }, { key });
  return { id: createWorkspace.id, key };
}

test('Settings shows how many raw calls a retention deletes before it is confirmed, and the figures stay', async ({ page, gateway, shot }) => {
  const { key } = await workspaceWithCalls(gateway, 'e2e retention', 12, 5);
  const before = await gateway.api(STORED, {}, { key });
  assert.equal(before.storage.rawCalls, 17);
  await signIn(page, gateway, key);
  await openPage(page, gateway, 'settings');
  await settled(page);
  const retention = card(page, 'Raw call retention');
  await retention.getByText('Raw calls are kept for ever.').waitFor();
  assert.match(await retention.innerText(), /17 raw calls stored/);
  await retention.getByLabel('Keep raw calls for (days)').fill('7');
  await retention.getByRole('button', { name: 'Show what it deletes' }).click();
  const ask = retention.getByRole('group', { name: 'Confirm the retention' });
  await ask.waitFor();
  assert.match(await ask.innerText(), /This deletes 12 raw calls \(from .+\) from before .+\. Every chart keeps them/);
  await shot('settings-retention-preview');
  assert.equal((await gateway.api(STORED, {}, { key })).storage.rawCalls, 17);
  await ask.getByRole('button', { name: 'Confirm retention' }).click();
  await retention.getByRole('status').filter({ hasText: 'Raw calls are kept for 7 days.' }).waitFor();
  await eventually(async () => assert.equal((await gateway.api(STORED, {}, { key })).storage.rawCalls, 5));
  assert.equal((await gateway.api(STORED, {}, { key })).llmSummary.totalRequests, before.llmSummary.totalRequests);
  await eventually(async () => assert.match(await retention.innerText(), /5 raw calls stored, the oldest from .+; raw calls before .+ were deleted by retention/));
});

test('the Admin page shows storage per workspace and deletes one only once its name is typed; its key stops at once', async ({ page, gateway, shot }) => {
  const doomed = await workspaceWithCalls(gateway, 'e2e doomed workspace', 0, 3);
  await signIn(page, gateway);
  await openPage(page, gateway, 'admin');
  const storage = card(page, 'Storage');
  await storage.getByLabel('Workspace name contains').fill('e2e doomed');
  await storage.getByRole('button', { name: 'Show storage' }).click();
  const row = storage.getByRole('row').filter({ hasText: 'e2e doomed workspace' });
  await eventually(async () => assert.match(await row.innerText(), /e2e doomed workspace\s+3\s/i));
  await row.getByRole('button', { name: 'Delete…' }).click();
  const ask = storage.getByRole('group', { name: 'Delete e2e doomed workspace?' });
  const remove = ask.getByRole('button', { name: 'Delete workspace' });
  await ask.getByLabel('Type e2e doomed workspace to delete it').fill('e2e doomed');
  assert.equal(await remove.isDisabled(), true);
  await ask.getByLabel('Type e2e doomed workspace to delete it').fill('e2e doomed workspace');
  await shot('admin-delete-workspace');
  await remove.click();
  await storage.getByRole('status').filter({ hasText: 'Deleted e2e doomed workspace and everything of it' }).waitFor();
  await storage.getByText('No workspace matches.').waitFor();
  await assert.rejects(gateway.api(`{ viewer { role } }`, {}, { key: doomed.key }), /API key was revoked|not valid/);
});
