import { MockedProvider } from '@apollo/client/testing/react';
import type { MockLink } from '@apollo/client/testing';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { OpenRouterAccountDocument, SyncOpenRouterActivityDocument } from '../../gql/graphql';
import { OpenRouterCreditsCard } from './OpenRouterCreditsCard';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let container: HTMLDivElement;
let root: Root;

beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
});

afterEach(() => {
  act(() => root.unmount());
  container.remove();
});

/** Lets Apollo and React settle until `check` holds (a few macrotasks at most). */
async function until(check: () => boolean): Promise<void> {
  // Each turn lets pending work settle; a busy machine may need many turns.
  for (let i = 0; i < 1000 && !check(); i++) {
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
  }
  expect(check()).toBe(true);
}

const account = (usedFraction: number): MockLink.MockedResponse => ({
  request: { query: OpenRouterAccountDocument },
  result: {
    data: {
      openRouterCredits: { __typename: 'OpenRouterCredits', totalCredits: 50, totalUsage: 50 * usedFraction, remaining: 50 - 50 * usedFraction, usedFraction },
      openRouterKeyInfo: {
        __typename: 'OpenRouterKeyInfo',
        label: null,
        limit: null,
        limitRemaining: null,
        usage: 10,
        usageDaily: 1,
        usageWeekly: 2,
        usageMonthly: 3,
        isFreeTier: false,
      },
    },
  },
});

const notConfigured = (query: MockLink.MockedResponse['request']['query'], message: string): MockLink.MockedResponse => ({
  request: { query },
  result: { errors: [{ message, extensions: { code: 'NOT_CONFIGURED' } }] },
});

function render(mocks: MockLink.MockedResponse[]) {
  act(() =>
    root.render(
      <MockedProvider mocks={mocks}>
        <OpenRouterCreditsCard />
      </MockedProvider>,
    ),
  );
}

const text = () => container.textContent ?? '';

describe('OpenRouterCreditsCard', () => {
  it('links to the provider key settings when the workspace has no OpenRouter key', async () => {
    render([notConfigured(OpenRouterAccountDocument, 'No OpenRouter key')]);
    await until(() => text().includes('OpenRouter is not set up for this workspace.'));
    const link = container.querySelector<HTMLAnchorElement>('a.button')!;
    expect(link.textContent).toBe('Add an OpenRouter key');
    expect(link.getAttribute('href')).toBe('#/settings?provider=openrouter');
    expect(container.querySelector('button')).toBeNull();
  });

  it.each([
    [0.5, 'credits-ok', 'Plenty left'],
    [0.8, 'credits-warn', 'Running low'],
    [0.95, 'credits-danger', 'Almost used up'],
  ])('colours a bar %s used with %s and says "%s"', async (fraction, barClass, words) => {
    render([account(fraction)]);
    await until(() => container.querySelector('[role="progressbar"]') !== null);
    const bar = container.querySelector('[role="progressbar"]')!;
    expect(bar.querySelector('span')!.className).toBe(barClass);
    expect(bar.getAttribute('aria-valuenow')).toBe(String(fraction * 100));
    expect(text()).toContain(words);
  });

  it('shows a spinner while syncing, then what the sync imported', async () => {
    render([
      account(0.2),
      {
        request: { query: SyncOpenRouterActivityDocument },
        result: { data: { syncOpenRouterActivity: { __typename: 'OpenRouterSyncResult', fetchedRows: 4, inserted: 4, skippedDuplicates: 0 } } },
        delay: 30,
      },
    ]);
    await until(() => container.querySelector('.sync-row button') !== null);
    const button = container.querySelector<HTMLButtonElement>('.sync-row button')!;
    act(() => button.click());
    await until(() => button.disabled);
    expect(button.textContent).toBe('Syncing…');
    expect(button.querySelector('.spinner')).not.toBeNull();
    await until(() => text().includes('Imported 4 new rows of daily activity.'));
    expect(button.disabled).toBe(false);
    expect(container.querySelector('[role="status"].sync-message')!.textContent).toBe('Imported 4 new rows of daily activity.');
  });

  it("says why a sync failed, with a link when the workspace lacks its own key", async () => {
    render([account(0.2), notConfigured(SyncOpenRouterActivityDocument, "Syncing OpenRouter activity needs this workspace's own OpenRouter key")]);
    await until(() => container.querySelector('.sync-row button') !== null);
    act(() => container.querySelector<HTMLButtonElement>('.sync-row button')!.click());
    await until(() => container.querySelector('[role="alert"]') !== null);
    const alert = container.querySelector('[role="alert"]')!;
    expect(alert.textContent).toContain("Syncing OpenRouter activity needs this workspace's own OpenRouter key");
    expect(alert.querySelector('a')!.getAttribute('href')).toBe('#/settings?provider=openrouter');
  });
});
