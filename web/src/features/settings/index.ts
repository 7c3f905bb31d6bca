/** The Settings page and the pure functions that prepare it. */
export { SettingsPage } from './SettingsPage';
export { checkProviderKeyForm, prepareProviderKeys, providerLabel, KNOWN_PROVIDERS, type ProviderKeyRow } from './prepare-provider-keys';
