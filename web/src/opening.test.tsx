import { render, screen } from '@testing-library/react';
import { App, startOpeningPage } from './App';
import { storeKey } from './session';

// The chart library ships ESM that jest does not load; no chart is drawn here (no answer ever arrives).
jest.mock('@nivo/bar', () => ({}));
jest.mock('@nivo/line', () => ({}));
jest.mock('@nivo/pie', () => ({}));
jest.mock('@nivo/radar', () => ({}));

/** Every GraphQL request sent, as "operation variables"; none is ever answered. */
function recordFetch(): string[] {
  const sent: string[] = [];
  globalThis.fetch = jest.fn((_url: unknown, init?: { body?: unknown }) => {
    const { operationName, variables } = JSON.parse(String(init?.body)) as { operationName: string; variables: unknown };
    sent.push(`${operationName} ${JSON.stringify(variables)}`);
    return new Promise<Response>(() => undefined);
  }) as typeof fetch;
  return sent;
}

afterEach(() => {
  storeKey(null);
  window.location.hash = '';
});

test('with a stored key, the key check and the opening page\'s queries start before the first render, and the app sends none of them again', async () => {
  const sent = recordFetch();
  storeKey('tly_test_key');
  window.location.hash = '#/overview?period=LAST_7D&tz=Europe/Paris';

  startOpeningPage();
  const beforeRender = [...sent];
  expect(beforeRender.map((request) => request.split(' ')[0]).sort()).toEqual(
    ['AnalyticsChart', 'AnalyticsChart', 'ChartPresets', 'CostByModel', 'RecentCalls', 'Summary', 'TokensOverTime', 'Viewer'].sort(),
  );
  expect(beforeRender).toContain('TokensOverTime {"query":{"period":"LAST_7D","bucket":"DAY","timezone":"Europe/Paris","metrics":["INPUT_TOKENS","OUTPUT_TOKENS"]}}');

  render(<App />);
  await screen.findByText('Checking your key…');

  expect(sent.slice(beforeRender.length)).toEqual([]);
});

test("a link carrying a filter starts none of the unfiltered page's queries: the page asks its filtered ones", async () => {
  const sent = recordFetch();
  storeKey('tly_test_key');
  window.location.hash = '#/overview?period=LAST_7D&tag=prod';

  startOpeningPage();
  render(<App />);
  await screen.findByText('Checking your key…');
  expect(sent.map((request) => request.split(' ')[0])).toEqual(['Viewer']);
});

test('without a stored key, nothing is sent before the key screen', async () => {
  const sent = recordFetch();
  startOpeningPage();
  render(<App />);
  await screen.findByLabelText('API key');
  expect(sent).toEqual([]);
});

test("a link naming a scope opens the session in that scope: the opening page's queries go out in it once", () => {
  const scopes: string[] = [];
  globalThis.fetch = jest.fn((_url: unknown, init?: { body?: unknown; headers?: Record<string, string> }) => {
    const { operationName } = JSON.parse(String(init?.body)) as { operationName: string };
    scopes.push(`${operationName} ${init?.headers?.['x-workspace-id'] ?? 'own'}`);
    return new Promise<Response>(() => undefined);
  }) as typeof fetch;
  storeKey('tly_test_key');
  window.location.hash = '#/admin?scope=all&period=LAST_30D';

  startOpeningPage();
  expect(scopes.sort()).toEqual(['AdminCostAnalytics __all__', 'AdminDashboard __all__', 'AdminWorkspaceCosts __all__', 'Viewer __all__']);
});
