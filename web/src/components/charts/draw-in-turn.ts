import { useLayoutEffect, useState } from 'react';

/**
 * Turns to draw, given one at a time in the order they were asked for. The first asker draws at
 * once; each next one in a task of its own (`later`) once the one before has drawn or left.
 */
export class DrawingTurns {
  private readonly waiting: (() => void)[] = [];
  private holder: (() => void) | null = null;
  private passing = false;

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
      this.passOn();
    };
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
