import { Card } from '../../components/Card';
import { cardStatus } from '../../components/card-status';
import { TrendBadge } from '../../components/TrendBadge';
import { previousPeriodPhrase } from '../../components/trend';
import { formatClockTime } from '../../format';
import type { Period } from '../../gql/graphql';
import { useLiveState } from '../../live';
import { periodOption } from '../../period';
import { hashFor, useRoute } from '../../routing';
import { prepareSummaryTiles, type SummaryTile } from './prepare-summary-tiles';
import { useLiveSummary } from './use-live-summary';
import '../../components/figure-tiles.css';
import './summary.css';

/** The hero figures of the period (requests, tokens, cost, latency, errors, BYOK savings, unpriced calls), updating live. */
export function SummaryCard({ period, timeZone }: { period: Period; timeZone: string }) {
  const { summary, updatedAt, loading, error, refetch } = useLiveSummary(period);
  const live = useLiveState();
  const prepared = summary ? prepareSummaryTiles(summary, period) : null;
  const phrase = periodOption(period).phrase;
  const status = cardStatus({
    loading,
    error,
    hasData: prepared !== null,
    isEmpty: prepared?.isEmpty ?? true,
    emptyMessage: (
      <p>
        No calls in {phrase}. Report one with the <code>trackLlmCall</code> mutation (see the README) and these figures fill in live; or
        pick a longer period.
      </p>
    ),
    retry: refetch,
  });
  const liveNote = live === 'open' ? (updatedAt ? ` · live, updated ${formatClockTime(updatedAt.toISOString(), timeZone)}` : ' · live') : '';
  return (
    <Card
      title="At a glance"
      caption={`${phrase[0].toUpperCase()}${phrase.slice(1)}, with changes against ${previousPeriodPhrase(period)}${liveNote}`}
      status={status}
      minBodyHeight={150}
      className="card-wide"
    >
      {prepared ? <SummaryTileList tiles={prepared.tiles} /> : null}
    </Card>
  );
}

/** The hero figures, each with its trend and detail (the unpriced calls' detail links to Costs). */
export function SummaryTileList({ tiles }: { tiles: readonly SummaryTile[] }) {
  const { route } = useRoute();
  const costsHref = hashFor('costs', route.params);
  return (
    <ul className="figure-tiles summary-tiles">
      {tiles.map((tile) => (
        <SummaryTileView key={tile.id} tile={tile} costsHref={costsHref} />
      ))}
    </ul>
  );
}

function SummaryTileView({ tile, costsHref }: { tile: SummaryTile; costsHref: string }) {
  const detail = tile.id === 'unpriced' && tile.attention ? <a href={costsHref}>{tile.detail}</a> : tile.detail;
  return (
    <li className={tile.attention ? 'figure-tile summary-attention' : 'figure-tile'}>
      <span className="figure-tile-label">{tile.label}</span>
      <span className="summary-figure">
        <span className="figure-tile-value">{tile.value}</span>
        {tile.trend ? <TrendBadge trend={tile.trend} /> : null}
      </span>
      {detail ? (
        <span className="figure-tile-detail">
          {tile.attention ? <span aria-hidden="true">⚠ </span> : null}
          {detail}
        </span>
      ) : null}
    </li>
  );
}
