import type { ProviderKeyFieldsFragment } from '../../gql/graphql';

/** Providers the form offers by name; any other name the gateway accepts works too. */
export const KNOWN_PROVIDERS: readonly { id: string; label: string; note: string }[] = [
  { id: 'openrouter', label: 'OpenRouter', note: 'Credits, key usage and the activity sync on the Overview use it.' },
  { id: 'openai', label: 'OpenAI', note: '' },
  { id: 'anthropic', label: 'Anthropic', note: '' },
  { id: 'google', label: 'Google', note: '' },
  { id: 'mistral', label: 'Mistral', note: '' },
  { id: 'groq', label: 'Groq', note: '' },
];

/** The name a provider is shown by: "OpenRouter" for openrouter, the id itself for one the form does not know. */
export function providerLabel(id: string): string {
  return KNOWN_PROVIDERS.find((p) => p.id === id)?.label ?? id;
}

const PROVIDER = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** The provider name as the gateway stores it: trimmed, lower-case. */
export const normalizeProvider = (value: string): string => value.trim().toLowerCase();

/**
 * The form's own check, the same rules the gateway applies, so a mistake is named before
 * anything is sent. Returns the problem in words, or null. Never repeats the key.
 */
export function checkProviderKeyForm(provider: string, key: string): string | null {
  const name = normalizeProvider(provider);
  if (name === '') return 'Choose a provider.';
  if (!PROVIDER.test(name)) return 'A provider name is letters, digits, ".", "_" or "-", at most 64.';
  const trimmed = key.trim();
  if (trimmed === '') return 'Paste the key.';
  if (/\s/.test(trimmed)) return 'A key has no spaces; check what was pasted.';
  if (trimmed.length < 8) return `That key is ${trimmed.length} characters; keys are at least 8.`;
  if (trimmed.length > 512) return `That key is ${trimmed.length} characters; keys are at most 512.`;
  return null;
}

/** A stored key as the settings table shows it: never more than its last four characters. */
export interface ProviderKeyRow {
  provider: string;
  label: string;
  /** "•••• 1a2b". */
  masked: string;
  /** "3 May 2025". */
  added: string;
  addedAt: string;
  isActive: boolean;
}

/** The workspace's keys by provider name, masked. */
export function prepareProviderKeys(keys: readonly ProviderKeyFieldsFragment[], timeZone: string): ProviderKeyRow[] {
  return [...keys]
    .sort((a, b) => a.provider.localeCompare(b.provider))
    .map((key) => ({
      provider: key.provider,
      label: providerLabel(key.provider),
      masked: `•••• ${key.last4}`,
      added: new Date(key.createdAt).toLocaleDateString('en-GB', { timeZone, day: 'numeric', month: 'short', year: 'numeric' }),
      addedAt: key.createdAt,
      isActive: key.isActive,
    }));
}
