/** A column of a text table: header, how to read a cell, and alignment. */
export interface TableColumn<T> {
  readonly header: string;
  readonly value: (row: T) => string | number | null;
  readonly align?: 'left' | 'right';
}

/** Renders rows as an aligned plain-text table (numbers right-aligned with thousands separators). */
export function formatTable<T>(rows: readonly T[], columns: readonly TableColumn<T>[]): string {
  const cells = rows.map((row) =>
    columns.map((column) => {
      const value = column.value(row);
      if (value === null) return '-';
      return typeof value === 'number' ? value.toLocaleString('en-GB') : value;
    }),
  );
  const widths = columns.map((column, i) => Math.max(column.header.length, ...cells.map((row) => row[i]!.length)));
  const align = (text: string, i: number) => {
    const right = columns[i]!.align === 'right';
    return right ? text.padStart(widths[i]!) : text.padEnd(widths[i]!);
  };
  const lines = [
    columns.map((c, i) => align(c.header, i)).join('  '),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...cells.map((row) => row.map(align).join('  ')),
  ];
  return lines.map((line) => line.trimEnd()).join('\n');
}
