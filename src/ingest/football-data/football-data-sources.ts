import fs from 'node:fs/promises';
import path from 'node:path';
import { TipsterError } from '../../core/errors.js';
import { parseSeasonCode, seasonCodeForStartYear } from '../../football/season-code.js';

/** One CSV to load: a local file or a URL, with what its location says about league and season. */
export interface FootballDataSource {
  readonly kind: 'file' | 'url';
  /** Absolute path or URL. */
  readonly location: string;
  /** Short name for progress and messages (path relative to the input, or the URL path). */
  readonly label: string;
  readonly competitionCode?: string;
  readonly seasonCode?: string;
}

const DIVISION = /^[A-Z]{1,3}\d?$/;

/**
 * Reads league and season from a location in either football-data layout:
 * `<Div>/<season>.csv` (our data/ tree) or `mmz4281/<season>/<Div>.csv` (the site's URLs).
 * `fixtures.csv` (and anything else) names neither: the rows' Div and dates decide.
 */
export function inferLeagueAndSeason(location: string): { competitionCode?: string; seasonCode?: string } {
  const parts = location.split(/[\\/]/).filter((p) => p !== '');
  const file = parts.at(-1) ?? '';
  if (!file.toLowerCase().endsWith('.csv')) return {};
  const stem = file.slice(0, -4);
  const parent = parts.at(-2) ?? '';
  if (parseSeasonCode(stem) && DIVISION.test(parent)) return { competitionCode: parent, seasonCode: stem };
  if (DIVISION.test(stem) && parseSeasonCode(parent)) return { competitionCode: stem, seasonCode: parent };
  return {};
}

/** True when a file name fits a layout we load while walking a directory. */
function looksLikeFootballData(relativePath: string): boolean {
  return (
    inferLeagueAndSeason(relativePath).seasonCode !== undefined ||
    path.basename(relativePath).toLowerCase() === 'fixtures.csv'
  );
}

/**
 * Expands paths and URLs into sources. A directory is walked for files in a football-data layout
 * (others, like a manifest.csv, are left alone); a file or URL is taken as given.
 */
export async function resolveFootballDataSources(inputs: readonly string[], cwd: string): Promise<FootballDataSource[]> {
  const sources: FootballDataSource[] = [];
  for (const input of inputs) {
    if (/^https?:\/\//i.test(input)) {
      sources.push({ kind: 'url', location: input, label: new URL(input).pathname, ...inferLeagueAndSeason(new URL(input).pathname) });
      continue;
    }
    const absolute = path.resolve(cwd, input);
    const stat = await fs.stat(absolute).catch(() => undefined);
    if (!stat) throw new TipsterError('TIPSTER_ERR_INGEST_SOURCE_NOT_FOUND', { source: input });
    if (stat.isFile()) {
      sources.push({ kind: 'file', location: absolute, label: input, ...inferLeagueAndSeason(absolute) });
      continue;
    }
    const entries = (await fs.readdir(absolute, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => path.relative(absolute, path.join(e.parentPath, e.name)))
      .filter(looksLikeFootballData)
      .sort(compareByLeagueAndSeason);
    if (entries.length === 0) throw new TipsterError('TIPSTER_ERR_INGEST_SOURCE_NOT_FOUND', { source: input });
    for (const relative of entries) {
      sources.push({
        kind: 'file',
        location: path.join(absolute, relative),
        label: path.join(input, relative),
        ...inferLeagueAndSeason(relative),
      });
    }
  }
  return sources;
}

/** Site-layout URLs `${baseUrl}/${season}/${div}.csv` for every league and season asked for. */
export function footballDataUrls(baseUrl: string, leagues: readonly string[], seasons: readonly string[]): FootballDataSource[] {
  const base = baseUrl.replace(/\/+$/, '');
  return leagues.flatMap((league) =>
    seasons.map((season) => {
      const location = `${base}/${season}/${league}.csv`;
      return { kind: 'url' as const, location, label: new URL(location).pathname, competitionCode: league, seasonCode: season };
    }),
  );
}

/** Seasons from `from` to `to` inclusive, as codes (`1516`, `1617`, …). */
export function seasonRange(from: string, to: string): string[] {
  const first = parseSeasonCode(from);
  const last = parseSeasonCode(to);
  if (!first) throw new TipsterError('TIPSTER_ERR_CLI_INVALID_ARGUMENT', { option: '--from', reason: `"${from}" is not a season code like 1516` });
  if (!last) throw new TipsterError('TIPSTER_ERR_CLI_INVALID_ARGUMENT', { option: '--to', reason: `"${to}" is not a season code like 2223` });
  if (last.startYear < first.startYear) {
    throw new TipsterError('TIPSTER_ERR_CLI_INVALID_ARGUMENT', { option: '--to', reason: `${to} is before ${from}` });
  }
  const codes: string[] = [];
  for (let year = first.startYear; year <= last.startYear; year++) {
    codes.push(seasonCodeForStartYear(year));
  }
  return codes;
}

/** Chronological within a league, so a season's newer file is read after older ones. */
function compareByLeagueAndSeason(a: string, b: string): number {
  const ia = inferLeagueAndSeason(a);
  const ib = inferLeagueAndSeason(b);
  const ya = ia.seasonCode ? parseSeasonCode(ia.seasonCode)!.startYear : Number.MAX_SAFE_INTEGER;
  const yb = ib.seasonCode ? parseSeasonCode(ib.seasonCode)!.startYear : Number.MAX_SAFE_INTEGER;
  return (ia.competitionCode ?? '').localeCompare(ib.competitionCode ?? '') || ya - yb || a.localeCompare(b);
}
