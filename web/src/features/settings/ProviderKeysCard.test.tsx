import type { MockLink } from '@apollo/client/testing';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DeleteProviderKeyDocument, ProviderKeysDocument, SetProviderKeyDocument } from '../../gql/graphql';
import { renderWithMocks } from '../../test-support/render-with-apollo';
import { bodyRows } from '../../test-support/table-rows';
import { ProviderKeysCard } from './ProviderKeysCard';

const key = (provider: string, last4: string) => ({ __typename: 'ProviderKey' as const, provider, last4, isActive: true, createdAt: '2025-06-01T08:00:00.000Z' });
const list = (...keys: ReturnType<typeof key>[]): MockLink.MockedResponse => ({ request: { query: ProviderKeysDocument }, result: { data: { providerKeys: keys } } });

function render(mocks: MockLink.MockedResponse[], initialProvider: string | null = null) {
  renderWithMocks(<ProviderKeysCard timeZone="UTC" initialProvider={initialProvider} />, mocks);
}

/** The Key column of the stored keys. */
const storedKeys = () => bodyRows(screen.getByRole('table', { name: 'Stored provider keys' })).map((cells) => cells[1]);
const field = (label: string) => screen.getByLabelText<HTMLInputElement>(label);
const noKeysYet = /^No provider keys yet\./;

describe('ProviderKeysCard', () => {
  it('lists the keys by their last four characters only', async () => {
    render([list(key('openrouter', 'x9Zq'))]);
    await screen.findByRole('table', { name: 'Stored provider keys' });
    expect(storedKeys()).toEqual(['•••• x9Zq']);
  });

  it('names a mistake in the form before sending anything', async () => {
    const user = userEvent.setup();
    render([list()]);
    await screen.findByText(noKeysYet);
    await user.type(field('Provider'), 'openai');
    await user.type(field('API key'), 'sk-ab');
    await user.click(screen.getByRole('button', { name: 'Save key' }));
    expect(screen.getByRole('alert').textContent).toBe('That key is 5 characters; keys are at least 8.');
    expect(field('API key').getAttribute('aria-invalid')).toBe('true');
  });

  it('saves a key, clears the field and shows the new row', async () => {
    const user = userEvent.setup();
    render([
      list(),
      { request: { query: SetProviderKeyDocument, variables: { provider: 'openai', key: 'sk-proj-abcdef1234' } }, result: { data: { setProviderKey: key('openai', '1234') } } },
      list(key('openai', '1234')),
    ]);
    await screen.findByText(noKeysYet);
    await user.type(field('Provider'), ' OpenAI ');
    await user.type(field('API key'), 'sk-proj-abcdef1234');
    await user.click(screen.getByRole('button', { name: 'Save key' }));
    await screen.findByRole('table', { name: 'Stored provider keys' });
    expect(storedKeys()).toEqual(['•••• 1234']);
    expect(screen.getByRole('status').textContent).toBe('Saved the OpenAI key ending in 1234.');
    expect(field('API key').value).toBe('');
    expect(screen.queryByText(/sk-proj-abcdef1234/)).toBeNull();
  });

  it('asks before deleting, then deletes', async () => {
    const user = userEvent.setup();
    render([
      list(key('anthropic', '1a2b')),
      { request: { query: DeleteProviderKeyDocument, variables: { provider: 'anthropic' } }, result: { data: { deleteProviderKey: true } } },
      list(),
    ]);
    await user.click(await screen.findByRole('button', { name: 'Delete' }));
    const confirm = screen.getByRole('group', { name: 'Delete the Anthropic key?' });
    await user.click(within(confirm).getByRole('button', { name: 'Delete key' }));
    await screen.findByText('Deleted the Anthropic key.');
    await screen.findByText(noKeysYet);
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('puts a replaced provider in the form and the cursor in the key field', async () => {
    const user = userEvent.setup();
    render([list(key('openrouter', 'x9Zq'))]);
    await user.click(await screen.findByRole('button', { name: 'Replace' }));
    expect(field('Provider').value).toBe('openrouter');
    expect(document.activeElement).toBe(field('API key'));
    expect(screen.queryByText('Paste the new OpenRouter key: it replaces the one ending in x9Zq.')).not.toBeNull();
  });

  it('opens on the provider a link names', () => {
    render([list()], 'openrouter');
    expect(field('Provider').value).toBe('openrouter');
    expect(document.activeElement).toBe(field('API key'));
  });
});
