import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Card } from './Card';
import type { CardStatus } from './card-status';

function renderCard(status: CardStatus) {
  render(
    <Card title="Cost by model" status={status}>
      <p>the chart</p>
    </Card>,
  );
}

describe('Card', () => {
  it('announces loading without showing its content', () => {
    renderCard({ kind: 'loading' });
    expect(screen.getByRole('status').textContent).toBe('Loading…');
    expect(screen.queryByText('the chart')).toBeNull();
  });

  it('shows an error with a retry button that retries', async () => {
    const user = userEvent.setup();
    const retry = jest.fn();
    renderCard({ kind: 'error', message: 'The gateway could not be reached.', retry });
    expect(screen.getByRole('alert').textContent).toContain('The gateway could not be reached.');
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    expect(retry).toHaveBeenCalledTimes(1);
  });

  it('says what to do when empty', () => {
    renderCard({ kind: 'empty', message: 'No calls yet: send one with trackLlmCall.' });
    expect(screen.queryByText('No calls yet: send one with trackLlmCall.')).not.toBeNull();
  });

  it('shows its content under a heading that names the section when ready', () => {
    renderCard({ kind: 'ready' });
    const section = screen.getByRole('region', { name: 'Cost by model' });
    expect(within(section).getByRole('heading').textContent).toBe('Cost by model');
    expect(within(section).queryByText('the chart')).not.toBeNull();
  });
});
