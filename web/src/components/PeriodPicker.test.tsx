import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { PeriodPicker } from './PeriodPicker';

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

describe('PeriodPicker', () => {
  it('offers 24 hours, 7, 30 and 90 days by name with the current one checked', () => {
    act(() => root.render(<PeriodPicker value="LAST_30D" onChange={() => {}} />));
    const radios = [...container.querySelectorAll<HTMLInputElement>('input[type="radio"]')];
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
    act(() => root.render(<PeriodPicker value="LAST_7D" onChange={onChange} />));
    act(() => container.querySelector<HTMLInputElement>('input[value="LAST_90D"]')!.click());
    expect(onChange).toHaveBeenCalledWith('LAST_90D');
  });
});
