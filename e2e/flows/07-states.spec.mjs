// The states around the figures: a card that cannot load says so and retries; a workspace
// with nothing in it says what to do on every card.
import { test } from '../support/fixtures.mjs';
import { assert, eventually } from '../support/expect.mjs';
import { card, expectChart, openPage, settled, signIn, chooseScope } from '../support/dashboard.mjs';

test('a card whose request fails says so, and its Retry button loads it', async ({ page, gateway, expectProblem }) => {
  expectProblem(/HTTP 503: POST .*\/graphql/);
  expectProblem(/console error: Failed to load resource: the server responded with a status of 503/);
  let failing = true;
  await page.route('**/graphql', async (route) => {
    if (failing && route.request().postDataJSON()?.operationName === 'CostByModel') {
      await route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ errors: [{ message: 'The database is not answering', extensions: { code: 'UNAVAILABLE' } }] }) });
    } else {
      await route.continue();
    }
  });
  await signIn(page, gateway);
  const costByModel = card(page, 'Cost by model');
  const alert = costByModel.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /Could not load this card/);
  // The other cards are not held up by one that failed.
  await expectChart(card(page, 'Tokens over time'), 2);

  failing = false;
  await costByModel.getByRole('button', { name: 'Retry' }).click();
  await expectChart(costByModel, 3);
  assert.equal(await costByModel.getByRole('alert').count(), 0);
});

test('a workspace without calls says on every card what to do, instead of empty boxes', async ({ page, gateway }) => {
  const name = `Empty e2e ${Date.now()}`;
  const { createWorkspace } = await gateway.api(`mutation ($name: String!) { createWorkspace(name: $name, plan: "free") { id } }`, { name });
  await signIn(page, gateway);
  await chooseScope(page, name, `${name} · free`);
  await page.waitForURL(new RegExp(`scope=${createWorkspace.id}`));
  for (const path of ['overview', 'costs', 'tools']) {
    await openPage(page, gateway, path, { scope: createWorkspace.id });
    await settled(page);
    const cards = page.locator('main .card');
    const empty = page.locator('main .card .card-empty');
    await eventually(async () => assert.ok((await empty.count()) >= 2, `${path}: cards say they are empty`));
    for (const text of await empty.allInnerTexts()) assert.ok(text.trim().length > 20, `${path}: an empty card explains itself: "${text}"`);
    assert.equal(await page.locator('main .card-error').count(), 0, `${path}: no card failed`);
    assert.ok((await cards.count()) >= (await empty.count()));
  }
});
