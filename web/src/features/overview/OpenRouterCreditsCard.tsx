import { useCanChange } from '../../viewer-role';
import { useMutation, useQuery } from '@apollo/client/react';
import { useCallback, useRef, useState } from 'react';
import { Card } from '../../components/Card';
import { Toast, type ToastMessage } from '../../components/Toast';
import { cardStatus, describeError } from '../../components/card-status';
import { OpenRouterAccountDocument, SyncOpenRouterActivityDocument } from '../../gql/graphql';
import { hashFor } from '../../routing';
import { describeSync, isNotConfigured, prepareCredits } from './prepare-integrations';
import { MiniFigureList } from './MiniFigureList';
import './integrations.css';

/** The settings link that opens the provider key form on OpenRouter. */
export const OPENROUTER_KEY_HREF = hashFor('settings', { provider: 'openrouter' });

/** OpenRouter credits used (a bar that turns yellow at 70% and red over 90%), the key's usage and rate limit, and the activity sync. */
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
          <MiniFigureList figures={view.usage} />
          <p className="muted credits-rate">
            <span className="mini-label">Rate limit</span> {view.rateLimit}
          </p>
          {mayChange ? <SyncActivity /> : null}
        </>
      ) : null}
    </Card>
  );
}

/**
 * The Sync Activity button: imports the last 30 days of OpenRouter activity, fetches the credits,
 * the key information and the page's other cards again (the import changes their figures), and
 * says what it did in a toast screen readers announce.
 */
function SyncActivity() {
  const [sync, { loading }] = useMutation(SyncOpenRouterActivityDocument, {
    refetchQueries: 'active',
    awaitRefetchQueries: true,
  });
  const [toast, setToast] = useState<ToastMessage | null>(null);
  const nextId = useRef(0);
  const dismiss = useCallback(() => setToast(null), []);
  const run = async () => {
    setToast(null);
    const id = ++nextId.current;
    try {
      const result = await sync();
      if (result.data) setToast({ id, tone: 'ok', content: describeSync(result.data.syncOpenRouterActivity) });
    } catch (failure) {
      setToast({
        id,
        tone: 'error',
        content: (
          <>
            {describeError(failure as Error)}
            {isNotConfigured(failure) ? (
              <>
                {' '}
                <a href={OPENROUTER_KEY_HREF}>Add a workspace key</a>
              </>
            ) : null}
          </>
        ),
      });
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
      <span className="sync-message muted">{loading ? 'Importing the last 30 days of activity…' : ''}</span>
      <Toast message={toast} onDismiss={dismiss} />
    </div>
  );
}
