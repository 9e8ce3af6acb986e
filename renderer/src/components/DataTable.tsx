import type { ReactNode } from 'react';

/** One column, declared as data: its header, and what a row puts in its cell. */
export interface Column<Row> {
  /** Visible header text; unique within a table (it keys the column). */
  header: string;
  cell(row: Row): ReactNode;
  className?: string;
  /** The cell that names its row (`<th scope="row">`): assistive tech and role queries read the row by it first. */
  rowHeader?: boolean;
}

/** A button in the row's actions cell. */
export interface RowAction<Row> {
  /** Visible text; unique within a table (it keys the button). */
  label: string;
  /** The accessible name: it must say which row it acts on ("Remove volume data"), since every row has one. */
  name(row: Row): string;
  className?: string;
  /** Leave the button out where it does not apply (the engine's built-in networks cannot be removed). */
  when?(row: Row): boolean;
  onClick(row: Row): void;
  /** Shown, with the button disabled, while the table's `busyKey` is this row's key. */
  busyLabel?: string;
}

/** The Remove button of the engine's lists: named "Remove volume data", saying "Removing…" while it runs. */
export function removeAction<Row>(noun: string, nameOf: (row: Row) => string, onClick: (row: Row) => void, when?: (row: Row) => boolean): RowAction<Row> {
  return { label: 'Remove', busyLabel: 'Removing…', name: (row) => `Remove ${noun} ${nameOf(row)}`, className: 'small danger', onClick, when };
}

interface Props<Row> {
  /** The table's accessible name. */
  label: string;
  columns: Column<Row>[];
  rows: readonly Row[];
  rowKey(row: Row, index: number): string;
  actions?: RowAction<Row>[];
  /** `row-actions` lays several buttons out in a row; a single Remove (Volumes, Networks) sits in a plain cell. */
  actionsClassName?: string;
  /** The key of the row whose action runs: useBusyAction's `busy`, when views pass the row key to `act`. */
  busyKey?: string | null;
  /** Shown instead of the table when there are no rows (null: nothing). Without it an empty table keeps its headers. */
  empty?: ReactNode;
  /** Rows are being replaced (a new page loading): said as aria-busy. */
  loading?: boolean;
}

/** The `table.grid` of the list views: columns as data, one keyed row per item, an optional actions cell. */
export function DataTable<Row>({ label, columns, rows, rowKey, actions, actionsClassName, busyKey, empty, loading }: Props<Row>) {
  if (rows.length === 0 && empty !== undefined) return <>{empty}</>;
  return (
    <table className="grid" aria-label={label} aria-busy={loading}>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.header}>{c.header}</th>
          ))}
          {actions ? (
            <th>
              <span className="visually-hidden">Actions</span>
            </th>
          ) : null}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, index) => {
          const key = rowKey(row, index);
          return (
            <tr key={key}>
              {columns.map((c) => {
                const Cell = c.rowHeader ? 'th' : 'td';
                return (
                  <Cell key={c.header} scope={c.rowHeader ? 'row' : undefined} className={c.className}>
                    {c.cell(row)}
                  </Cell>
                );
              })}
              {actions ? (
                <td className={actionsClassName}>
                  {actions.map((a) => {
                    if (a.when && !a.when(row)) return null;
                    const running = a.busyLabel !== undefined && busyKey === key;
                    return (
                      <button key={a.label} type="button" className={a.className} aria-label={a.name(row)} disabled={running} onClick={() => a.onClick(row)}>
                        {running ? a.busyLabel : a.label}
                      </button>
                    );
                  })}
                </td>
              ) : null}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
