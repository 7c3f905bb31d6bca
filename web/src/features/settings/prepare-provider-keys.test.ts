import { checkProviderKeyForm, prepareProviderKeys, providerLabel } from './prepare-provider-keys';

describe('checkProviderKeyForm', () => {
  it.each([
    ['', 'sk-valid-key', 'Choose a provider.'],
    ['open ai', 'sk-valid-key', 'A provider name is letters, digits, ".", "_" or "-", at most 64.'],
    ['openai', '   ', 'Paste the key.'],
    ['openai', 'sk-abc def-ghi', 'A key has no spaces; check what was pasted.'],
    ['openai', 'sk-ab', 'That key is 5 characters; keys are at least 8.'],
    ['openai', 'k'.repeat(513), 'That key is 513 characters; keys are at most 512.'],
  ])('refuses provider "%s" with that key: %s', (provider, key, problem) => {
    expect(checkProviderKeyForm(provider, key)).toBe(problem);
  });

  it('accepts a known or new provider in any case, and a key with spaces around it', () => {
    expect(checkProviderKeyForm(' OpenRouter ', '  sk-or-v1-0123456789  ')).toBeNull();
    expect(checkProviderKeyForm('my-llm.internal', 'abcdefgh')).toBeNull();
  });

  it('never repeats the key in its message', () => {
    const key = 'sk-secret with-space';
    expect(checkProviderKeyForm('openai', key)).not.toContain('secret');
  });
});

describe('prepareProviderKeys', () => {
  it('lists keys by provider, masked to their last four characters, with the day they were added', () => {
    const rows = prepareProviderKeys(
      [
        { __typename: 'ProviderKey', provider: 'openrouter', last4: 'x9Zq', isActive: true, createdAt: '2025-05-03T22:30:00.000Z' },
        { __typename: 'ProviderKey', provider: 'anthropic', last4: '1a2b', isActive: true, createdAt: '2025-06-01T08:00:00.000Z' },
      ],
      'Europe/Berlin',
    );
    expect(rows.map((r) => [r.provider, r.label, r.masked, r.added])).toEqual([
      ['anthropic', 'Anthropic', '•••• 1a2b', '1 Jun 2025'],
      ['openrouter', 'OpenRouter', '•••• x9Zq', '4 May 2025'],
    ]);
  });

  it('shows an unknown provider by its own name', () => {
    expect(providerLabel('my-llm')).toBe('my-llm');
  });
});
