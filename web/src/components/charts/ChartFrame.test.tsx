import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { ChartFrame } from './ChartFrame';
import { barChartText, sliceChartText } from './chart-text';

let container: HTMLDivElement;

beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
});

afterEach(() => container.remove());

/** Renders as the first paint does: the chart's width is not measured yet, its words are there already. */
function render(element: ReactElement) {
  container.innerHTML = renderToStaticMarkup(element);
}

const bars = [
  { label: 'claude-sonnet-4-5', value: 39.26, valueLabel: '$39.26' },
  { label: 'gpt-4o-mini', value: 0.29, valueLabel: '$0.29' },
];

function describedBy(element: Element): string {
  return (element.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');
}

it('a chart is an image named by its title and described by its summary, with its figures in a table', () => {
  render(
    <ChartFrame title="Cost by model, the last 30 days" text={barChartText(bars)} height={120}>
      {() => <svg role="presentation" />}
    </ChartFrame>,
  );
  const image = container.querySelector('[role="img"]')!;
  expect(image.getAttribute('aria-label')).toBe('Cost by model, the last 30 days');
  expect(describedBy(image)).toBe('2 bars. Highest: claude-sonnet-4-5, $39.26. Lowest: gpt-4o-mini, $0.29.');
  const table = container.querySelector('table')!;
  expect(table.querySelector('caption')?.textContent).toBe('Cost by model, the last 30 days: the figures');
  expect([...table.querySelectorAll('tbody tr')].map((row) => [...row.children].map((cell) => cell.textContent))).toEqual([
    ['claude-sonnet-4-5', '$39.26'],
    ['gpt-4o-mini', '$0.29'],
  ]);
  expect(table.querySelector('tbody th')?.getAttribute('scope')).toBe('row');
});

it('a summary given by the card replaces the derived one', () => {
  const slices = [{ label: 'pro', value: 3, valueLabel: '3 workspaces', shareLabel: '100.0%' }];
  render(
    <ChartFrame title="Plans" text={sliceChartText(slices)} summary="Every workspace is on pro." height={120}>
      {() => null}
    </ChartFrame>,
  );
  expect(describedBy(container.querySelector('[role="img"]')!)).toBe('Every workspace is on pro.');
});
