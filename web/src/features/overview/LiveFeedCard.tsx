import { useEffect, useState } from 'react';
import { Card } from '../../components/Card';
import { cardStatus } from '../../components/card-status';
import { FeedTable } from '../../components/FeedTable';
import { seriesColors } from '../../components/series-colors';
import { formatCount, formatFullDateTime } from '../../format';
import { useLiveState } from '../../live';
import { prepareFeedRows } from './prepare-live-feed';
import type { LiveCalls } from './use-live-calls';
import { ScrollArea } from '../../components/ScrollArea';

function useMinuteClock(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 60_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** The latest calls, newest first, growing as calls arrive. */
export function LiveFeedCard({ feed, timeZone }: { feed: LiveCalls; timeZone: string }) {
  const now = useMinuteClock();
  const live = useLiveState();
  const rows = prepareFeedRows(feed.calls, { timeZone, now, colors: seriesColors });
  const status = cardStatus({
    loading: feed.loading,
    error: feed.error,
    hasData: feed.hasData,
    isEmpty: rows.length === 0,
    emptyMessage: (
      <p>
        No calls yet. This feed fills in as soon as an application reports one with <code>trackLlmCall</code>; keep the page open.
      </p>
    ),
    retry: feed.refetch,
  });
  const liveText = live === 'open' ? 'Live' : live === 'reconnecting' ? 'Reconnecting…' : live === 'connecting' ? 'Connecting…' : 'Paused';
  return (
    <Card
      title="Live calls"
      caption={
        <>
          <span className={`live-dot live-${live}`} aria-hidden="true" /> {liveText}
          {feed.arrivedIds.size > 0 ? ` · ${formatCount(feed.arrivedIds.size)} new since you opened this page` : ' · the latest calls, newest first'}
        </>
      }
      status={status}
      minBodyHeight={160}
      className="card-wide"
    >
      <ScrollArea label="Live calls">
        <FeedTable
          caption="Latest LLM calls, newest first"
          rows={rows}
          rowKey={(row) => row.id}
          rowProps={(row) => ({ className: feed.arrivedIds.has(row.id) ? 'row-new' : undefined })}
          announce="arriving rows"
          columns={[
            {
              label: 'Time',
              cell: (row) => (
                <time dateTime={row.occurredAt} title={formatFullDateTime(row.occurredAt, timeZone)}>
                  {row.time}
                </time>
              ),
            },
            {
              label: 'Model',
              cell: (row) => (
                <span className="model">
                  <span className="swatch" style={{ background: row.modelColor }} aria-hidden="true" />
                  <span>
                    {row.model}
                    <span className="muted"> · {row.provider}</span>
                  </span>
                </span>
              ),
            },
            { label: 'Agent', cell: (row) => row.agent },
            { label: 'Tokens', numeric: true, cell: (row) => row.tokens },
            { label: 'Cost', numeric: true, cellClassName: (row) => (row.cost === 'unpriced' ? 'muted' : undefined), cell: (row) => row.cost },
            { label: 'Latency', numeric: true, cell: (row) => row.latency },
            {
              label: 'Status',
              cell: (row) => (
                <span className={row.status.ok ? 'badge badge-ok' : 'badge badge-error'} title={row.status.detail ?? undefined}>
                  {row.status.ok ? '✓' : '✕'} {row.status.text}
                  {row.status.detail ? <span className="badge-detail">: {row.status.detail}</span> : null}
                </span>
              ),
            },
          ]}
        />
      </ScrollArea>
    </Card>
  );
}
