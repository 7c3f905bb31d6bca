import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { useAfterFirstChart } from '../../components/charts/draw-in-turn';
import type { PageProps } from '../../pages';
import { CostByModelCard } from './CostByModelCard';
import { LiveFeedCard } from './LiveFeedCard';
import { MemoryCard } from './MemoryCard';
import { OpenRouterCreditsCard } from './OpenRouterCreditsCard';
import { SummaryCard } from './SummaryCard';
import { TokensOverTimeCard } from './TokensOverTimeCard';
import { useLiveCalls } from './use-live-calls';

// Below the fold, with its own charts (and their library): loaded once the page's first chart is on screen.
const InsightsSection = lazy(() => import('../insights').then((module) => ({ default: module.InsightsSection })));

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

/** The Overview page: the period's figures at a glance, cost by model, tokens over time, workspace memory, OpenRouter credits and the live feed of calls. */
export function OverviewPage({ period, timeZone }: PageProps) {
  const [refreshKey, callsArrived] = useThrottledSignal(CHART_REFRESH_MS);
  const feed = useLiveCalls(callsArrived);
  const belowTheFold = useAfterFirstChart();
  return (
    <div className="grid">
      <SummaryCard period={period} timeZone={timeZone} />
      <CostByModelCard period={period} refreshKey={refreshKey} />
      <TokensOverTimeCard period={period} timeZone={timeZone} refreshKey={refreshKey} />
      <MemoryCard />
      <OpenRouterCreditsCard />
      <LiveFeedCard feed={feed} timeZone={timeZone} />
      {belowTheFold ? (
        <Suspense fallback={INSIGHTS_COMING}>
          <InsightsSection />
        </Suspense>
      ) : (
        INSIGHTS_COMING
      )}
    </div>
  );
}
