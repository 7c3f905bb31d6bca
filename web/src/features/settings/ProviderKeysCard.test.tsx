import { MockedProvider } from '@apollo/client/testing/react';
import type { MockLink } from '@apollo/client/testing';
import { act } from 'react';
import { DeleteProviderKeyDocument, ProviderKeysDocument, SetProviderKeyDocument } from '../../gql/graphql';
import { ProviderKeysCard } from './ProviderKeysCard';
import { useDomRoot } from '../../test-support/dom-root';

const dom = useDomRoot();

async function until(check: () => boolean): Promise<void> {
  // Each turn lets pending work settle; a busy machine may need many turns.
  for (let i = 0; i < 1000 && !check(); i++) {
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
  }
  expect(check()).toBe(true);
}

const key = (provider: string, last4: string) => ({ __typename: 'ProviderKey' as const, provider, last4, isActive: true, createdAt: '2025-06-01T08:00:00.000Z' });
const list = (...keys: ReturnType<typeof key>[]): MockLink.MockedResponse => ({ request: { query: ProviderKeysDocument }, result: { data: { providerKeys: keys } } });

function render(mocks: MockLink.MockedResponse[], initialProvider: string | null = null) {
  act(() =>
    dom.root.render(
      <MockedProvider mocks={mocks}>
        <ProviderKeysCard timeZone="UTC" initialProvider={initialProvider} />
      </MockedProvider>,
    ),
  );
}

/** Types into a controlled input the way a browser does. */
function type(input: HTMLInputElement, value: string) {
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
  act(() => {
    setter.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

const rows = () => [...dom.container.querySelectorAll('table.provider-keys tbody tr')].map((tr) => tr.querySelectorAll('td')[1].textContent);
const input = (label: string) => {
  const id = [...dom.container.querySelectorAll('label')].find((l) => l.textContent === label)!.htmlFor;
  return document.getElementById(id) as HTMLInputElement;
};
const button = (name: string) => [...dom.container.querySelectorAll('button')].find((b) => b.textContent === name)!;

describe('ProviderKeysCard', () => {
  it('lists the keys by their last four characters only', async () => {
    render([list(key('openrouter', 'x9Zq'))]);
    await until(() => rows().length === 1);
    expect(rows()).toEqual(['•••• x9Zq']);
  });

  it('names a mistake in the form before sending anything', async () => {
    render([list()]);
    await until(() => dom.container.textContent!.includes('No provider keys yet'));
    type(input('Provider'), 'openai');
    type(input('API key'), 'sk-ab');
    act(() => button('Save key').click());
    expect(dom.container.querySelector('[role="alert"]')!.textContent).toBe('That key is 5 characters; keys are at least 8.');
    expect(input('API key').getAttribute('aria-invalid')).toBe('true');
  });

  it('saves a key, clears the field and shows the new row', async () => {
    render([
      list(),
      { request: { query: SetProviderKeyDocument, variables: { provider: 'openai', key: 'sk-proj-abcdef1234' } }, result: { data: { setProviderKey: key('openai', '1234') } } },
      list(key('openai', '1234')),
    ]);
    await until(() => dom.container.textContent!.includes('No provider keys yet'));
    type(input('Provider'), ' OpenAI ');
    type(input('API key'), 'sk-proj-abcdef1234');
    act(() => button('Save key').click());
    await until(() => rows().length === 1);
    expect(dom.container.querySelector('[role="status"].form-message')!.textContent).toBe('Saved the OpenAI key ending in 1234.');
    expect(input('API key').value).toBe('');
    expect(dom.container.textContent).not.toContain('sk-proj-abcdef1234');
  });

  it('asks before deleting, then deletes', async () => {
    render([
      list(key('anthropic', '1a2b')),
      { request: { query: DeleteProviderKeyDocument, variables: { provider: 'anthropic' } }, result: { data: { deleteProviderKey: true } } },
      list(),
    ]);
    await until(() => rows().length === 1);
    act(() => button('Delete').click());
    expect(dom.container.querySelector('[role="group"]')!.getAttribute('aria-label')).toBe('Delete the Anthropic key?');
    act(() => button('Delete key').click());
    await until(() => dom.container.textContent!.includes('Deleted the Anthropic key.'));
    await until(() => rows().length === 0);
  });

  it('puts a replaced provider in the form and the cursor in the key field', async () => {
    render([list(key('openrouter', 'x9Zq'))]);
    await until(() => rows().length === 1);
    act(() => button('Replace').click());
    expect(input('Provider').value).toBe('openrouter');
    expect(document.activeElement).toBe(input('API key'));
    expect(dom.container.textContent).toContain('Paste the new OpenRouter key: it replaces the one ending in x9Zq.');
  });

  it('opens on the provider a link names', async () => {
    render([list()], 'openrouter');
    expect(input('Provider').value).toBe('openrouter');
    expect(document.activeElement).toBe(input('API key'));
  });
});
