import { test } from '../support/fixtures.mjs';
import { assert, eventually } from '../support/expect.mjs';
import { signIn } from '../support/dashboard.mjs';

/** An editor's text: it draws spaces as no-break spaces. */
const editorText = async (locator) => (await locator.innerText()).replace(/\u00a0/g, ' ');

/** Opens /graphiql with an operation, as a shared link does, and runs it with the toolbar button. */
async function runInGraphiql(page, gateway, query) {
  await page.goto(`${gateway.url}/graphiql?query=${encodeURIComponent(query)}`);
  // The editors load after the page: run once the operation is in the editor and the schema is in.
  const editor = page.getByRole('region', { name: 'Operation Editor' });
  await eventually(async () => assert.ok((await editorText(editor)).includes(query.slice(0, 12)), 'the operation is in the editor'));
  await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
  await page.getByRole('link', { name: 'Query', exact: true }).waitFor();
  await page.getByRole('button', { name: 'Hide Documentation Explorer' }).click();
  await page.getByRole('button', { name: /^Execute query/ }).click();
  const region = page.getByRole('region', { name: 'Result Window' });
  return { innerText: () => editorText(region) };
}

test('GraphiQL at /graphiql signs in with the dashboard key, knows the schema and runs a query', async ({ page, gateway }) => {
  await signIn(page, gateway);
  await page.getByRole('link', { name: 'API explorer' }).click();
  await page.waitForURL(/\/graphiql$/);
  const headers = page.getByRole('region', { name: 'Headers' });
  await eventually(async () => assert.match(await editorText(headers), /"Authorization":\s+"Bearer tly_/));

  const result = await runInGraphiql(page, gateway, '{ viewer { role workspace { name } } }');
  await eventually(async () => assert.match(await result.innerText(), /"role": "ADMIN"/));
  assert.match(await result.innerText(), /Main workspace/);

  // Introspection needs a key: the documentation explorer fills only because the header was sent.
  await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
  await page.getByRole('link', { name: 'Subscription', exact: true }).click();
  await page.getByText('llmCallTracked', { exact: true }).first().waitFor();
});

test('GraphiQL runs a subscription over the WebSocket and shows each call as it lands', async ({ page, gateway }) => {
  await signIn(page, gateway);
  const agentId = `e2e-graphiql-${Date.now()}`;
  const result = await runInGraphiql(page, gateway, `subscription { llmCallTracked(filter: { agentIds: ["${agentId}"] }) { agent { id } modelId totalTokens } }`);
  await page.getByRole('button', { name: /^Stop/ }).waitFor();
  await eventually(
    async () => {
      await gateway.api(`mutation ($input: LlmCallInput!) { trackLlmCall(input: $input) { id } }`, {
        input: { modelId: 'gpt-4o', provider: 'openai', inputTokens: 70, outputTokens: 7, latencyMs: 90, status: 'SUCCESS', requestType: 'chat', agentId },
      });
      assert.match(await result.innerText(), new RegExp(agentId));
    },
    { timeoutMs: 15_000, intervalMs: 1_000 },
  );
  assert.match(await result.innerText(), /"totalTokens": 77/);
});

test('GraphiQL\'s panels and dialogs (documentation, history, short keys, settings) pass axe-core in light and dark', async ({ page, gateway, expectAccessible }) => {
  await signIn(page, gateway);
  const result = await runInGraphiql(page, gateway, '{ viewer { role } }');
  await eventually(async () => assert.match(await result.innerText(), /"role": "ADMIN"/));
  // Every button of the sidebar opens a panel or a dialog: check each while it is open.
  const sidebar = page.locator('.graphiql-sidebar');
  const names = await sidebar.getByRole('button').evaluateAll((buttons) => buttons.map((button) => button.getAttribute('aria-label')));
  assert.ok(names.length >= 4, `the sidebar has its buttons: ${names.join(', ')}`);
  for (const name of names.filter((label) => label && !/^Re-fetch/.test(label))) {
    await sidebar.getByRole('button', { name, exact: true }).click();
    const dialog = page.getByRole('dialog');
    if (await dialog.isVisible()) {
      await expectAccessible(`the "${name}" dialog`);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
    } else {
      await page.locator('.graphiql-plugin').waitFor();
      await expectAccessible(`the "${name}" panel`);
    }
  }
});
