import { useQuery } from '@apollo/client/react';
import { Card } from '../../components/Card';
import { listCardStatus } from '../../components/card-status';
import { type Period, type UsageFilter } from '../../gql/graphql';
import { UsageByDimensionDocument } from './gql/graphql';
import { periodOption } from '../../period';
import { hashFor, useRoute } from '../../routing';
import { prepareUsageEntries } from './prepare-attribution';
import { UsageEntriesTable } from './UsageEntriesTable';
import { readFilter, writeFilter } from './usage-filter';
import './attribution.css';

/** The tags the card lists, costliest first. */
export const TAGS_SHOWN = 50;

/**
 * Cost per tag over the period under the page's filter. A call counts once under each of its
 * tags, so the groups overlap: the card shows no total across them, and says so.
 */
export function TagsCard({ period, filter }: { period: Period; filter: UsageFilter | undefined }) {
  const { route } = useRoute();
  const { data, loading, error, refetch } = useQuery(UsageByDimensionDocument, { variables: { period, dimension: 'TAG', filter, limit: TAGS_SHOWN } });
  const entries = data ? prepareUsageEntries(data.usageMetrics.rows) : null;
  const phrase = periodOption(period).phrase;
  const current = readFilter(route.params);
  const status = listCardStatus(
    { loading, error, refetch },
    entries,
    <p>
      No calls in {phrase}{filter ? ' under this filter' : ''}. A call carries tags with <code>tags</code>.
    </p>,
  );
  return (
    <Card
      title="Tags"
      caption={`Cost per tag over ${phrase}. A call counts under each of its tags, so tags overlap and their costs do not add up to a total. Select a tag to filter the page by it.`}
      status={status}
      minBodyHeight={200}
    >
      {entries ? (
        <UsageEntriesTable
          entries={entries}
          label="Tags"
          caption="Tags with their requests, tokens and cost; overlapping, so not summed"
          nameHeader="Tag"
          name={(entry) =>
            entry.named && !current.tags.includes(entry.id) ? (
              <a href={hashFor(route.page, writeFilter(route.params, { ...current, tags: [...current.tags, entry.id] }), route.detail)} title={`Filter the page by tag ${entry.id}`}>
                {entry.label}
              </a>
            ) : (
              <span className={entry.named ? undefined : 'muted'}>{entry.label}</span>
            )
          }
        />
      ) : null}
    </Card>
  );
}
