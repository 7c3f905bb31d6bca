import type { ApolloClient } from '@apollo/client';
import { ApolloProvider, useApolloClient, useQuery } from '@apollo/client/react';
import { Suspense, useEffect, useState } from 'react';
import { createApolloSession, type ApolloSession } from './apollo';
import { cardStatus } from './components/card-status';
import { ErrorBoundary } from './components/ErrorBoundary';
import { KeyScreen } from './components/KeyScreen';
import { PeriodPicker } from './components/PeriodPicker';
import { prefetchAdmin } from './features/admin/admin-queries';
import { DEFAULT_WORKSPACE_SORT } from './features/admin/prepare-workspace-table';
import { prefetchOverview } from './features/overview/overview-queries';
import { isEmptyFilter, readFilter } from './features/attribution/usage-filter';
import { isScopeRefusal, openingScope, SCOPE_PARAM, useFallBackToOwnScope, useScopeFromUrl, WorkspaceScopeContext, WorkspaceSwitcher } from './features/workspaces';
import { ViewerDocument } from './gql/graphql';
import { LiveConnectionContext, useLiveState } from './live';
import { lazyPage, type PageDefinition, type PrefetchRoute, type Viewer } from './pages';
import { parsePeriod } from './period';
import { hashFor, navigate, parseHash, useRoute } from './routing';
import { DisplayTimeZoneContext, resolveTimeZone, TIME_ZONE_PARAM } from './time-zone';
import { storedKey, storedWorkspaceId, storeKey, storeWorkspaceId } from './session';
import { INGEST_KEY_MESSAGE, ROLE_LABEL, ViewerRoleContext } from './viewer-role';

/** The pages in the navigation, in order. Each loads on first visit, with its chart libraries. */
export const PAGES: readonly PageDefinition[] = [
  lazyPage({
    path: 'overview',
    title: 'Overview',
    usesPeriod: true,
    load: () => import('./features/overview').then((m) => m.OverviewPage),
    prefetch: prefetchOverview,
  }),
  lazyPage({ path: 'costs', title: 'Costs', usesPeriod: true, load: () => import('./features/costs').then((m) => m.CostsPage) }),
  lazyPage({ path: 'users', title: 'Users', usesPeriod: true, unlisted: true, load: () => import('./features/attribution/UsersPage').then((m) => m.UsersPage) }),
  lazyPage({ path: 'agents', title: 'Agents', usesPeriod: true, load: () => import('./features/agents').then((m) => m.AgentsPage) }),
  lazyPage({ path: 'runs', title: 'Runs', usesPeriod: true, load: () => import('./features/runs').then((m) => m.RunsPage) }),
  lazyPage({ path: 'insights', title: 'Insights', usesPeriod: false, load: () => import('./features/insights').then((m) => m.InsightsPage) }),
  lazyPage({ path: 'tools', title: 'Tools', usesPeriod: true, load: () => import('./features/tools').then((m) => m.ToolsPage) }),
  lazyPage({ path: 'monitoring', title: 'Monitoring', usesPeriod: false, load: () => import('./features/monitoring').then((m) => m.MonitoringPage) }),
  lazyPage({ path: 'settings', title: 'Settings', usesPeriod: false, load: () => import('./features/settings').then((m) => m.SettingsPage) }),
  lazyPage({
    path: 'admin',
    title: 'Admin',
    usesPeriod: true,
    adminOnly: true,
    load: () => import('./features/admin').then((m) => m.AdminPage),
    prefetch: (client, { period }) => prefetchAdmin(client, { period, firstPage: { search: '', sort: DEFAULT_WORKSPACE_SORT } }),
  }),
];

const DEFAULT_PAGE = PAGES[0].path;

/** The page the address opens on, and what its first queries depend on. */
function openingRoute(): { page: PageDefinition; route: PrefetchRoute } {
  const { page: path, params } = parseHash(window.location.hash);
  return {
    page: PAGES.find((candidate) => candidate.path === path) ?? PAGES[0],
    route: { period: parsePeriod(params.get('period')), timeZone: () => resolveTimeZone(params.get(TIME_ZONE_PARAM)), filtered: !isEmptyFilter(readFilter(params)) },
  };
}

/** The scope a new session starts in: the address's, else the stored one. */
const sessionScope = (): string | null => openingScope(parseHash(window.location.hash).params.get(SCOPE_PARAM), storedWorkspaceId());

const pageStartedFor = new WeakSet<ApolloClient>();

/**
 * Fetches the code of the page the address opens on and starts its first queries, once per client.
 * Resolves once the code is here (or failed to come).
 */
function startPage(client: ApolloClient): Promise<void> {
  const { page, route } = openingRoute();
  // The code first: its requests then come before the queries' in the browser's few connections per host.
  const code = page.preload();
  if (!pageStartedFor.has(client)) {
    pageStartedFor.add(client);
    if (!route.filtered) page.prefetch?.(client, route);
  }
  return code;
}

/** A session opened before the first render with the stored key, until the app adopts it. */
let opening: { apiKey: string; session: ApolloSession; refused(handler: (message: string) => void): void } | null = null;

/**
 * Opens the session of the stored key and starts the key check, the opening page's code and its
 * queries: main.tsx calls it before React's first render, so they are on their way while React
 * renders (and reads the time zone, and builds the cache), not after. Without a stored key it does nothing.
 */
export function startOpeningPage(): void {
  const apiKey = storedKey();
  if (!apiKey || opening) return;
  let handler: ((message: string) => void) | null = null;
  let refusal: string | null = null;
  const session = createApolloSession({
    apiKey,
    workspaceId: sessionScope(),
    onUnauthenticated: (message) => (handler ? handler(message) : (refusal = message)),
  });
  opening = {
    apiKey,
    session,
    refused(next) {
      handler = next;
      // Refused before the app took the session: told once the render that took it is over.
      if (refusal !== null) queueMicrotask(() => next(refusal!));
    },
  };
  session.client.query({ query: ViewerDocument }).catch(() => undefined);
  void startPage(session.client);
}

/** The session `startOpeningPage` opened for this key, handed over once; its refusals then go to `onUnauthenticated`. */
function adoptOpeningSession(apiKey: string, onUnauthenticated: (message: string) => void): ApolloSession | null {
  const taken = opening;
  if (!taken || taken.apiKey !== apiKey) return null;
  opening = null;
  taken.refused(onUnauthenticated);
  return taken.session;
}

/** The dashboard: the key screen until a key is accepted, then the pages. */
export function App() {
  const [refusal, setRefusal] = useState<string | null>(null);
  const [session, setSession] = useState<ApolloSession | null>(() => {
    const key = storedKey();
    return key ? (adoptOpeningSession(key, refuseKey) ?? openSession(key)) : null;
  });

  function refuseKey(message: string) {
    storeKey(null);
    setRefusal(message);
    setSession((current) => {
      current?.dispose();
      return null;
    });
  }

  function openSession(apiKey: string): ApolloSession {
    return createApolloSession({ apiKey, workspaceId: sessionScope(), onUnauthenticated: refuseKey });
  }

  const signIn = (key: string) => {
    storeKey(key);
    // A scope belongs to the admin who chose it, not to whichever key signs in next.
    storeWorkspaceId(null);
    setRefusal(null);
    setSession((current) => {
      current?.dispose();
      return openSession(key);
    });
  };

  const signOut = () => {
    storeKey(null);
    storeWorkspaceId(null);
    setRefusal(null);
    setSession((current) => {
      current?.dispose();
      return null;
    });
  };

  if (!session) return <KeyScreen message={refusal} onSubmit={signIn} />;
  return (
    <ApolloProvider client={session.client}>
      <LiveConnectionContext.Provider value={session.live}>
        <WorkspaceScopeContext.Provider value={session.scope}>
          <Shell
            onSignOut={signOut}
            onIngestKey={() => {
              storeKey(null);
              setRefusal(INGEST_KEY_MESSAGE);
              setSession((current) => {
                current?.dispose();
                return null;
              });
            }}
          />
        </WorkspaceScopeContext.Provider>
      </LiveConnectionContext.Provider>
    </ApolloProvider>
  );
}

/** Checks the key (viewer), then lays out the header, navigation and the routed page. */
function Shell({ onSignOut, onIngestKey }: { onSignOut(): void; onIngestKey(): void }) {
  const { data, previousData, loading, error, refetch } = useQuery(ViewerDocument);
  useFallBackToOwnScope(isScopeRefusal(error));
  // While a scope change refetches, the key's owner and role stay what they were.
  const viewer = data?.viewer ?? previousData?.viewer;
  const isIngestKey = viewer?.role === 'INGEST';
  useEffect(() => {
    // An ingest key reads nothing: back to the key screen, saying why, rather than pages of refusals.
    if (isIngestKey) onIngestKey();
  }, [isIngestKey, onIngestKey]);
  const [pageCodeHere, setPageCodeHere] = useState(false);
  const client = useApolloClient();
  useEffect(() => {
    // The page's code and queries come while the key is being checked, not after (already started
    // before the first render when the key was stored); the layout waits for the code and the key,
    // so the page draws at once instead of through a Suspense fallback (which React holds 300 ms),
    // with its answers here or on their way.
    void startPage(client).then(() => setPageCodeHere(true));
  }, [client]);
  if (!viewer || isIngestKey || (!pageCodeHere && !error)) {
    const status = cardStatus({ loading, error, hasData: false, isEmpty: false, emptyMessage: null, retry: () => void refetch() });
    return (
      <main className="center-screen">
        {status.kind === 'error' ? (
          <div className="card card-state card-error" role="alert">
            <p>
              <strong>The dashboard could not start.</strong> {status.message}
            </p>
            <div className="row">
              <button type="button" className="button button-primary" onClick={status.retry}>
                Retry
              </button>
              <button type="button" className="button" onClick={onSignOut}>
                Use another key
              </button>
            </div>
          </div>
        ) : (
          <p className="muted" role="status">
            {viewer ? 'Opening the dashboard…' : 'Checking your key…'}
          </p>
        )}
      </main>
    );
  }
  return <Layout viewer={viewer} onSignOut={onSignOut} />;
}

function Layout({ viewer, onSignOut }: { viewer: Viewer; onSignOut(): void }) {
  const { route, setParam } = useRoute();
  const pages = PAGES.filter((page) => !page.unlisted && (!page.adminOnly || viewer.role === 'ADMIN'));
  const page = PAGES.find((candidate) => candidate.path === route.page);
  const needsAdmin = page?.adminOnly === true && viewer.role !== 'ADMIN';
  // Pages remount when the scope changes, so no state of theirs carries one scope's data into another.
  const scope = useScopeFromUrl(viewer, route) ?? 'mine';
  const period = parsePeriod(route.params.get('period'));
  const timeZone = resolveTimeZone(route.params.get(TIME_ZONE_PARAM));

  useEffect(() => {
    if (!page) navigate(hashFor(DEFAULT_PAGE, route.params), { replace: true });
  }, [page, route.params]);

  useEffect(() => {
    document.title = page ? `${page.title} · Tally` : 'Tally';
  }, [page]);

  const keepParams = new URLSearchParams(route.params);
  return (
    <div className="app">
      {/* The hash is the router's, so the skip link moves focus itself instead of following #main. */}
      <a
        className="skip-link"
        href="#main"
        onClick={(event) => {
          event.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to the page
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <a className="brand" href={hashFor(DEFAULT_PAGE, keepParams)} aria-label="Tally, go to the overview">
            <span className="brand-mark" aria-hidden="true" />
            Tally
          </a>
          <nav aria-label="Pages">
            <ul className="nav">
              {pages.map((candidate) => (
                <li key={candidate.path}>
                  <a href={hashFor(candidate.path, keepParams)} aria-current={candidate === page ? 'page' : undefined}>
                    {candidate.title}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <div className="topbar-end">
            <LiveIndicator />
            <span className="workspace" title={`Scope: ${viewer.scope}`}>
              {/* An admin's switcher names their own workspace among the scopes it offers. */}
              {viewer.role === 'ADMIN' ? <WorkspaceSwitcher viewer={viewer} /> : viewer.workspace.name}
              <span className="role">{ROLE_LABEL[viewer.role]}</span>
            </span>
            <a className="button button-quiet" href="/graphiql" title="GraphiQL: run your own queries and subscriptions with this key">
              API explorer
            </a>
            <button type="button" className="button button-quiet" onClick={onSignOut}>
              Sign out
            </button>
          </div>
        </div>
      </header>
      <main className="content" id="main" tabIndex={-1}>
        {page && needsAdmin ? (
          <>
            <div className="page-header">
              <h1>{page.title}</h1>
            </div>
            <div className="card card-state" role="alert">
              <p>
                <strong>The {page.title} page needs an admin key.</strong> This is a {ROLE_LABEL[viewer.role].toLowerCase()} key of {viewer.workspace.name}, which sees its own
                workspace only. Sign in with an admin key to compare every workspace, or ask an admin for one.
              </p>
            </div>
          </>
        ) : page ? (
          <>
            <div className="page-header">
              <h1>{page.title}</h1>
              {page.usesPeriod ? <PeriodPicker value={period} onChange={(next) => setParam('period', next)} /> : null}
            </div>
            <ErrorBoundary resetKey={`${page.path}:${scope}`}>
              <Suspense
                fallback={
                  <p className="muted" role="status">
                    Loading {page.title}…
                  </p>
                }
              >
                <DisplayTimeZoneContext.Provider value={timeZone}>
                  <ViewerRoleContext.Provider value={viewer.role}>
                    <page.component key={scope} period={period} viewer={viewer} timeZone={timeZone} />
                  </ViewerRoleContext.Provider>
                </DisplayTimeZoneContext.Provider>
              </Suspense>
            </ErrorBoundary>
          </>
        ) : null}
      </main>
    </div>
  );
}

/** The live connection in the header, in words: shown only while it is not simply connected. */
function LiveIndicator() {
  const state = useLiveState();
  if (state === 'reconnecting') {
    return (
      <span className="live-indicator" role="status">
        <span className="live-dot live-reconnecting" aria-hidden="true" /> Reconnecting…
      </span>
    );
  }
  if (state === 'open') {
    return (
      <span className="live-indicator" role="status">
        <span className="live-dot live-open" aria-hidden="true" /> Live
      </span>
    );
  }
  return null;
}
