import type { PageProps } from '../../pages';
import { useRoute } from '../../routing';
import { DisplayCard } from './DisplayCard';
import { ProviderKeysCard } from './ProviderKeysCard';
import './settings.css';

/** The Settings page: the workspace's provider keys, and how days and times are shown. `#/settings?provider=openrouter` opens the form on that provider. */
export function SettingsPage({ timeZone }: PageProps) {
  const { route } = useRoute();
  return (
    <div className="grid">
      <ProviderKeysCard timeZone={timeZone} initialProvider={route.params.get('provider')} />
      <DisplayCard timeZone={timeZone} />
    </div>
  );
}
