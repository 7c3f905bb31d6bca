import { useQuery } from '@apollo/client/react';
import { Card } from '../../components/Card';
import { listCardStatus } from '../../components/card-status';
import { formatCount } from '../../format';
import { AgentToolsDocument } from '../../gql/graphql';
import { AgentToolsTable } from './AgentToolsTable';
import { prepareAgentTools, type UsageWindow } from './prepare-tools';

/** Which agent has which tools: one row per agent, opening to its tools with their use in the window. */
export function AgentToolsCard({ usage }: { usage: UsageWindow }) {
  const { data, loading, error, refetch } = useQuery(AgentToolsDocument, { variables: { days: usage.days } });
  const rows = data ? prepareAgentTools(data.composioAgentTools, new Date()) : null;
  const status = listCardStatus(
    { loading, error, refetch },
    rows,
    <p>
      No agent has tools yet. They appear here once an agent&apos;s action is reported with <code>recordComposioAction</code>.
    </p>,
  );
  return (
    <Card
      title="Agents and their tools"
      caption={`Uses ${usage.phrase}; the most active agents first`}
      className="card-wide"
      aside={rows ? <span className="figure">{formatCount(rows.length)} {rows.length === 1 ? 'agent' : 'agents'}</span> : null}
      status={status}
      minBodyHeight={160}
    >
      {rows ? <AgentToolsTable rows={rows} /> : null}
    </Card>
  );
}
