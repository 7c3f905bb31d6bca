// `node e2e/docs-screenshots.mjs`: the README's tour pictures (docs/screenshots/*.png), taken from
// a gateway with demo data and live demo traffic, each page as a laptop shows its top, scaled down.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser } from './support/browser.mjs';
import { openPage, settled, signIn } from './support/dashboard.mjs';
import { root, startGateway } from './support/gateway.mjs';

const out = join(root, 'docs/screenshots');
mkdirSync(out, { recursive: true });
const gateway = await startGateway({ env: { TALLY_DEMO_TRAFFIC: 'on' }, say: console.log });
const browser = await launchBrowser();
try {
  const actions = [
    ['support-bot', 'slack', 'SLACK_SEND_MESSAGE', 42],
    ['research-agent', 'github', 'GITHUB_CREATE_ISSUE', 17],
    ['code-reviewer', 'github', 'GITHUB_COMMENT_ON_PR', 29],
    ['support-bot', 'gmail', 'GMAIL_SEND_EMAIL', 8],
  ];
  for (const [agentId, appName, actionName, count] of actions) {
    await gateway.api(`mutation ($input: ComposioActionInput!) { recordComposioAction(input: $input) { usageCount } }`, { input: { agentId, appName, actionName, count } });
  }
  for (const appName of ['slack', 'github', 'gmail']) {
    await gateway.api(`mutation ($input: ComposioConnectionInput!) { recordComposioConnection(input: $input) { appName } }`, { input: { appName, status: 'ACTIVE' } });
  }
  // Two agents run as services of their own, beating under their ids: the Agents page shows their heartbeats.
  for (const [service, instanceId] of [['code-reviewer', 'code-reviewer-1'], ['research-agent', 'research-agent-1']]) {
    await gateway.api(`mutation ($service: String!, $instanceId: String!) { heartbeat(service: $service, instanceId: $instanceId, intervalSeconds: 30) { status } }`, { service, instanceId });
  }
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 0.625, colorScheme: 'light', timezoneId: 'UTC', locale: 'en-GB' });
  const page = await context.newPage();
  await signIn(page, gateway);
  for (const path of ['overview', 'costs', 'agents', 'runs', 'tools', 'monitoring', 'admin']) {
    await openPage(page, gateway, path, { period: 'LAST_30D' });
    await settled(page);
    await page.waitForTimeout(1500); // charts finish their entry animation
    await page.screenshot({ path: join(out, `${path}.png`) });
    console.log(`docs/screenshots/${path}.png`);
  }
  const { agentAnalytics } = await gateway.api(`{ agentAnalytics(period: LAST_30D) { agent { id name } } }`);
  await page.goto(`${gateway.url}/#/agents/${encodeURIComponent(agentAnalytics[0].agent.id)}?period=LAST_30D`);
  await page.getByRole('heading', { level: 2, name: agentAnalytics[0].agent.name, exact: true }).waitFor();
  await settled(page);
  await page.waitForTimeout(1500);
  await page.screenshot({ path: join(out, 'agent-detail.png') });
  console.log('docs/screenshots/agent-detail.png');
  await attributionShots(page);

  // A long run with a failed call shows what the waterfall is for.
  const { runs } = await gateway.api(`{ runs(period: LAST_30D, orderBy: CALLS, filter: { status: ERROR }, limit: 1) { runs { id } } }`);
  await page.goto(`${gateway.url}/#/runs/${encodeURIComponent(runs.runs[0].id)}?period=LAST_30D`);
  await page.locator('.waterfall-bar').first().waitFor();
  await settled(page);
  await page.screenshot({ path: join(out, 'run-waterfall.png') });
  console.log('docs/screenshots/run-waterfall.png');

  await openPage(page, gateway, 'insights');
  await page.getByRole('searchbox', { name: 'Your question' }).fill('daily cost by model over the last 30 days');
  await page.getByRole('button', { name: 'Chart it' }).click();
  await page.locator('.insight-summary').first().waitFor();
  await page.waitForTimeout(1500);
  await page.screenshot({ path: join(out, 'insights.png') });
  console.log('docs/screenshots/insights.png');

  await page.goto(`${gateway.url}/graphiql?query=${encodeURIComponent('query Summary {\n  llmSummary(period: LAST_24H) {\n    totalRequests\n    totalCost\n    p95LatencyMs\n    topModel\n  }\n}')}`);
  await page.getByRole('button', { name: /^Execute query/ }).waitFor();
  await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
  await page.getByRole('link', { name: 'Query', exact: true }).waitFor();
  await page.getByRole('button', { name: /^Execute query/ }).click();
  await page.getByRole('region', { name: 'Result Window' }).getByText('totalRequests').waitFor();
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(out, 'graphiql.png') });
  console.log('docs/screenshots/graphiql.png');
} finally {
  await browser.close();
  await gateway.stop();
}

/**
 * The attribution pictures: calls for a dozen end users over the last 30 days, with sessions,
 * tags and metadata, then the Users and Tags breakdowns, a user's page and a filtered Overview.
 */
async function attributionShots(page) {
  const users = ['acme-corp', 'globex', 'initech', 'umbrella', 'hooli', 'stark-ind', 'wayne-ent', 'wonka', 'tyrell', 'cyberdyne', 'soylent', 'vandelay'];
  const inputs = [];
  for (let n = 0; n < 360; n++) {
    const user = users[(n * n) % users.length];
    const daysAgo = (n * 7) % 29;
    inputs.push({
      eventId: `docs-attribution-${n}`,
      agentId: n % 3 ? 'support-bot' : 'research-agent',
      modelId: ['gpt-4o', 'gpt-4o-mini', 'claude-3-5-haiku-20241022'][n % 3],
      provider: n % 3 === 2 ? 'anthropic' : 'openai',
      requestType: 'chat',
      inputTokens: 4000 + ((n * 997) % 30000) * (users.indexOf(user) < 3 ? 4 : 1),
      outputTokens: 300 + ((n * 131) % 2000),
      latencyMs: 500 + ((n * 37) % 2500),
      occurredAt: new Date(Date.now() - daysAgo * 86_400_000 - (n % 20) * 3_600_000).toISOString(),
      status: n % 17 ? 'SUCCESS' : 'ERROR',
      userId: user,
      sessionId: `${user}-s${daysAgo % 5}`,
      tags: [n % 4 ? 'prod' : 'staging', ['search', 'chat', 'summarise'][n % 3], ...(n % 5 ? [] : ['eu'])],
      metadata: { feature: ['search', 'chat', 'summarise'][n % 3], plan: users.indexOf(user) < 4 ? 'enterprise' : 'team' },
    });
  }
  const { trackLlmCalls } = await gateway.api(`mutation ($inputs: [LlmCallInput!]!) { trackLlmCalls(inputs: $inputs) { accepted } }`, { inputs });
  console.log(`${trackLlmCalls.accepted} attributed calls sent`);

  await openPage(page, gateway, 'costs', { period: 'LAST_30D' });
  await settled(page);
  await page.getByRole('region', { name: 'Users', exact: true }).scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollBy(0, -24));
  await page.waitForTimeout(1000);
  await page.screenshot({ path: join(out, 'costs-users.png') });
  console.log('docs/screenshots/costs-users.png');

  await page.goto(`${gateway.url}/#/users/acme-corp?period=LAST_30D`);
  await page.getByRole('heading', { level: 2, name: 'User acme-corp', exact: true }).waitFor();
  await settled(page);
  await page.waitForTimeout(1500);
  await page.screenshot({ path: join(out, 'user-detail.png') });
  console.log('docs/screenshots/user-detail.png');

  await openPage(page, gateway, 'overview', { period: 'LAST_30D', tag: 'prod', meta: 'plan=enterprise' });
  await settled(page);
  await page.waitForTimeout(1500);
  await page.screenshot({ path: join(out, 'filter-bar.png') });
  console.log('docs/screenshots/filter-bar.png');
}
