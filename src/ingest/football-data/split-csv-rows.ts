import { CsvError, parse } from 'csv-parse/sync';

/** One CSV record and the physical line it starts on (1-based). */
export interface CsvRow {
  readonly fields: string[];
  readonly line: number;
}

/** The records of a CSV text, or where and why it could not be read. */
export type SplitCsvResult =
  | { readonly ok: true; readonly rows: CsvRow[] }
  | { readonly ok: false; readonly line: number; readonly reason: string };

/** A csv-parse record with `raw: true`, which its typings do not model. */
interface CsvParseRawRow {
  readonly record: string[];
  /** The record's source text plus the first character of its line ending. */
  readonly raw: string;
}

/**
 * Splits CSV text into records with their starting line numbers. Rows of any length are
 * returned as they are (the caller checks them against the header); empty lines become a
 * record with one empty field, so line numbers stay physical.
 */
export function splitCsvRows(text: string): SplitCsvResult {
  // Without a double quote no field can be quoted, so a plain split yields exactly what
  // csv-parse would, several times faster (csv-parse dominated a full ingest). Bare-CR line
  // endings are left to csv-parse, which detects them.
  const firstCr = text.indexOf('\r');
  const bareCr = firstCr >= 0 && text.charCodeAt(firstCr + 1) !== 10;
  if (text.indexOf('"') < 0 && !bareCr) return { ok: true, rows: splitPlain(text) };
  return splitWithCsvParse(text);
}

function splitPlain(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let start = 0;
  let line = 1;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const contentEnd = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    rows.push({ fields: text.slice(start, contentEnd).split(','), line });
    start = end + 1;
    line++;
  }
  return rows;
}

function splitWithCsvParse(text: string): SplitCsvResult {
  let parsed: CsvParseRawRow[];
  try {
    parsed = parse(text, {
      raw: true,
      // Field counts are checked per row by the caller, so one bad row is reported instead of aborting the file.
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
    }) as unknown as CsvParseRawRow[];
  } catch (err) {
    const line = err instanceof CsvError && typeof err['lines'] === 'number' ? err['lines'] : 0;
    const detail = err instanceof Error ? err.message : String(err);
    return { ok: false, line, reason: `the file is not readable as CSV (${detail}); look for an unclosed double quote` };
  }
  const rows: CsvRow[] = [];
  let line = 1;
  for (const { record, raw } of parsed) {
    rows.push({ fields: record, line });
    // csv-parse's own info.lines counts a CRLF inside a quoted field twice, so line breaks
    // are counted here from the raw text instead.
    line += 1 + lineBreaksWithin(raw);
  }
  return { ok: true, rows };
}

/** Line breaks (CRLF, LF or CR) inside a raw record, not counting the one that ends it. */
function lineBreaksWithin(raw: string): number {
  let end = raw.length;
  const last = raw.charCodeAt(end - 1);
  if (last === 10 || last === 13) end--;
  let breaks = 0;
  for (let i = 0; i < end; i++) {
    const code = raw.charCodeAt(i);
    if (code === 10) breaks++;
    else if (code === 13) {
      breaks++;
      if (raw.charCodeAt(i + 1) === 10) i++;
    }
  }
  return breaks;
}
