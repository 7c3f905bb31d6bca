// axe-core (WCAG 2.1 A and AA) on the key screen and on every page with data in it, in the
// light theme and the system's dark mode, with every state each page opens: expanded rows,
// forms behind a button, dialogs. The pages come from the dashboard's own definitions, so a page
// added later is swept without a change here. The states that a flow reaches by doing
// something (an Insights answer, GraphiQL, a refused key) are checked at the end of that flow's
// test by the fixtures (e2e/support/fixtures.mjs).
import { test } from '../support/fixtures.mjs';
import { accessibilityProblems } from '../support/accessibility.mjs';
import { assert } from '../support/expect.mjs';
import { everyPage, openEveryState, settled } from '../support/dashboard.mjs';

/**
 * What the demo data leaves empty, so each page shows its filled state: tools used by agents and
 * connected apps, a call of a model no price covers (its price form), a budget.
 */
async function fillTheEmptyCards(gateway) {
  for (const [agentId, appName, actionName, count] of [
    ['support-bot', 'slack', 'SLACK_LIST_CHANNELS', 12],
    ['support-bot', 'gmail', 'GMAIL_FETCH_EMAILS', 4],
    ['research-agent', 'github', 'GITHUB_LIST_ISSUES', 7],
  ]) {
    await gateway.api(`mutation ($input: ComposioActionInput!) { recordComposioAction(input: $input) { usageCount } }`, { input: { agentId, appName, actionName, count } });
  }
  await gateway.api(`mutation { recordComposioConnection(input: { appName: "slack", status: ACTIVE, documentsSynced: 120 }) { appName } }`);
  await gateway.api(`mutation ($input: LlmCallInput!) { trackLlmCall(input: $input) { id } }`, {
    input: { modelId: 'e2e-unpriced-model', provider: 'e2e-provider', inputTokens: 900, outputTokens: 90, latencyMs: 400, status: 'SUCCESS', requestType: 'chat', agentId: 'support-bot' },
  });
  await gateway.api(`mutation { setBudget(input: { amount: 50, window: MONTH }) { id } }`);
}

test(
  'every page, and every state it opens, has no serious or critical axe-core violation in light or dark',
  async ({ page, gateway, shot }) => {
    test.setTimeout(400_000);
    await fillTheEmptyCards(gateway);
    const problems = [];
    await page.goto(gateway.url);
    await page.getByRole('heading', { name: 'Sign in with an API key' }).waitFor();
    problems.push(...(await accessibilityProblems(page, 'Key screen')));

    await page.getByRole('textbox', { name: 'API key' }).fill(gateway.adminKey);
    await page.getByRole('button', { name: 'Open the dashboard' }).click();
    await page.getByRole('navigation', { name: 'Pages' }).waitFor();
    const pages = await everyPage(page);
    assert.ok(pages.length >= 7, `the sweep found only ${pages.length} pages: ${pages.map((p) => p.path).join(', ')}`);
    for (const { path, title } of pages) {
      await page.goto(`${gateway.url}/#/${path}?period=LAST_30D`);
      await page.getByRole('heading', { level: 1, name: title, exact: true }).waitFor();
      await settled(page);
      problems.push(...(await accessibilityProblems(page, title)));
      const opened = await openEveryState(page, async (dialog) => {
        problems.push(...(await accessibilityProblems(page, `${title}, ${dialog}`)));
      });
      if (opened.length > 0) {
        problems.push(...(await accessibilityProblems(page, `${title}, opened: ${opened.join(', ')}`)));
        await shot(`accessibility-${path}-opened`);
      }
    }
    assert.ok(problems.length === 0, `accessibility violations (axe-core, WCAG 2.1 A and AA):\n${problems.join('\n')}`);
  },
);
