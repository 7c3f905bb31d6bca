import { useQuery } from '@apollo/client/react';
import { Card } from '../../components/Card';
import { listCardStatus } from '../../components/card-status';
import { FeedTable } from '../../components/FeedTable';
import { Sparkline } from '../../components/charts/Sparkline';
import { ScrollArea } from '../../components/ScrollArea';
import { formatCount } from '../../format';
import { AgentAnalyticsDocument, AgentHeartbeatsDocument, type Period } from '../../gql/graphql';
import { periodOption } from '../../period';
import { hashFor, useRoute } from '../../routing';
import { agentHeartbeat, DAILY_COST_WORDS, prepareAgentRows, type AgentHeartbeat, type AgentRow } from './prepare-agents';

/** Every agent over the period, costliest first: its daily cost, requests, errors, latency, runs, models and last call. */
export function AgentsTableCard({ period }: { period: Period }) {
  const { data, loading, error, refetch } = useQuery(AgentAnalyticsDocument, { variables: { period } });
  const beats = useQuery(AgentHeartbeatsDocument);
  const { route } = useRoute();
  const now = new Date();
  const rows = data ? prepareAgentRows(data.agentAnalytics, now) : null;
  const heartbeats = new Map(rows?.map((row) => [row.id, beats.data ? agentHeartbeat(beats.data.heartbeats, row, now) : null]));
  // The column appears once some agent's service beats: most agents are no service of their own.
  const anyService = [...heartbeats.values()].some((beat) => beat !== null);
  const phrase = periodOption(period).phrase;
  const status = listCardStatus(
    { loading, error, refetch },
    rows,
    <p>
      No agent yet. A call that gives an <code>agentId</code> creates its agent.
    </p>,
  );
  return (
    <Card
      title="Agents"
      caption={`Figures over ${phrase}; the costliest agent first. Open one for its models, tools, memory and runs.`}
      aside={rows ? <span className="figure">{formatCount(rows.length)} {rows.length === 1 ? 'agent' : 'agents'}</span> : null}
      className="card-wide"
      status={status}
      minBodyHeight={200}
    >
      {rows ? (
        <ScrollArea label="Agents">
          <FeedTable
            className="agents-table"
            caption="Agents with their daily cost, requests, cost, error rate, p95 latency, runs, models and last call"
            rows={rows}
            rowKey={(row) => row.id}
            columns={[
              { label: 'Agent', cellClassName: 'row-name', cell: (row) => <a href={hashFor('agents', route.params, row.id)}>{row.name}</a> },
              { label: 'Daily cost', cell: (row) => <Sparkline values={row.dailyCosts} label={`Daily cost of ${row.name}`} words={DAILY_COST_WORDS} /> },
              { label: 'Requests', numeric: true, cell: (row) => row.requests },
              { label: 'Cost', numeric: true, cell: (row) => row.cost },
              { label: 'Error rate', numeric: true, cell: (row) => <span className={row.failing ? 'badge badge-error' : undefined}>{row.errorRate}</span> },
              { label: 'p95 latency', numeric: true, cell: (row) => row.p95 },
              { label: 'Runs', numeric: true, cell: (row) => row.runs },
              ...(anyService ? [{ label: 'Service', cell: (row: AgentRow) => heartbeatBadge(heartbeats.get(row.id) ?? null) }] : []),
              { label: 'Models', cellClassName: 'agent-models', cell: (row) => row.modelMix },
              { label: 'Last call', cell: (row) => (row.lastCallAt ? <time dateTime={row.lastCallAt}>{row.lastCall}</time> : <span className="muted">{row.lastCall}</span>) },
            ]}
          />
        </ScrollArea>
      ) : null}
    </Card>
  );
}

/** An agent's service heartbeat as a badge; a dash when its service does not beat. */
export function heartbeatBadge(beat: AgentHeartbeat | null) {
  if (!beat) return <span className="muted">—</span>;
  return <span className={beat.tone === 'muted' ? 'badge' : `badge badge-${beat.tone}`}>{beat.label}</span>;
}
