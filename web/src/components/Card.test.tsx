import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { Card } from './Card';
import type { CardStatus } from './card-status';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let container: HTMLDivElement;
let root: Root;

beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
});

afterEach(() => {
  act(() => root.unmount());
  container.remove();
});

function renderCard(status: CardStatus) {
  act(() =>
    root.render(
      <Card title="Cost by model" status={status}>
        <p>the chart</p>
      </Card>,
    ),
  );
}

describe('Card', () => {
  it('announces loading without showing its content', () => {
    renderCard({ kind: 'loading' });
    expect(container.querySelector('[role="status"]')?.textContent).toBe('Loading…');
    expect(container.textContent).not.toContain('the chart');
  });

  it('shows an error with a retry button that retries', () => {
    const retry = jest.fn();
    renderCard({ kind: 'error', message: 'The gateway could not be reached.', retry });
    expect(container.querySelector('[role="alert"]')?.textContent).toContain('The gateway could not be reached.');
    act(() => container.querySelector('button')!.click());
    expect(retry).toHaveBeenCalledTimes(1);
  });

  it('says what to do when empty', () => {
    renderCard({ kind: 'empty', message: 'No calls yet: send one with trackLlmCall.' });
    expect(container.textContent).toContain('No calls yet: send one with trackLlmCall.');
  });

  it('shows its content under a heading that names the section when ready', () => {
    renderCard({ kind: 'ready' });
    const section = container.querySelector('section')!;
    const heading = document.getElementById(section.getAttribute('aria-labelledby')!);
    expect(heading?.textContent).toBe('Cost by model');
    expect(section.textContent).toContain('the chart');
  });
});
