import { act } from 'react';
import { Card } from './Card';
import type { CardStatus } from './card-status';
import { useDomRoot } from '../test-support/dom-root';

const dom = useDomRoot();

function renderCard(status: CardStatus) {
  act(() =>
    dom.root.render(
      <Card title="Cost by model" status={status}>
        <p>the chart</p>
      </Card>,
    ),
  );
}

describe('Card', () => {
  it('announces loading without showing its content', () => {
    renderCard({ kind: 'loading' });
    expect(dom.container.querySelector('[role="status"]')?.textContent).toBe('Loading…');
    expect(dom.container.textContent).not.toContain('the chart');
  });

  it('shows an error with a retry button that retries', () => {
    const retry = jest.fn();
    renderCard({ kind: 'error', message: 'The gateway could not be reached.', retry });
    expect(dom.container.querySelector('[role="alert"]')?.textContent).toContain('The gateway could not be reached.');
    act(() => dom.container.querySelector('button')!.click());
    expect(retry).toHaveBeenCalledTimes(1);
  });

  it('says what to do when empty', () => {
    renderCard({ kind: 'empty', message: 'No calls yet: send one with trackLlmCall.' });
    expect(dom.container.textContent).toContain('No calls yet: send one with trackLlmCall.');
  });

  it('shows its content under a heading that names the section when ready', () => {
    renderCard({ kind: 'ready' });
    const section = dom.container.querySelector('section')!;
    const heading = document.getElementById(section.getAttribute('aria-labelledby')!);
    expect(heading?.textContent).toBe('Cost by model');
    expect(section.textContent).toContain('the chart');
  });
});
