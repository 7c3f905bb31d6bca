import { act, render, screen } from '@testing-library/react';
import { DrawingTurns, useAfterFirstChart, useTurnToDraw } from './draw-in-turn';

/** Turns whose "next task" runs only when the test says so. */
function manualTurns() {
  const tasks: (() => void)[] = [];
  const turns = new DrawingTurns((run) => tasks.push(run));
  const runNextTask = () => {
    const task = tasks.shift();
    if (!task) throw new Error('no task was scheduled');
    task();
  };
  return { turns, runNextTask, pendingTasks: () => tasks.length };
}

describe('DrawingTurns', () => {
  it('gives the first asker its turn at once and each next one in a later task, once the one before is done', () => {
    const { turns, runNextTask, pendingTasks } = manualTurns();
    const granted: string[] = [];
    const releaseA = turns.take(() => granted.push('a'));
    const releaseB = turns.take(() => granted.push('b'));
    turns.take(() => granted.push('c'));
    expect(granted).toEqual(['a']);
    expect(pendingTasks()).toBe(0);

    releaseA();
    expect(granted).toEqual(['a']);
    runNextTask();
    expect(granted).toEqual(['a', 'b']);

    releaseB();
    runNextTask();
    expect(granted).toEqual(['a', 'b', 'c']);
  });

  it('skips an asker that left while waiting, and a release called twice passes the turn once', () => {
    const { turns, runNextTask, pendingTasks } = manualTurns();
    const granted: string[] = [];
    const releaseA = turns.take(() => granted.push('a'));
    const releaseB = turns.take(() => granted.push('b'));
    turns.take(() => granted.push('c'));
    releaseB();
    releaseA();
    releaseA();
    expect(pendingTasks()).toBe(1);
    runNextTask();
    expect(granted).toEqual(['a', 'c']);
  });

  it('keeps an asker that comes while the turn is being passed behind those already waiting', () => {
    const { turns, runNextTask } = manualTurns();
    const granted: string[] = [];
    const releaseA = turns.take(() => granted.push('a'));
    turns.take(() => granted.push('b'));
    releaseA();
    turns.take(() => granted.push('c'));
    runNextTask();
    expect(granted).toEqual(['a', 'b']);
  });

  it('gives the turn at once again when nobody holds or awaits it', () => {
    const { turns } = manualTurns();
    const granted: string[] = [];
    turns.take(() => granted.push('a'))();
    turns.take(() => granted.push('b'));
    expect(granted).toEqual(['a', 'b']);
  });
});

describe('useTurnToDraw', () => {
  function Chart({ name, ready, turns }: { name: string; ready: boolean; turns: DrawingTurns }) {
    const mayDraw = useTurnToDraw(ready, turns);
    return <p>{`${name} ${mayDraw ? 'drawn' : 'waiting'}`}</p>;
  }

  const drawn = () => screen.queryAllByText(/ drawn$/).map((chart) => chart.textContent!.replace(/ drawn$/, ''));

  it('draws the charts that are ready together one by one, in the page order, each staying drawn', () => {
    const { turns, runNextTask } = manualTurns();
    const { rerender } = render(
      <>
        <Chart name="cost" ready turns={turns} />
        <Chart name="tokens" ready turns={turns} />
        <Chart name="later" ready={false} turns={turns} />
      </>,
    );
    expect(drawn()).toEqual(['cost']);
    act(runNextTask);
    expect(drawn()).toEqual(['cost', 'tokens']);

    rerender(
      <>
        <Chart name="cost" ready turns={turns} />
        <Chart name="tokens" ready turns={turns} />
        <Chart name="later" ready turns={turns} />
      </>,
    );
    expect(drawn()).toEqual(['cost', 'tokens', 'later']);
  });

  it('passes the turn on when a waiting chart leaves the page', () => {
    const { turns, runNextTask } = manualTurns();
    const page = (withTokens: boolean) => (
      <>
        <Chart name="cost" ready turns={turns} />
        {withTokens ? <Chart name="tokens" ready turns={turns} /> : null}
        <Chart name="memory" ready turns={turns} />
      </>
    );
    const { rerender } = render(page(true));
    expect(drawn()).toEqual(['cost']);
    rerender(page(false));
    act(runNextTask);
    expect(drawn()).toEqual(['cost', 'memory']);
  });
});

describe('useAfterFirstChart', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function Page({ chartReady, turns }: { chartReady: boolean; turns: DrawingTurns }) {
    const mayDraw = useTurnToDraw(chartReady, turns);
    const belowTheFold = useAfterFirstChart(1_500, turns);
    return (
      <>
        <p>{mayDraw ? 'chart drawn' : 'chart waiting'}</p>
        {belowTheFold ? <p>insights</p> : null}
      </>
    );
  }

  const insights = () => screen.queryByText('insights');

  it('mounts what waits a task after the first chart has drawn, not with it', () => {
    const { turns } = manualTurns();
    const { rerender } = render(<Page chartReady={false} turns={turns} />);
    expect(insights()).toBeNull();

    rerender(<Page chartReady turns={turns} />);
    expect(screen.queryByText('chart drawn')).not.toBeNull();
    expect(insights()).toBeNull();

    act(() => jest.advanceTimersByTime(0));
    expect(insights()).not.toBeNull();
  });

  it('mounts what waits after its patience when no chart draws (an empty or failed page)', () => {
    const { turns } = manualTurns();
    render(<Page chartReady={false} turns={turns} />);
    act(() => jest.advanceTimersByTime(1_499));
    expect(insights()).toBeNull();
    act(() => jest.advanceTimersByTime(1));
    expect(insights()).not.toBeNull();
  });

  it('mounts at once on a page opened after a chart has drawn', () => {
    const { turns } = manualTurns();
    turns.take(() => undefined)();
    render(<Page chartReady={false} turns={turns} />);
    expect(insights()).not.toBeNull();
  });
});
