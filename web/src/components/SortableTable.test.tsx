import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { SortableTable, type SortableColumn } from './SortableTable';
import type { RowOrder, TableSort } from './table-sort';

interface Fruit {
  name: string;
  stock: number;
  colour: string;
}

type FruitKey = 'name' | 'stock';

const BANANA: Fruit = { name: 'banana', stock: 3, colour: 'yellow' };
const APPLE: Fruit = { name: 'apple', stock: 1, colour: 'red' };
const CHERRY: Fruit = { name: 'cherry', stock: 3, colour: 'red' };

const COLUMNS: readonly SortableColumn<Fruit, FruitKey>[] = [
  { label: 'Name', sortKey: 'name', firstDirection: 'ascending', rowHeader: true, cell: (fruit) => fruit.name },
  { label: 'Stock', sortKey: 'stock', numeric: true, cell: (fruit) => fruit.stock },
  { label: 'Colour', cell: (fruit) => fruit.colour },
];

const ORDER: RowOrder<Fruit, FruitKey> = {
  byColumn: { name: (a, b) => a.name.localeCompare(b.name), stock: (a, b) => a.stock - b.stock },
  tiebreak: (a, b) => a.name.localeCompare(b.name),
};

const MOST_STOCK_FIRST: TableSort<FruitKey> = { key: 'stock', direction: 'descending' };

const shownNames = () => screen.getAllByRole('rowheader').map((cell) => cell.textContent);
const heading = (name: string) => screen.getByRole('columnheader', { name });

function renderSelfSorting(rows: readonly Fruit[] = [BANANA, APPLE, CHERRY]) {
  return render(
    <SortableTable
      columns={COLUMNS}
      rows={rows}
      rowKey={(fruit) => fruit.name}
      className="fruit"
      caption={({ label, direction }) => `Fruit, sorted by ${label}, ${direction}`}
      empty="No fruit."
      defaultSort={MOST_STOCK_FIRST}
      order={ORDER}
    />,
  );
}

describe('SortableTable sorting its own rows', () => {
  it('starts in the default sort and marks only the sorted heading, leaving unsortable headings plain', () => {
    renderSelfSorting();
    expect(shownNames()).toEqual(['banana', 'cherry', 'apple']);
    expect(heading('Stock').getAttribute('aria-sort')).toBe('descending');
    expect(heading('Name').getAttribute('aria-sort')).toBe('none');
    expect(heading('Colour').hasAttribute('aria-sort')).toBe(false);
    expect(within(heading('Colour')).queryByRole('button')).toBeNull();
    expect(screen.getByRole('table', { name: 'Fruit, sorted by Stock, descending' })).toBeTruthy();
  });

  it('sorts by a clicked heading in its first direction, and the other way on a second click', async () => {
    const user = userEvent.setup();
    renderSelfSorting();
    await user.click(screen.getByRole('button', { name: 'Name' }));
    expect(shownNames()).toEqual(['apple', 'banana', 'cherry']);
    expect(heading('Name').getAttribute('aria-sort')).toBe('ascending');
    expect(heading('Stock').getAttribute('aria-sort')).toBe('none');
    expect(screen.getByRole('table', { name: 'Fruit, sorted by Name, ascending' })).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Name' }));
    expect(shownNames()).toEqual(['cherry', 'banana', 'apple']);
    expect(heading('Name').getAttribute('aria-sort')).toBe('descending');
  });

  it('keeps tied rows in the tiebreak order whichever way their column runs', async () => {
    const user = userEvent.setup();
    renderSelfSorting();
    expect(shownNames()).toEqual(['banana', 'cherry', 'apple']);
    await user.click(screen.getByRole('button', { name: 'Stock' }));
    expect(heading('Stock').getAttribute('aria-sort')).toBe('ascending');
    expect(shownNames()).toEqual(['apple', 'banana', 'cherry']);
  });

  it('sorts from the keyboard: Enter and Space on a heading button', async () => {
    const user = userEvent.setup();
    renderSelfSorting();
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Name' }));
    await user.keyboard('{Enter}');
    expect(heading('Name').getAttribute('aria-sort')).toBe('ascending');
    await user.keyboard(' ');
    expect(heading('Name').getAttribute('aria-sort')).toBe('descending');
    expect(shownNames()).toEqual(['cherry', 'banana', 'apple']);
  });

  it('draws row headings, figures in the num class, and says when there is nothing to show', () => {
    const { unmount } = renderSelfSorting();
    expect(screen.getByRole('rowheader', { name: 'apple' }).getAttribute('scope')).toBe('row');
    expect(screen.getByRole('cell', { name: '1' }).className).toBe('num');
    expect(heading('Stock').className).toBe('num');
    unmount();
    renderSelfSorting([]);
    expect(screen.getByRole('cell', { name: 'No fruit.' }).getAttribute('colspan')).toBe('3');
  });
});

describe('SortableTable with the sort owned by its parent', () => {
  function controlledTable(sort: TableSort<FruitKey>, onSortChange: (next: TableSort<FruitKey>) => void) {
    return (
      <SortableTable
        columns={COLUMNS}
        rows={[BANANA, APPLE, CHERRY]}
        rowKey={(fruit) => fruit.name}
        rowProps={(fruit) => ({ className: fruit.colour, 'data-fruit': fruit.name })}
        className="fruit"
        caption="Fruit, in the server's order"
        sort={sort}
        onSortChange={onSortChange}
      />
    );
  }

  it('asks its parent for the next sort and shows the rows in the order given', async () => {
    const user = userEvent.setup();
    const onSortChange = jest.fn();
    const { rerender, container } = render(controlledTable(MOST_STOCK_FIRST, onSortChange));
    expect(shownNames()).toEqual(['banana', 'apple', 'cherry']);
    expect(container.querySelector('tr[data-fruit="apple"]')?.className).toBe('red');

    await user.click(screen.getByRole('button', { name: 'Name' }));
    expect(onSortChange).toHaveBeenLastCalledWith({ key: 'name', direction: 'ascending' });
    expect(shownNames()).toEqual(['banana', 'apple', 'cherry']);
    expect(heading('Stock').getAttribute('aria-sort')).toBe('descending');

    await user.click(screen.getByRole('button', { name: 'Stock' }));
    expect(onSortChange).toHaveBeenLastCalledWith({ key: 'stock', direction: 'ascending' });

    rerender(controlledTable({ key: 'name', direction: 'ascending' }, onSortChange));
    expect(heading('Name').getAttribute('aria-sort')).toBe('ascending');
    expect(heading('Stock').getAttribute('aria-sort')).toBe('none');
    expect(shownNames()).toEqual(['banana', 'apple', 'cherry']);
  });

  it('orders the rows by the parent’s sort when given an order, so the sort can outlive the table', async () => {
    const user = userEvent.setup();
    const onSortChange = jest.fn();
    render(
      <SortableTable
        columns={COLUMNS}
        rows={[BANANA, APPLE, CHERRY]}
        rowKey={(fruit) => fruit.name}
        className="fruit"
        caption="Fruit"
        sort={{ key: 'name', direction: 'descending' }}
        onSortChange={onSortChange}
        order={ORDER}
      />,
    );
    expect(shownNames()).toEqual(['cherry', 'banana', 'apple']);
    await user.click(screen.getByRole('button', { name: 'Name' }));
    expect(onSortChange).toHaveBeenLastCalledWith({ key: 'name', direction: 'ascending' });
  });
});
