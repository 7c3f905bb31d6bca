import type { ReactNode } from 'react';
import { ScrollArea } from '../../components/ScrollArea';
import { FeedTable } from '../../components/FeedTable';
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
      <FeedTable
        className={className ? `usage-entries ${className}` : 'usage-entries'}
        caption={caption}
        rows={entries}
        rowKey={(entry) => entry.id}
        columns={[
          { label: nameHeader, cellClassName: 'row-name', cell: name },
          ...(extra ? [{ label: extra.header, cell: extra.cell }] : []),
          { label: 'Requests', numeric: true, cell: (entry) => entry.requests },
          { label: 'Tokens', numeric: true, cell: (entry) => entry.tokens },
          {
            label: 'Cost',
            numeric: true,
            cell: (entry) => (
              <>
                <span className="attribution-bar" aria-hidden="true" style={{ inlineSize: `${Math.round(entry.barShare * 60)}px` }} />
                {entry.costLabel}
              </>
            ),
          },
        ]}
      />
    </ScrollArea>
  );
}
