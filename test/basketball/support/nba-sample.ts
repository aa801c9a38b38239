import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's bundled sample (a byte-for-byte copy of ../shared/data/nba-shots). */
export const BUNDLED_NBA_SHOTS = fileURLToPath(new URL('../../../data/nba-shots/NBA_2024_Shots_2023-10_to_2023-11.csv', import.meta.url));

/** Header line and data lines of the bundled sample, as text. */
export function sampleLines(): { header: string; lines: string[] } {
  const [header, ...lines] = fs.readFileSync(BUNDLED_NBA_SHOTS, 'utf8').trimEnd().split('\n');
  return { header: header!, lines };
}

/**
 * The sample's rows for games on the given ISO dates (whole games, original order), for tests that
 * need real shots but not all 48,622 of them.
 */
export function sampleOfDates(dates: readonly string[]): string[] {
  const { lines } = sampleLines();
  const wanted = new Set(dates.map((d) => `${d.slice(5, 7)}-${d.slice(8, 10)}-${d.slice(0, 4)}`));
  return lines.filter((line) => wanted.has(line.split(',')[8]!));
}

/** Writes a CSV (header + lines) to a fresh temporary directory and returns its path. */
export function writeTempCsv(name: string, header: string, lines: readonly string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tipster-nba-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, `${header}\n${lines.join('\n')}\n`);
  return file;
}

/** Every date from `from` to `to` inclusive, as ISO dates. */
export function isoDays(from: string, to: string): string[] {
  const days: string[] = [];
  for (let ms = Date.parse(`${from}T00:00:00Z`); ms <= Date.parse(`${to}T00:00:00Z`); ms += 86_400_000) {
    days.push(new Date(ms).toISOString().slice(0, 10));
  }
  return days;
}
