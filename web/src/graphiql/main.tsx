import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import './page.css';
import { GraphiQL } from 'graphiql';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { storedKey, storedWorkspaceId } from '../session';
import { createExplorerFetcher, dashboardHeaders } from './explorer-fetcher';

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

const root = document.getElementById('graphiql');
if (!root) throw new Error('graphiql.html must contain <div id="graphiql">');
createRoot(root).render(
  <StrictMode>
    <GraphiQL
      fetcher={fetcher}
      initialHeaders={JSON.stringify(headers, null, 2)}
      initialQuery={linked.get('query') ?? undefined}
      initialVariables={linked.get('variables') ?? undefined}
      defaultQuery={DEFAULT_QUERY}
      isHeadersEditorEnabled
    />
  </StrictMode>,
);
