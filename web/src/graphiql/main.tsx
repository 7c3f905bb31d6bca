import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import './page.css';
import './readable.css';
import { useGraphiQL, useMonaco } from '@graphiql/react';
import { GraphiQL } from 'graphiql';
import { StrictMode, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { storedKey, storedWorkspaceId } from '../session';
import { EDITOR_THEME_NAMES, editorTheme } from './editor-themes';
import { createExplorerFetcher, dashboardHeaders } from './explorer-fetcher';
import { keepGraphiqlMarkupAccessible } from './graphiql-markup';

// The explorer signs in with the dashboard's key (kept in this browser by the dashboard), so a
// person who opened the dashboard can run queries and subscriptions here at once.
const headers = dashboardHeaders(storedKey(), storedWorkspaceId());
const fetcher = createExplorerFetcher(window.location.origin, headers);

const DEFAULT_QUERY = `# Tally's GraphQL API. The Authorization header (Headers tab below) comes from the
# dashboard's key in this browser; without one, sign in at / first or paste a key there.
# Subscriptions (llmCallTracked, llmSummaryUpdated, apiMetricsUpdated…) run over WebSocket.

query Summary {
  viewer { role scope workspace { name } }
  llmSummary(period: LAST_24H) { totalRequests totalCost totalTokens avgLatencyMs }
}

subscription LiveCalls {
  llmCallTracked { modelId provider totalTokens totalCost latencyMs status }
}
`;

// A link may carry an operation to open with (`/graphiql?query=…&variables=…`), to share one.
const linked = new URLSearchParams(window.location.search);

const DARK = '(prefers-color-scheme: dark)';

/**
 * Gives the editors readable colours, and keeps them with the system's scheme when it changes
 * while the page is open (GraphiQL picks the editors' theme once, at start, though its own
 * colours follow the system). A theme picked in GraphiQL's settings wins over the system's.
 */
function ReadableEditors() {
  const monaco = useMonaco((state) => state.monaco);
  const picked = useGraphiQL((state) => state.theme);
  useEffect(() => {
    if (!monaco) return;
    monaco.editor.defineTheme(EDITOR_THEME_NAMES.light, editorTheme('light'));
    monaco.editor.defineTheme(EDITOR_THEME_NAMES.dark, editorTheme('dark'));
    const system = window.matchMedia(DARK);
    const apply = () => monaco.editor.setTheme(EDITOR_THEME_NAMES[picked ?? (system.matches ? 'dark' : 'light')]);
    apply();
    system.addEventListener('change', apply);
    return () => system.removeEventListener('change', apply);
  }, [monaco, picked]);
  return null;
}

const root = document.getElementById('graphiql');
if (!root) throw new Error('graphiql.html must contain <div id="graphiql">');
keepGraphiqlMarkupAccessible(root);
createRoot(root).render(
  <StrictMode>
    <GraphiQL
      fetcher={fetcher}
      initialHeaders={JSON.stringify(headers, null, 2)}
      initialQuery={linked.get('query') ?? undefined}
      initialVariables={linked.get('variables') ?? undefined}
      defaultQuery={DEFAULT_QUERY}
      isHeadersEditorEnabled
      editorTheme={EDITOR_THEME_NAMES}
    >
      <ReadableEditors />
    </GraphiQL>
  </StrictMode>,
);
