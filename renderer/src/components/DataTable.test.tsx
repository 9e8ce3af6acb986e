// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { DataTable, removeAction, type Column } from './DataTable';

afterEach(cleanup);

interface Fruit {
  id: string;
  name: string;
  count: number;
  locked?: boolean;
}

const fruits: Fruit[] = [
  { id: 'a', name: 'apple', count: 3 },
  { id: 'p', name: 'pear', count: 1, locked: true },
];

const columns: Column<Fruit>[] = [
  { header: 'Name', cell: (f) => f.name, rowHeader: true },
  { header: 'Count', cell: (f) => String(f.count), className: 'muted' },
];

const removeFruit = (removed: Fruit[]) => removeAction<Fruit>('fruit', (f) => f.name, (f) => removed.push(f), (f) => !f.locked);

describe('the data table', () => {
  it('renders headers, one row per item and the cells the columns declare', () => {
    render(<DataTable label="Fruit" columns={columns} rows={fruits} rowKey={(f) => f.id} />);
    const table = screen.getByRole('table', { name: 'Fruit' });
    expect(table.className).toBe('grid');
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Name', 'Count']);
    expect(within(table).getByRole('rowheader', { name: 'apple' })).toBeTruthy();
    expect(within(table).getByRole('row', { name: 'pear 1' })).toBeTruthy();
    expect(within(table).getByRole('cell', { name: '3' }).className).toBe('muted');
  });

  it('gives each row its action button, named for the row, calling the handler with that row', () => {
    const removed: Fruit[] = [];
    render(<DataTable label="Fruit" columns={columns} rows={fruits} rowKey={(f) => f.id} actions={[removeFruit(removed)]} actionsClassName="row-actions" />);
    expect(screen.getAllByRole('columnheader').at(-1)?.textContent).toBe('Actions');
    fireEvent.click(screen.getByRole('button', { name: 'Remove fruit apple' }));
    expect(removed).toEqual([fruits[0]]);
    // `when` leaves the button out for rows it does not apply to.
    expect(screen.queryByRole('button', { name: 'Remove fruit pear' })).toBeNull();
  });

  it('disables the busy row’s action and says it is running, leaving the other rows alone', () => {
    const many = [...fruits, { id: 'c', name: 'cherry', count: 9 }];
    render(<DataTable label="Fruit" columns={columns} rows={many} rowKey={(f) => f.id} actions={[removeFruit([])]} busyKey="c" />);
    const busy = screen.getByRole('button', { name: 'Remove fruit cherry' }) as HTMLButtonElement;
    expect(busy.disabled).toBe(true);
    expect(busy.textContent).toBe('Removing…');
    const idle = screen.getByRole('button', { name: 'Remove fruit apple' }) as HTMLButtonElement;
    expect(idle.disabled).toBe(false);
    expect(idle.textContent).toBe('Remove');
  });

  it('shows the empty state instead of the table, or nothing for null', () => {
    const { rerender } = render(<DataTable label="Fruit" columns={columns} rows={[]} rowKey={(f) => f.id} empty={<p role="status">No fruit yet</p>} />);
    expect(screen.getByRole('status').textContent).toBe('No fruit yet');
    expect(screen.queryByRole('table')).toBeNull();
    rerender(<DataTable label="Fruit" columns={columns} rows={[]} rowKey={(f) => f.id} empty={null} />);
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('keeps the headers of an empty table when given no empty state (an empty folder)', () => {
    render(<DataTable label="Fruit" columns={columns} rows={[]} rowKey={(f) => f.id} />);
    expect(screen.getAllByRole('columnheader')).toHaveLength(2);
    expect(screen.getAllByRole('row')).toHaveLength(1);
  });
});
