import type { PageProps } from '../../pages';
import { useRoute } from '../../routing';
import { ProviderKeysCard } from './ProviderKeysCard';
import './settings.css';

/** The Settings page: the workspace's provider keys. `#/settings?provider=openrouter` opens the form on that provider. */
export function SettingsPage({ timeZone }: PageProps) {
  const { route } = useRoute();
  return (
    <div className="grid">
      <ProviderKeysCard timeZone={timeZone} initialProvider={route.params.get('provider')} />
    </div>
  );
}
