import { act } from 'react';
import { PeriodPicker } from './PeriodPicker';
import { useDomRoot } from '../test-support/dom-root';

const dom = useDomRoot();

describe('PeriodPicker', () => {
  it('offers 24 hours, 7, 30 and 90 days by name with the current one checked', () => {
    act(() => dom.root.render(<PeriodPicker value="LAST_30D" onChange={() => {}} />));
    const radios = [...dom.container.querySelectorAll<HTMLInputElement>('input[type="radio"]')];
    expect(radios.map((radio) => radio.getAttribute('aria-label'))).toEqual([
      'the last 24 hours',
      'the last 7 days',
      'the last 30 days',
      'the last 90 days',
    ]);
    expect(radios.filter((radio) => radio.checked).map((radio) => radio.value)).toEqual(['LAST_30D']);
  });

  it('reports the period picked', () => {
    const onChange = jest.fn();
    act(() => dom.root.render(<PeriodPicker value="LAST_7D" onChange={onChange} />));
    act(() => dom.container.querySelector<HTMLInputElement>('input[value="LAST_90D"]')!.click());
    expect(onChange).toHaveBeenCalledWith('LAST_90D');
  });
});
