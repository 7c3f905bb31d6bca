import { act } from 'react';
import { useDomRoot } from '../../test-support/dom-root';
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
  const dom = useDomRoot();

  function Chart({ name, ready, turns }: { name: string; ready: boolean; turns: DrawingTurns }) {
    const mayDraw = useTurnToDraw(ready, turns);
    return <div data-chart={name}>{mayDraw ? 'drawn' : ''}</div>;
  }

  const drawn = () => [...dom.container.querySelectorAll('[data-chart]')].filter((chart) => chart.textContent === 'drawn').map((chart) => chart.getAttribute('data-chart'));

  it('draws the charts that are ready together one by one, in the page order, each staying drawn', () => {
    const { turns, runNextTask } = manualTurns();
    act(() =>
      dom.root.render(
        <>
          <Chart name="cost" ready turns={turns} />
          <Chart name="tokens" ready turns={turns} />
          <Chart name="later" ready={false} turns={turns} />
        </>,
      ),
    );
    expect(drawn()).toEqual(['cost']);
    act(runNextTask);
    expect(drawn()).toEqual(['cost', 'tokens']);

    act(() =>
      dom.root.render(
        <>
          <Chart name="cost" ready turns={turns} />
          <Chart name="tokens" ready turns={turns} />
          <Chart name="later" ready turns={turns} />
        </>,
      ),
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
    act(() => dom.root.render(page(true)));
    expect(drawn()).toEqual(['cost']);
    act(() => dom.root.render(page(false)));
    act(runNextTask);
    expect(drawn()).toEqual(['cost', 'memory']);
  });
});

describe('useAfterFirstChart', () => {
  const dom = useDomRoot();

  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function Page({ chartReady, turns }: { chartReady: boolean; turns: DrawingTurns }) {
    const mayDraw = useTurnToDraw(chartReady, turns);
    const belowTheFold = useAfterFirstChart(1_500, turns);
    return (
      <>
        <div data-chart="cost">{mayDraw ? 'drawn' : ''}</div>
        {belowTheFold ? <section>insights</section> : null}
      </>
    );
  }

  it('mounts what waits a task after the first chart has drawn, not with it', () => {
    const { turns } = manualTurns();
    act(() => dom.root.render(<Page chartReady={false} turns={turns} />));
    expect(dom.container.querySelector('section')).toBeNull();

    act(() => dom.root.render(<Page chartReady turns={turns} />));
    expect(dom.container.querySelector('[data-chart]')?.textContent).toBe('drawn');
    expect(dom.container.querySelector('section')).toBeNull();

    act(() => jest.advanceTimersByTime(0));
    expect(dom.container.querySelector('section')?.textContent).toBe('insights');
  });

  it('mounts what waits after its patience when no chart draws (an empty or failed page)', () => {
    const { turns } = manualTurns();
    act(() => dom.root.render(<Page chartReady={false} turns={turns} />));
    act(() => jest.advanceTimersByTime(1_499));
    expect(dom.container.querySelector('section')).toBeNull();
    act(() => jest.advanceTimersByTime(1));
    expect(dom.container.querySelector('section')?.textContent).toBe('insights');
  });

  it('mounts at once on a page opened after a chart has drawn', () => {
    const { turns } = manualTurns();
    turns.take(() => undefined)();
    act(() => dom.root.render(<Page chartReady={false} turns={turns} />));
    expect(dom.container.querySelector('section')?.textContent).toBe('insights');
  });
});
