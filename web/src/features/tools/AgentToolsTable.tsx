import { Fragment, useId, useState } from 'react';
import type { AgentToolsRow } from './prepare-tools';
import { ScrollArea } from '../../components/ScrollArea';

/** Agents with a summary line each; a row opens to list the agent's tools. */
export function AgentToolsTable({ rows }: { rows: AgentToolsRow[] }) {
  const [open, setOpen] = useState<ReadonlySet<string>>(() => new Set());
  const idPrefix = useId();
  const toggle = (agentId: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(agentId)) next.delete(agentId);
      else next.add(agentId);
      return next;
    });
  return (
    <ScrollArea label="Agents and their tools">
      <table className="feed agent-tools">
        <caption className="visually-hidden">Agents and their tools; open a row to see its tools</caption>
        <thead>
          <tr>
            <th scope="col">Agent</th>
            <th scope="col">Tools</th>
            <th scope="col">Apps</th>
            <th scope="col" className="num">
              Uses
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const expanded = open.has(row.agentId);
            const toolsId = `${idPrefix}-${row.agentId}`;
            const toolRowIds = row.tools.map((_, i) => `${toolsId}-${i}`).join(' ');
            return (
              <Fragment key={row.agentId}>
                <tr>
                  <td>
                    <button type="button" className="bare-button expand-button" aria-expanded={expanded} aria-controls={toolRowIds} onClick={() => toggle(row.agentId)}>
                      <span className="chevron" aria-hidden="true">
                        ▶
                      </span>
                      {row.agentName}
                      {row.agentName !== row.agentId ? <span className="muted small">{row.agentId}</span> : null}
                    </button>
                  </td>
                  <td>{row.summary}</td>
                  <td>{row.apps}</td>
                  <td className="num">{row.uses}</td>
                </tr>
                {row.tools.map((tool, i) => (
                  <tr key={tool.key} className="tool-list" id={`${toolsId}-${i}`} hidden={!expanded}>
                    <td>
                      <code>{tool.actionName}</code>
                    </td>
                    <td>
                      <span className={tool.enabled ? 'badge badge-ok' : 'badge badge-muted'}>{tool.enabled ? 'Enabled' : 'Disabled'}</span>
                    </td>
                    <td>{tool.appName}</td>
                    <td className="num">
                      {tool.uses} <span className="muted small">· {tool.lastUsedAt ? `last ${tool.lastUsed}` : 'never used'}</span>
                    </td>
                  </tr>
                ))}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </ScrollArea>
  );
}
