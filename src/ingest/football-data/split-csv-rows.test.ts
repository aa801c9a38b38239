import { parse } from 'csv-parse/sync';
import { describe, it, expect } from 'vitest';
import { splitCsvRows } from './split-csv-rows.js';

/** What csv-parse itself yields for `text`. */
function csvParseRecords(text: string): string[][] {
  return parse(text, { relax_column_count: true, relax_quotes: true, skip_empty_lines: false });
}

describe('splitCsvRows', () => {
  // The quote-free fast path must agree with csv-parse record for record, or line numbers
  // and blank-row counts would differ between files with and without a quoted field.
  it.each([
    ['LF', 'a,b,c\n1,2,3\n'],
    ['CRLF', 'a,b,c\r\n1,2,3\r\n'],
    ['no final newline', 'a,b,c\n1,2,3'],
    ['blank and comma-only lines', 'a,b,c\n\n,,\n1,2,3\n\n'],
    ['short and long rows', 'a,b,c\n1,2\n1,2,3,4\n'],
    ['trailing empty header fields', 'a,b,,,\n1,2,,,\n'],
    ['spaces kept', 'a, b ,c\n 1,2 ,3\n'],
  ])('matches csv-parse on quote-free text (%s)', (_label, text) => {
    const split = splitCsvRows(text);
    expect(split.ok).toBe(true);
    if (!split.ok) return;
    expect(split.rows.map((row) => row.fields)).toEqual(csvParseRecords(text));
    expect(split.rows.map((row) => row.line)).toEqual(split.rows.map((_row, index) => index + 1));
  });

  it('hands quoted text to csv-parse and numbers rows by the line they start on', () => {
    const split = splitCsvRows('a,b\r\n"x, y","multi\r\nline"\r\n1,2\r\n');
    expect(split).toEqual({
      ok: true,
      rows: [
        { fields: ['a', 'b'], line: 1 },
        { fields: ['x, y', 'multi\r\nline'], line: 2 },
        { fields: ['1', '2'], line: 4 },
      ],
    });
  });

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ])('counts a line break inside a quoted field once (%s)', (_label, eol) => {
    const text = ['a,b', '"one', 'two', 'three",x', '', '1,2'].join(eol) + eol;
    const split = splitCsvRows(text);
    expect(split.ok && split.rows.map((row) => row.line)).toEqual([1, 2, 5, 6]);
  });

  it('reads old Mac (bare CR) line endings through csv-parse', () => {
    const split = splitCsvRows('a,b\r1,2\r3,4\r');
    expect(split.ok && split.rows.map((row) => row.fields)).toEqual([['a', 'b'], ['1', '2'], ['3', '4']]);
  });

  it('reports an unclosed quote with its line instead of throwing', () => {
    const split = splitCsvRows('a,b\n1,2\n"3,4\n5,6\n');
    expect(split.ok).toBe(false);
    if (split.ok) return;
    expect(split.line).toBeGreaterThanOrEqual(3);
    expect(split.reason).toMatch(/unclosed double quote/);
  });
});
