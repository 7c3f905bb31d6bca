import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { PeriodPicker } from './PeriodPicker';

describe('PeriodPicker', () => {
  it('offers 24 hours, 7, 30 and 90 days by name with the current one checked', () => {
    render(<PeriodPicker value="LAST_30D" onChange={() => {}} />);
    const radios = screen.getAllByRole<HTMLInputElement>('radio');
    expect(radios.map((radio) => radio.getAttribute('aria-label'))).toEqual([
      'the last 24 hours',
      'the last 7 days',
      'the last 30 days',
      'the last 90 days',
    ]);
    expect(radios.filter((radio) => radio.checked).map((radio) => radio.value)).toEqual(['LAST_30D']);
  });

  it('reports the period picked', async () => {
    const user = userEvent.setup();
    const onChange = jest.fn();
    render(<PeriodPicker value="LAST_7D" onChange={onChange} />);
    await user.click(screen.getByRole('radio', { name: 'the last 90 days' }));
    expect(onChange).toHaveBeenCalledWith('LAST_90D');
  });
});
