import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { useAfterFirstChart } from '../../components/charts/draw-in-turn';
import type { PageProps } from '../../pages';
import { FilterSlot } from '../attribution/FilterSlot';
import { useUsageFilter } from '../attribution/use-usage-filter';
import { CostByModelCard } from './CostByModelCard';
import { LiveFeedCard } from './LiveFeedCard';
import { MemoryCard } from './MemoryCard';
import { OpenRouterCreditsCard } from './OpenRouterCreditsCard';
import { SummaryCard } from './SummaryCard';
import { TokensOverTimeCard } from './TokensOverTimeCard';
import { useLiveCalls } from './use-live-calls';

// Below the fold, with its own charts (and their library): loaded once the page's first chart is on screen.
const InsightsSection = lazy(() => import('../insights').then((module) => ({ default: module.InsightsSection })));
// Only under an attribution filter, so the unfiltered first load does not carry it.
const FilteredSummaryCard = lazy(() => import('../attribution/FilteredSummaryCard').then((module) => ({ default: module.FilteredSummaryCard })));

/** What the Overview cannot filter, said in its filter bar. */
const UNFILTERED = 'Memory, OpenRouter credits and the insights charts are not counted per call, so they are hidden while a filter is set.';

/** Where the Insights section comes: busy, so whoever waits for the page to settle waits for it too. */
const INSIGHTS_COMING = <div hidden aria-busy="true" />;

/** Charts catch up with arriving calls at most this often. */
const CHART_REFRESH_MS = 5_000;

/**
 * Bumps a number at most once per `intervalMs` after calls arrive, so the charts refetch
 * in step with the feed without a request per call.
 */
function useThrottledSignal(intervalMs: number): [number, () => void] {
  const [signal, setSignal] = useState(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);
  const poke = useCallback(() => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      setSignal((n) => n + 1);
    }, intervalMs);
  }, [intervalMs]);
  return [signal, poke];
}

/**
 * The Overview page: the period's figures at a glance, cost by model, tokens over time, workspace
 * memory, OpenRouter credits and the live feed of calls. Under an attribution filter, the figures,
 * charts and feed count the calls it keeps, and what is not counted per call is hidden.
 */
export function OverviewPage({ period, timeZone }: PageProps) {
  const filter = useUsageFilter();
  const [refreshKey, callsArrived] = useThrottledSignal(CHART_REFRESH_MS);
  const feed = useLiveCalls(callsArrived, filter);
  const belowTheFold = useAfterFirstChart();
  return (
    <div className="grid">
      <FilterSlot period={period} unfiltered={UNFILTERED} />
      {filter ? (
        <Suspense fallback={null}>
          <FilteredSummaryCard period={period} filter={filter} refreshKey={refreshKey} />
        </Suspense>
      ) : (
        <SummaryCard period={period} timeZone={timeZone} />
      )}
      <CostByModelCard period={period} refreshKey={refreshKey} filter={filter} />
      <TokensOverTimeCard period={period} timeZone={timeZone} refreshKey={refreshKey} filter={filter} />
      {filter ? null : <MemoryCard />}
      {filter ? null : <OpenRouterCreditsCard />}
      <LiveFeedCard feed={feed} timeZone={timeZone} />
      {filter ? null : belowTheFold ? (
        <Suspense fallback={INSIGHTS_COMING}>
          <InsightsSection />
        </Suspense>
      ) : (
        INSIGHTS_COMING
      )}
    </div>
  );
}
