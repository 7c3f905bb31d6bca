import { useQuery } from '@apollo/client/react';
import { Card } from '../../components/Card';
import { cardStatus } from '../../components/card-status';
import { Sparkline } from '../../components/charts/Sparkline';
import { ScrollArea } from '../../components/ScrollArea';
import { formatCount } from '../../format';
import { AgentAnalyticsDocument, AgentHeartbeatsDocument, type Period } from '../../gql/graphql';
import { periodOption } from '../../period';
import { hashFor, useRoute } from '../../routing';
import { agentHeartbeat, DAILY_COST_WORDS, prepareAgentRows, type AgentHeartbeat } from './prepare-agents';

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
  const status = cardStatus({
    loading,
    error,
    hasData: rows !== null,
    isEmpty: rows?.length === 0,
    emptyMessage: (
      <p>
        No agent yet. A call that gives an <code>agentId</code> creates its agent.
      </p>
    ),
    retry: () => void refetch(),
  });
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
          <table className="feed agents-table">
            <caption className="visually-hidden">Agents with their daily cost, requests, cost, error rate, p95 latency, runs, models and last call</caption>
            <thead>
              <tr>
                <th scope="col">Agent</th>
                <th scope="col">Daily cost</th>
                <th scope="col" className="num">
                  Requests
                </th>
                <th scope="col" className="num">
                  Cost
                </th>
                <th scope="col" className="num">
                  Error rate
                </th>
                <th scope="col" className="num">
                  p95 latency
                </th>
                <th scope="col" className="num">
                  Runs
                </th>
                {anyService ? <th scope="col">Service</th> : null}
                <th scope="col">Models</th>
                <th scope="col">Last call</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id}>
                  <td className="row-name">
                    <a href={hashFor('agents', route.params, row.id)}>{row.name}</a>
                  </td>
                  <td>
                    <Sparkline values={row.dailyCosts} label={`Daily cost of ${row.name}`} words={DAILY_COST_WORDS} />
                  </td>
                  <td className="num">{row.requests}</td>
                  <td className="num">{row.cost}</td>
                  <td className="num">
                    <span className={row.failing ? 'badge badge-error' : undefined}>{row.errorRate}</span>
                  </td>
                  <td className="num">{row.p95}</td>
                  <td className="num">{row.runs}</td>
                  {anyService ? <td>{heartbeatBadge(heartbeats.get(row.id) ?? null)}</td> : null}
                  <td className="agent-models">{row.modelMix}</td>
                  <td>{row.lastCallAt ? <time dateTime={row.lastCallAt}>{row.lastCall}</time> : <span className="muted">{row.lastCall}</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
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
