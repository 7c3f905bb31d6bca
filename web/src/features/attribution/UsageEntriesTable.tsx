import type { ReactNode } from 'react';
import { ScrollArea } from '../../components/ScrollArea';
import type { UsageEntry } from './prepare-attribution';

/**
 * A breakdown's entries (users, tags, models) as a table: the name, an optional column after it
 * (a trend), requests, tokens, and the cost with a bar against the costliest.
 */
export function UsageEntriesTable({
  entries,
  label,
  caption,
  nameHeader,
  name,
  extra,
  className,
}: {
  entries: readonly UsageEntry[];
  /** The scrolling area's name for a keyboard user: "Users". */
  label: string;
  /** The table's hidden caption, for a screen reader. */
  caption: string;
  nameHeader: string;
  name(entry: UsageEntry): ReactNode;
  extra?: { header: string; cell(entry: UsageEntry): ReactNode };
  className?: string;
}) {
  return (
    <ScrollArea label={label}>
      <table className={`feed usage-entries${className ? ` ${className}` : ''}`}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{nameHeader}</th>
            {extra ? <th scope="col">{extra.header}</th> : null}
            <th scope="col" className="num">
              Requests
            </th>
            <th scope="col" className="num">
              Tokens
            </th>
            <th scope="col" className="num">
              Cost
            </th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id}>
              <td className="row-name">{name(entry)}</td>
              {extra ? <td>{extra.cell(entry)}</td> : null}
              <td className="num">{entry.requests}</td>
              <td className="num">{entry.tokens}</td>
              <td className="num">
                <span className="attribution-bar" aria-hidden="true" style={{ inlineSize: `${Math.round(entry.barShare * 60)}px` }} />
                {entry.costLabel}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollArea>
  );
}
