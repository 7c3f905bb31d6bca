import { useEffect, useState } from 'react';
import { Card } from '../../components/Card';
import { cardStatus } from '../../components/card-status';
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
        <table className="feed">
          <caption className="visually-hidden">Latest LLM calls, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Model</th>
              <th scope="col">Agent</th>
              <th scope="col" className="num">
                Tokens
              </th>
              <th scope="col" className="num">
                Cost
              </th>
              <th scope="col" className="num">
                Latency
              </th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody aria-live="polite" aria-relevant="additions">
            {rows.map((row) => (
              <tr key={row.id} className={feed.arrivedIds.has(row.id) ? 'row-new' : undefined}>
                <td>
                  <time dateTime={row.occurredAt} title={formatFullDateTime(row.occurredAt, timeZone)}>
                    {row.time}
                  </time>
                </td>
                <td>
                  <span className="model">
                    <span className="swatch" style={{ background: row.modelColor }} aria-hidden="true" />
                    <span>
                      {row.model}
                      <span className="muted"> · {row.provider}</span>
                    </span>
                  </span>
                </td>
                <td>{row.agent}</td>
                <td className="num">{row.tokens}</td>
                <td className={row.cost === 'unpriced' ? 'num muted' : 'num'}>{row.cost}</td>
                <td className="num">{row.latency}</td>
                <td>
                  <span className={row.status.ok ? 'badge badge-ok' : 'badge badge-error'} title={row.status.detail ?? undefined}>
                    {row.status.ok ? '✓' : '✕'} {row.status.text}
                    {row.status.detail ? <span className="badge-detail">: {row.status.detail}</span> : null}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollArea>
    </Card>
  );
}
