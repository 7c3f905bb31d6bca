import { prepareSparkline } from './sparkline';

const box = { width: 100, height: 20 };

describe('prepareSparkline', () => {
  it('draws the values oldest at the left, scaled from zero to the slowest', () => {
    const view = prepareSparkline([10, 40, 20], box);
    expect(view.path).toBe('M0,15 L50,0 L100,10');
    expect(view.last).toEqual({ x: 100, y: 10 });
    expect(view.summary).toBe('The last 3 responses: fastest 10 ms, slowest 40 ms, latest 20 ms');
  });

  it('spreads 100 values across the whole width', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    const view = prepareSparkline(values, box);
    const points = view.path.split(' ');
    expect(points).toHaveLength(100);
    expect(points[0]).toBe('M0,19.8');
    expect(points[99]).toBe('L100,0');
  });

  it('draws one value as a flat line and says it is one', () => {
    const view = prepareSparkline([5], box);
    expect(view.path).toBe('M0,0 L100,0');
    expect(view.summary).toBe('The last response: fastest 5 ms, slowest 5 ms, latest 5 ms');
  });

  it('keeps times of zero on the baseline', () => {
    expect(prepareSparkline([0, 0], box).path).toBe('M0,20 L100,20');
  });

  it('draws nothing when there are no times', () => {
    expect(prepareSparkline([], box)).toEqual({ path: '', last: null, summary: 'No response times yet' });
  });
});
