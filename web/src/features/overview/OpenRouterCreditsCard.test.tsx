import { MockedProvider } from '@apollo/client/testing/react';
import type { MockLink } from '@apollo/client/testing';
import { act } from 'react';
import { OpenRouterAccountDocument, SyncOpenRouterActivityDocument } from '../../gql/graphql';
import { OpenRouterCreditsCard } from './OpenRouterCreditsCard';
import { useDomRoot } from '../../test-support/dom-root';

const dom = useDomRoot();

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
        rateLimit: { __typename: 'OpenRouterRateLimit', requests: 200, interval: '10s' },
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
    dom.root.render(
      <MockedProvider mocks={mocks}>
        <OpenRouterCreditsCard />
      </MockedProvider>,
    ),
  );
}

const text = () => dom.container.textContent ?? '';

describe('OpenRouterCreditsCard', () => {
  it('links to the provider key settings when the workspace has no OpenRouter key', async () => {
    render([notConfigured(OpenRouterAccountDocument, 'No OpenRouter key')]);
    await until(() => text().includes('OpenRouter is not set up for this workspace.'));
    const link = dom.container.querySelector<HTMLAnchorElement>('a.button')!;
    expect(link.textContent).toBe('Add an OpenRouter key');
    expect(link.getAttribute('href')).toBe('#/settings?provider=openrouter');
    expect(dom.container.querySelector('button')).toBeNull();
  });

  it.each([
    [0.5, 'credits-ok', 'Plenty left'],
    [0.8, 'credits-warn', 'Running low'],
    [0.95, 'credits-danger', 'Almost used up'],
  ])('colours a bar %s used with %s and says "%s"', async (fraction, barClass, words) => {
    render([account(fraction)]);
    await until(() => dom.container.querySelector('[role="progressbar"]') !== null);
    const bar = dom.container.querySelector('[role="progressbar"]')!;
    expect(bar.querySelector('span')!.className).toBe(barClass);
    expect(bar.getAttribute('aria-valuenow')).toBe(String(fraction * 100));
    expect(text()).toContain(words);
  });

  it('shows the key\'s rate limit in words', async () => {
    render([account(0.2)]);
    await until(() => text().includes('Rate limit'));
    expect(dom.container.querySelector('.credits-rate')!.textContent).toBe('Rate limit 200 requests every 10 seconds');
  });

  it('shows a spinner while syncing, fetches credits and key again, and announces what the sync imported in a toast', async () => {
    render([
      account(0.2),
      {
        request: { query: SyncOpenRouterActivityDocument },
        result: { data: { syncOpenRouterActivity: { __typename: 'OpenRouterSyncResult', fetchedRows: 4, inserted: 4, skippedDuplicates: 0 } } },
        delay: 30,
      },
      account(0.8),
    ]);
    await until(() => dom.container.querySelector('.sync-row button') !== null);
    expect(text()).toContain('20.0% used');
    const status = dom.container.querySelector('.toast-region')!;
    expect(status.getAttribute('role')).toBe('status');
    expect(status.textContent).toBe('');
    const button = dom.container.querySelector<HTMLButtonElement>('.sync-row button')!;
    act(() => button.click());
    await until(() => button.disabled);
    expect(button.textContent).toBe('Syncing…');
    expect(button.querySelector('.spinner')).not.toBeNull();
    await until(() => status.textContent!.includes('Imported 4 new rows of daily activity.'));
    // The toast appears once the credits have been fetched again.
    expect(text()).toContain('80.0% used');
    expect(text()).toContain('Running low');
    expect(dom.container.querySelector('.toast-ok')).not.toBeNull();
    expect(button.disabled).toBe(false);
    act(() => dom.container.querySelector<HTMLButtonElement>('.toast-close')!.click());
    expect(status.textContent).toBe('');
  });

  it("says why a sync failed in the toast, with a link when the workspace lacks its own key", async () => {
    render([account(0.2), notConfigured(SyncOpenRouterActivityDocument, "Syncing OpenRouter activity needs this workspace's own OpenRouter key")]);
    await until(() => dom.container.querySelector('.sync-row button') !== null);
    act(() => dom.container.querySelector<HTMLButtonElement>('.sync-row button')!.click());
    await until(() => dom.container.querySelector('.toast-error') !== null);
    const toast = dom.container.querySelector('[role="status"] .toast-error')!;
    expect(toast.textContent).toContain("Syncing OpenRouter activity needs this workspace's own OpenRouter key");
    expect(toast.querySelector('a')!.getAttribute('href')).toBe('#/settings?provider=openrouter');
  });
});
