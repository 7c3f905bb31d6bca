import { useCanChange } from '../../viewer-role';
import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { Card } from '../../components/Card';
import { cardStatus, describeError } from '../../components/card-status';
import { OpenRouterAccountDocument, SyncOpenRouterActivityDocument } from '../../gql/graphql';
import { hashFor } from '../../routing';
import { describeSync, isNotConfigured, prepareCredits } from './prepare-integrations';
import './integrations.css';

/** The settings link that opens the provider key form on OpenRouter. */
export const OPENROUTER_KEY_HREF = hashFor('settings', { provider: 'openrouter' });

/** OpenRouter credits used (a bar that turns yellow at 70% and red over 90%), the key's usage, and the activity sync. */
export function OpenRouterCreditsCard() {
  const { data, loading, error, refetch } = useQuery(OpenRouterAccountDocument, { fetchPolicy: 'cache-and-network' });
  const mayChange = useCanChange();
  const view = data ? prepareCredits(data) : null;
  const notConfigured = !data && isNotConfigured(error);
  const status = notConfigured
    ? ({
        kind: 'empty',
        message: (
          <div className="not-configured">
            <p>
              <strong>OpenRouter is not set up for this workspace.</strong> Add your OpenRouter API key to see credits and usage, and to
              import your OpenRouter activity.
            </p>
            {mayChange ? (
              <p>
                <a className="button button-primary" href={OPENROUTER_KEY_HREF}>
                  Add an OpenRouter key
                </a>
              </p>
            ) : (
              <p className="muted">A member or admin of this workspace can add one on the Settings page.</p>
            )}
          </div>
        ),
      } as const)
    : cardStatus({ loading, error, hasData: view !== null, isEmpty: false, emptyMessage: null, retry: () => void refetch() });
  return (
    <Card title="OpenRouter credits" caption={view?.keyLine ?? 'Credits bought and used on OpenRouter'} status={status} minBodyHeight={200}>
      {view ? (
        <>
          <div className="credits-headline">
            <span className="credits-used">{view.usedText}</span>
            <span className={`tone-text-${view.tone}`}>{view.toneText}</span>
          </div>
          <div
            className="credits-bar"
            role="progressbar"
            aria-label="OpenRouter credits used"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={view.percent}
            aria-valuetext={`${view.usedText}, ${view.toneText.toLowerCase()}`}
          >
            <span className={`credits-${view.tone}`} style={{ width: `${view.percent}%` }} />
          </div>
          <p className="muted credits-amounts">{view.amounts}</p>
          <ul className="mini-figures">
            {view.usage.map((figure) => (
              <li key={figure.label} className="mini-figure">
                <span className="mini-label">{figure.label}</span>
                <span className="mini-value">{figure.value}</span>
              </li>
            ))}
          </ul>
          {mayChange ? <SyncActivity /> : null}
        </>
      ) : null}
    </Card>
  );
}

/** The Sync Activity button: imports the last 30 days of OpenRouter activity and says what it did. */
function SyncActivity() {
  const [sync, { loading }] = useMutation(SyncOpenRouterActivityDocument);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string; keyMissing: boolean } | null>(null);
  const run = async () => {
    setOutcome(null);
    try {
      const result = await sync();
      if (result.data) setOutcome({ ok: true, text: describeSync(result.data.syncOpenRouterActivity), keyMissing: false });
    } catch (failure) {
      setOutcome({ ok: false, text: describeError(failure as Error), keyMissing: isNotConfigured(failure) });
    }
  };
  return (
    <div className="sync-row">
      <button type="button" className="button" onClick={() => void run()} disabled={loading} aria-busy={loading}>
        {loading ? (
          <>
            <span className="spinner" aria-hidden="true" />
            Syncing…
          </>
        ) : (
          'Sync activity'
        )}
      </button>
      <span className="sync-message muted" role="status">
        {outcome?.ok ? outcome.text : loading ? 'Importing the last 30 days of activity…' : ''}
      </span>
      {outcome && !outcome.ok ? (
        <span className="sync-message sync-error" role="alert">
          {outcome.text}
          {outcome.keyMissing ? (
            <>
              {' '}
              <a href={OPENROUTER_KEY_HREF}>Add a workspace key</a>
            </>
          ) : null}
        </span>
      ) : null}
    </div>
  );
}
