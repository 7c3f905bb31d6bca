import { within } from '@testing-library/react';

/** The rows of `table`'s body that a person can see (not hidden), each as its cells' texts. */
export function bodyRows(table: HTMLElement): string[][] {
  const [, body] = within(table).getAllByRole('rowgroup');
  return within(body)
    .queryAllByRole('row')
    .map((row) => within(row).getAllByRole('cell').map((cell) => cell.textContent ?? ''));
}
