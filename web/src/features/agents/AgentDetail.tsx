import { useQuery } from '@apollo/client/react';
import { Card } from '../../components/Card';
import { FeedTable } from '../../components/FeedTable';
import { listCardStatus, queryCardStatus } from '../../components/card-status';
import { StackedCostChart } from '../../components/charts/StackedCostChart';
import { ScrollArea } from '../../components/ScrollArea';
import { seriesColors } from '../../components/series-colors';
import { formatAgo, formatCount, formatDollars, formatLatency, formatPercent } from '../../format';
import { AgentAnalyticsDocument, AgentCostByModelDocument, AgentHeartbeatsDocument, AgentRecentCallsDocument, type Period } from '../../gql/graphql';
import { periodOption } from '../../period';
import { hashFor, useRoute } from '../../routing';
import { prepareDailyCost } from '../costs/prepare-daily-cost';
import { RecentRunsCard } from '../runs/RecentRunsCard';
import { heartbeatBadge } from './AgentsTableCard';
import { agentCostByModel, agentFigures, agentHeartbeat, prepareAgentCalls } from './prepare-agents';

/** The calls an agent's page lists: its latest. */
const RECENT_CALLS = 20;

/** One agent: its figures, its cost by model and day, its models, tools, memory and latest runs. */
export function AgentDetail({ id, period, timeZone }: { id: string; period: Period; timeZone: string }) {
  const { route } = useRoute();
  const { data, loading, error, refetch } = useQuery(AgentAnalyticsDocument, { variables: { period } });
  const agent = data?.agentAnalytics.find((candidate) => candidate.agent.id === id) ?? null;
  const phrase = periodOption(period).phrase;
  const status = queryCardStatus(
    { loading, error, refetch },
    { hasData: data !== undefined, isEmpty: data !== undefined && agent === null },
    <p>
      No agent <code>{id}</code> in this scope. <a href={hashFor('agents', route.params)}>See every agent</a>.
    </p>,
  );
  const now = new Date();
  const beats = useQuery(AgentHeartbeatsDocument);
  const beat = agent && beats.data ? agentHeartbeat(beats.data.heartbeats, agent.agent, now) : null;
  return (
    <>
      <Card
        title={agent ? agent.agent.name : 'Agent'}
        caption={
          <span>
            <a href={hashFor('agents', route.params)}>← All agents</a> · <code>{id}</code> · over {phrase}
          </span>
        }
        aside={beat ? <span title="Its service's heartbeat">{heartbeatBadge(beat)}</span> : null}
        className="card-wide"
        status={status}
        minBodyHeight={120}
      >
        {agent ? (
          <dl className="agent-figures">
            {agentFigures(agent, now).map((figure) => (
              <div key={figure.label}>
                <dt>{figure.label}</dt>
                <dd>{figure.value}</dd>
              </div>
            ))}
          </dl>
        ) : null}
      </Card>
      {agent ? (
        <>
          <AgentCostCard id={id} period={period} days={agent.dailyCost.map((day) => day.date as string)} />
          <Card title="Models" caption="Its use per model, costliest first" status={{ kind: agent.models.length ? 'ready' : 'empty', message: <p>No calls in {phrase}.</p> }} minBodyHeight={120}>
            <ScrollArea label="Models of the agent">
              <FeedTable
                caption="The agent's use per model"
                rows={agent.models}
                rowKey={(model) => model.key}
                columns={[
                  { label: 'Model', cell: (model) => model.label },
                  { label: 'Requests', numeric: true, cell: (model) => formatCount(model.requests) },
                  { label: 'Cost', numeric: true, cell: (model) => formatDollars(model.totalCost) },
                  { label: 'Errors', numeric: true, cell: (model) => formatPercent(model.errorRate) },
                  { label: 'p95', numeric: true, cell: (model) => formatLatency(model.p95LatencyMs) },
                ]}
              />
            </ScrollArea>
          </Card>
          <Card
            title="Tools and memory"
            caption={`Composio actions used ${phrase}; memories of all time`}
            status={{ kind: 'ready' }}
            minBodyHeight={120}
          >
            <p className="muted small">
              {agent.memory
                ? `${formatCount(agent.memory.memoryCount)} memories, average importance ${agent.memory.avgImportance.toFixed(2)}${agent.memory.lastCreatedAt ? `, the latest ${formatAgo(agent.memory.lastCreatedAt as string, now)}` : ''}.`
                : 'No memories recorded.'}
            </p>
            {agent.tools.length > 0 ? (
              <ScrollArea label="Tools of the agent">
                <FeedTable
                  caption="The agent's tools and their uses"
                  rows={agent.tools}
                  rowKey={(tool) => `${tool.appName}:${tool.actionName}`}
                  columns={[
                    { label: 'Action', cell: (tool) => <code>{tool.actionName}</code> },
                    { label: 'App', cell: (tool) => tool.appName },
                    { label: 'Uses', numeric: true, cell: (tool) => formatCount(tool.usageCount) },
                    { label: 'Last used', cell: (tool) => (tool.lastUsedAt ? formatAgo(tool.lastUsedAt as string, now) : 'never') },
                  ]}
                />
              </ScrollArea>
            ) : (
              <p className="muted small">No tools recorded for this agent.</p>
            )}
          </Card>
          <AgentRunsCard id={id} period={period} timeZone={timeZone} />
          <AgentCallsCard id={id} />
        </>
      ) : null}
    </>
  );
}

/** The agent's cost per model and UTC day, stacked. */
function AgentCostCard({ id, period, days }: { id: string; period: Period; days: string[] }) {
  const { data, loading, error, refetch } = useQuery(AgentCostByModelDocument, { variables: { period, agentId: id } });
  const chart = data ? prepareDailyCost(agentCostByModel(days, data.usageMetrics.rows), { timeZone: 'UTC', colors: seriesColors }) : null;
  const phrase = periodOption(period).phrase;
  const status = queryCardStatus({ loading, error, refetch }, { hasData: chart !== null, isEmpty: chart?.emptyReason !== null }, <p>No priced calls of this agent in {phrase}.</p>);
  return (
    <Card title="Cost by model" caption={chart?.caption ?? `Its spend per model and UTC day over ${phrase}, stacked`} aside={chart ? <span className="figure">{chart.totalLabel}</span> : null} className="card-wide" status={status} minBodyHeight={300}>
      {chart ? (
        <StackedCostChart chart={chart} legendLabel="The agent's cost per model over the period" ariaLabel={`The agent's daily cost by model over ${phrase}, UTC days`} />
      ) : null}
    </Card>
  );
}

/** The agent's latest runs, each opening to its calls, and a link to every one of them. */
function AgentRunsCard({ id, period, timeZone }: { id: string; period: Period; timeZone: string }) {
  const { route } = useRoute();
  const allRuns = new URLSearchParams(route.params);
  allRuns.set('agent', id);
  return (
    <RecentRunsCard
      filter={{ agentId: id }}
      period={period}
      timeZone={timeZone}
      whose="the agent's"
      caption={<a href={hashFor('runs', allRuns)}>Every run of this agent</a>}
      emptyMessage={<p>This agent took part in no run in {periodOption(period).phrase}.</p>}
      linkParams={route.params}
    />
  );
}

/** The agent's latest calls, whatever the period, each naming its run. */
function AgentCallsCard({ id }: { id: string }) {
  const { route } = useRoute();
  const { data, loading, error, refetch } = useQuery(AgentRecentCallsDocument, { variables: { agentId: id, limit: RECENT_CALLS } });
  const rows = data ? prepareAgentCalls(data.llmCalls, new Date()) : null;
  const status = listCardStatus({ loading, error, refetch }, rows, <p>This agent has made no call yet.</p>);
  return (
    <Card title="Recent calls" caption={`Its latest ${RECENT_CALLS} calls, newest first`} className="card-wide" status={status} minBodyHeight={120}>
      {rows ? (
        <ScrollArea label="Recent calls of the agent">
          <FeedTable
            caption="The agent's latest calls"
            rows={rows}
            rowKey={(row) => row.id}
            columns={[
              { label: 'When', cell: (row) => <time dateTime={row.occurredAt}>{row.when}</time> },
              { label: 'Model', cell: (row) => row.model },
              { label: 'Tokens', cell: (row) => row.tokens },
              { label: 'Cost', numeric: true, cell: (row) => row.cost },
              { label: 'Latency', numeric: true, cell: (row) => row.latency },
              { label: 'Outcome', cell: (row) => <span className={row.failed ? 'badge badge-error' : 'badge badge-ok'}>{row.outcome}</span> },
              { label: 'Run', cell: (row) => (row.runId ? <a href={hashFor('runs', route.params, row.runId)}>{row.runId}</a> : <span className="muted">—</span>) },
            ]}
          />
        </ScrollArea>
      ) : null}
    </Card>
  );
}
