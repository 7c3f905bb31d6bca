import type { MockLink } from '@apollo/client/testing';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { OpenRouterAccountDocument, SyncOpenRouterActivityDocument } from '../../gql/graphql';
import { renderWithMocks } from '../../test-support/render-with-apollo';
import { OpenRouterCreditsCard } from './OpenRouterCreditsCard';

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

const render = (mocks: MockLink.MockedResponse[]) => renderWithMocks(<OpenRouterCreditsCard />, mocks);

describe('OpenRouterCreditsCard', () => {
  it('links to the provider key settings when the workspace has no OpenRouter key', async () => {
    render([notConfigured(OpenRouterAccountDocument, 'No OpenRouter key')]);
    expect(await screen.findByText('OpenRouter is not set up for this workspace.')).not.toBeNull();
    expect(screen.getByRole('link', { name: 'Add an OpenRouter key' }).getAttribute('href')).toBe('#/settings?provider=openrouter');
    expect(screen.queryByRole('button')).toBeNull();
  });

  it.each([
    [0.5, 'credits-ok', 'Plenty left'],
    [0.8, 'credits-warn', 'Running low'],
    [0.95, 'credits-danger', 'Almost used up'],
  ])('colours a bar %s used with %s and says "%s"', async (fraction, barClass, words) => {
    render([account(fraction)]);
    const bar = await screen.findByRole('progressbar', { name: 'OpenRouter credits used' });
    expect(bar.querySelector('span')!.className).toBe(barClass);
    expect(bar.getAttribute('aria-valuenow')).toBe(String(fraction * 100));
    expect(screen.queryByText(words)).not.toBeNull();
  });

  it('shows the key\'s rate limit in words', async () => {
    render([account(0.2)]);
    const rateLimit = await screen.findByText('200 requests every 10 seconds');
    expect(rateLimit.textContent).toBe('Rate limit 200 requests every 10 seconds');
  });

  it('shows a spinner while syncing, fetches credits and key again, and announces what the sync imported in a toast', async () => {
    const user = userEvent.setup();
    render([
      account(0.2),
      {
        request: { query: SyncOpenRouterActivityDocument },
        result: { data: { syncOpenRouterActivity: { __typename: 'OpenRouterSyncResult', fetchedRows: 4, inserted: 4, skippedDuplicates: 0 } } },
        delay: 30,
      },
      account(0.8),
    ]);
    const button = await screen.findByRole<HTMLButtonElement>('button', { name: 'Sync activity' });
    expect(screen.queryByText('20.0% used')).not.toBeNull();
    const toasts = screen.getByRole('status');
    expect(toasts.textContent).toBe('');
    await user.click(button);
    await waitFor(() => expect(button.disabled).toBe(true));
    expect(button.textContent).toBe('Syncing…');
    expect(button.querySelector('.spinner')).not.toBeNull();
    const toast = await within(toasts).findByText('Imported 4 new rows of daily activity.');
    // The toast appears once the credits have been fetched again.
    expect(screen.queryByText('80.0% used')).not.toBeNull();
    expect(screen.queryByText('Running low')).not.toBeNull();
    expect(toast.closest('.toast')!.classList.contains('toast-ok')).toBe(true);
    expect(button.disabled).toBe(false);
    await user.click(within(toasts).getByRole('button', { name: 'Dismiss this message' }));
    expect(toasts.textContent).toBe('');
  });

  it("says why a sync failed in the toast, with a link when the workspace lacks its own key", async () => {
    const user = userEvent.setup();
    render([account(0.2), notConfigured(SyncOpenRouterActivityDocument, "Syncing OpenRouter activity needs this workspace's own OpenRouter key")]);
    await user.click(await screen.findByRole('button', { name: 'Sync activity' }));
    const toast = await within(screen.getByRole('status')).findByText(/Syncing OpenRouter activity needs this workspace's own OpenRouter key/);
    expect(toast.closest('.toast')!.classList.contains('toast-error')).toBe(true);
    expect(within(toast).getByRole('link', { name: 'Add a workspace key' }).getAttribute('href')).toBe('#/settings?provider=openrouter');
  });
});
