import { useEffect, useLayoutEffect, useState } from 'react';

/**
 * Turns to draw, given one at a time in the order they were asked for. The first asker draws at
 * once; each next one in a task of its own (`later`) once the one before has drawn or left.
 */
export class DrawingTurns {
  private readonly waiting: (() => void)[] = [];
  private holder: (() => void) | null = null;
  private passing = false;
  private drawn = false;
  private readonly drawnListeners = new Set<() => void>();

  constructor(private readonly later: (run: () => void) => void) {}

  /**
   * Asks for a turn: `grant` is called when it comes (at once when nobody holds or awaits one).
   * Returns the release, to call once drawn, or when no longer waiting: it passes the turn on.
   */
  take(grant: () => void): () => void {
    const ticket = () => grant();
    if (this.holder === null && !this.passing && this.waiting.length === 0) {
      this.holder = ticket;
      grant();
    } else {
      this.waiting.push(ticket);
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const index = this.waiting.indexOf(ticket);
      if (index !== -1) this.waiting.splice(index, 1);
      if (this.holder !== ticket) return;
      this.holder = null;
      this.noteDrawn();
      this.passOn();
    };
  }

  /** Whether a turn has been handed back: a chart has drawn (or left after its turn came). */
  hasDrawn(): boolean {
    return this.drawn;
  }

  /** Calls `listener` when `hasDrawn` becomes true; returns the unsubscribe. */
  subscribeDrawn(listener: () => void): () => void {
    this.drawnListeners.add(listener);
    return () => this.drawnListeners.delete(listener);
  }

  private noteDrawn() {
    if (this.drawn) return;
    this.drawn = true;
    this.drawnListeners.forEach((listener) => listener());
  }

  private passOn() {
    if (this.passing || this.waiting.length === 0) return;
    this.passing = true;
    this.later(() => {
      this.passing = false;
      const next = this.waiting.shift();
      if (!next) return;
      this.holder = next;
      next();
    });
  }
}

/**
 * Charts draw in turn, in the page's order when they are ready together: a page that opens with
 * its answers already here would otherwise draw every chart in one long task and show none of them
 * until the last is drawn. Between two charts the browser can paint and answer input.
 */
const chartTurns = new DrawingTurns((run) => setTimeout(run, 0));

/** Whether a chart that is `ready` (measured, with data) may draw: from its turn on, for as long as it is mounted. */
export function useTurnToDraw(ready: boolean, turns: DrawingTurns = chartTurns): boolean {
  const [mayDraw, setMayDraw] = useState(false);
  useLayoutEffect(() => {
    if (!ready || mayDraw) return;
    // The cleanup passes the turn on once the chart has drawn (the commit that drew it), or when it leaves.
    return turns.take(() => setMayDraw(true));
  }, [ready, mayDraw, turns]);
  return mayDraw;
}

/**
 * Whether what the page holds back until its first chart is on screen may mount: a task after a
 * chart has drawn, or `patienceMs` after the caller mounted when none has (an empty or failed page).
 * Below-the-fold sections wait for it, so their code, queries and rendering do not hold up the first chart.
 */
export function useAfterFirstChart(patienceMs = 1_500, turns: DrawingTurns = chartTurns): boolean {
  const [mayMount, setMayMount] = useState(() => turns.hasDrawn());
  useEffect(() => {
    if (mayMount) return;
    let timer = setTimeout(() => setMayMount(true), patienceMs);
    const mount = () => {
      clearTimeout(timer);
      // A task later: the browser paints the chart before what waited for it starts.
      timer = setTimeout(() => setMayMount(true), 0);
    };
    if (turns.hasDrawn()) mount();
    const unsubscribe = turns.subscribeDrawn(mount);
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, [mayMount, patienceMs, turns]);
  return mayMount;
}
