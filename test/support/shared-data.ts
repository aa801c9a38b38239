import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

/** ../shared/data/football-data (the real files the bundled data/ was copied from). */
export const SHARED_FOOTBALL_DATA = fileURLToPath(new URL('../../../shared/data/football-data/', import.meta.url));

/** The repository's bundled data/football-data. */
export const BUNDLED_FOOTBALL_DATA = fileURLToPath(new URL('../../data/football-data/', import.meta.url));

export interface ManifestRow {
  path: string;
  div: string;
  season: string;
  complete: string;
  matches: string;
}

/** Rows of the shared football-data manifest.csv (one per staged file, with its match count). */
export function footballDataManifest(): ManifestRow[] {
  return parse(fs.readFileSync(`${SHARED_FOOTBALL_DATA}/manifest.csv`), { columns: true }) as ManifestRow[];
}
