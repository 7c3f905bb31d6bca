import type { PageProps } from '../../pages';
import { useRoute } from '../../routing';
import { ApiKeysCard } from './ApiKeysCard';
import { AuditLogCard } from './AuditLogCard';
import { DisplayCard } from './DisplayCard';
import { ProviderKeysCard } from './ProviderKeysCard';
import { RetentionCard } from './RetentionCard';
import './settings.css';

/** The Settings page: the workspace's provider keys, its API keys, retention of raw calls and audit log, and how days and times are shown. `#/settings?provider=openrouter` opens the form on that provider. */
export function SettingsPage({ timeZone, viewer }: PageProps) {
  const { route } = useRoute();
  return (
    <div className="grid">
      <ProviderKeysCard timeZone={timeZone} initialProvider={route.params.get('provider')} />
      <ApiKeysCard viewer={viewer} timeZone={timeZone} />
      <RetentionCard timeZone={timeZone} />
      <AuditLogCard timeZone={timeZone} />
      <DisplayCard timeZone={timeZone} />
    </div>
  );
}
