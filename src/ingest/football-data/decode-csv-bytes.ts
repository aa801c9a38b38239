/** Text encodings decodeCsvBytes can report. */
export const CSV_ENCODINGS = ['utf-8', 'windows-1252'] as const;
/** One of CSV_ENCODINGS. */
export type CsvEncoding = (typeof CSV_ENCODINGS)[number];

/** The decoded text of a CSV file and the encoding that produced it. */
export interface DecodedCsv {
  readonly text: string;
  readonly encoding: CsvEncoding;
}

// Code points for cp1252 bytes 0x80–0x9F, the only range where it differs from latin-1.
// The five bytes cp1252 leaves undefined map to the same C1 control, as WHATWG does.
const CP1252_HIGH = new Uint16Array([
  0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d,
  0x017d, 0x008f, 0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, 0x009d, 0x017e, 0x0178,
]);

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf16 = new TextDecoder('utf-16le');

// Node 20's TextDecoder('windows-1252') decodes as plain latin-1 (0x80 becomes U+0080, not €),
// so the 32 bytes where the two differ are mapped by hand.
function decodeWindows1252(bytes: Uint8Array): string {
  const units = new Uint16Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    units[i] = byte >= 0x80 && byte <= 0x9f ? CP1252_HIGH[byte - 0x80]! : byte;
  }
  return utf16.decode(units);
}

/**
 * Decodes a CSV file as UTF-8, falling back to windows-1252 when the bytes are not valid UTF-8, and drops a UTF-8 BOM.
 *
 * football-data files are ASCII in recent seasons, but older downloads carry stray cp1252
 * bytes in team and referee names; a valid UTF-8 file is never misread as cp1252.
 */
export function decodeCsvBytes(bytes: Uint8Array): DecodedCsv {
  const hasBom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = hasBom ? bytes.subarray(3) : bytes;
  try {
    return { text: utf8.decode(body), encoding: 'utf-8' };
  } catch {
    return { text: decodeWindows1252(body), encoding: 'windows-1252' };
  }
}
