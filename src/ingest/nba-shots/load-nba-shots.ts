import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { isTipsterError, TipsterError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { findIngestedFile, recordIngestedFile } from '../../store/ingest-log-repository.js';
import type { Store } from '../../store/store.js';
import type { IngestIssue } from '../ingest-issue.js';
import { parseNbaShots } from './parse-nba-shots.js';
import { resolveTeamCodes } from './resolve-team-codes.js';
import { writeNbaShots, type NbaWriteSummary } from './write-nba-shots.js';

export const NBA_SHOTS_PROVIDER = 'nba-shots';
/** Bump when the parser reads more from the same bytes, so `tipster ingest nba-shots` reloads old files. */
export const NBA_SHOTS_PARSER_VERSION = 1;

/** One shot-chart CSV to load. */
export interface NbaShotSource {
  /** Absolute path. */
  readonly location: string;
  /** Short name for progress and messages. */
  readonly label: string;
}

/** What happened to one file. */
export interface NbaShotLoadReport {
  readonly source: NbaShotSource;
  /** loaded = written; unchanged = these bytes were loaded before (skipped); rejected / failed = nothing written. */
  readonly status: 'loaded' | 'unchanged' | 'rejected' | 'failed';
  readonly dataRows: number;
  /** Valid shots in the file. */
  readonly shots: number;
  readonly skippedRows: number;
  readonly issues: readonly IngestIssue[];
  readonly ignoredColumns: readonly string[];
  readonly written: NbaWriteSummary | null;
  readonly error: TipsterError | null;
  readonly durationMs: number;
}

/** Progress of a load, for bars: file boundaries and shots written within a file. */
export type NbaShotLoadProgress =
  | { readonly type: 'file-start'; readonly index: number; readonly total: number; readonly source: NbaShotSource }
  | { readonly type: 'shots-written'; readonly index: number; readonly written: number; readonly shots: number }
  | { readonly type: 'file-done'; readonly index: number; readonly total: number; readonly report: NbaShotLoadReport };

export interface NbaShotLoadOptions {
  /** Reject a whole file when any row has an error (default: skip bad rows, keep the rest). */
  readonly strict?: boolean;
  /** Reload files whose exact bytes were loaded before. */
  readonly force?: boolean;
  readonly onProgress?: (event: NbaShotLoadProgress) => void;
  readonly now?: () => number;
  readonly logger?: Logger;
}

/**
 * Expands paths into shot-chart sources: a file is taken as given; a directory is walked for `.csv`
 * files (sorted by path). A path that does not exist, or a directory without CSVs, is an error.
 */
export async function resolveNbaShotSources(inputs: readonly string[], cwd: string): Promise<NbaShotSource[]> {
  const sources: NbaShotSource[] = [];
  for (const input of inputs) {
    const absolute = path.resolve(cwd, input);
    const stat = await fs.stat(absolute).catch(() => undefined);
    if (!stat) throw new TipsterError('TIPSTER_ERR_NBA_SOURCE_NOT_FOUND', { source: input });
    if (stat.isFile()) {
      sources.push({ location: absolute, label: input });
      continue;
    }
    const entries = (await fs.readdir(absolute, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.csv'))
      .map((e) => path.relative(absolute, path.join(e.parentPath, e.name)))
      .sort();
    if (entries.length === 0) throw new TipsterError('TIPSTER_ERR_NBA_SOURCE_NOT_FOUND', { source: input });
    for (const relative of entries) sources.push({ location: path.join(absolute, relative), label: path.join(input, relative) });
  }
  return sources;
}

/**
 * Loads shot-chart CSVs into the store, one transaction per file: a file is written completely or
 * not at all. Idempotent: identical bytes are skipped, and the same shots read from another file
 * (or changed bytes) only add or correct rows. Never throws for a bad file; each report says what happened.
 */
export async function loadNbaShots(store: Store, sources: readonly NbaShotSource[], options: NbaShotLoadOptions = {}): Promise<NbaShotLoadReport[]> {
  const reports: NbaShotLoadReport[] = [];
  for (let index = 0; index < sources.length; index++) {
    const source = sources[index]!;
    options.onProgress?.({ type: 'file-start', index, total: sources.length, source });
    const report = await loadOne(store, source, index, options);
    options.logger?.info({ source: source.label, status: report.status, shots: report.shots, durationMs: report.durationMs }, 'nba-shots file processed');
    reports.push(report);
    options.onProgress?.({ type: 'file-done', index, total: sources.length, report });
  }
  return reports;
}

async function loadOne(store: Store, source: NbaShotSource, index: number, options: NbaShotLoadOptions): Promise<NbaShotLoadReport> {
  const started = performance.now();
  const now = options.now ?? Date.now;
  const empty = { dataRows: 0, shots: 0, skippedRows: 0, issues: [], ignoredColumns: [], written: null };
  const finish = (fields: Omit<NbaShotLoadReport, 'source' | 'durationMs'>): NbaShotLoadReport => ({
    source,
    ...fields,
    durationMs: Math.round(performance.now() - started),
  });

  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(source.location);
  } catch (error) {
    return finish({ status: 'failed', ...empty, error: new TipsterError('TIPSTER_ERR_NBA_SOURCE_NOT_FOUND', { source: source.label }, { cause: error }) });
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (!options.force && (await findIngestedFile(store.db, NBA_SHOTS_PROVIDER, sha256, NBA_SHOTS_PARSER_VERSION))) {
    return finish({ status: 'unchanged', ...empty, error: null });
  }

  const parsed = parseNbaShots(bytes, source.label);
  if (parsed.fatal) {
    const reason = parsed.issues.map((i) => i.reason).join('; ');
    return finish({ status: 'failed', ...empty, issues: parsed.issues, error: new TipsterError('TIPSTER_ERR_NBA_NOT_SHOT_CHART', { file: source.label, reason }) });
  }

  try {
    return await store.db.transaction().execute(async (trx) => {
      const stored = await trx.selectFrom('nba_teams').select(['id', 'abbreviation']).where('abbreviation', 'is not', null).execute();
      const codes = resolveTeamCodes(parsed.rows, new Map(stored.map((t) => [t.id, t.abbreviation!])));
      const issues = [...parsed.issues];
      const rows = parsed.rows.filter((row) => {
        if (codes.has(row.teamId)) return true;
        issues.push({
          severity: 'error',
          file: source.label,
          line: row.line,
          column: 'TEAM_ID',
          value: String(row.teamId),
          reason: `cannot tell whether team ${row.teamId} (${row.teamName}) is ${row.homeTeam} or ${row.awayTeam}: load a file with more of its games`,
        });
        return false;
      });
      issues.sort((a, b) => a.line - b.line);
      const errorRows = new Set(issues.filter((i) => i.severity === 'error').map((i) => i.line)).size;
      const fields = { dataRows: parsed.dataRows, shots: rows.length, skippedRows: errorRows, issues, ignoredColumns: parsed.ignoredColumns };
      // Strict rejects files with unusable rows; nothing of the file is written.
      if (options.strict && errorRows > 0) {
        return finish({ status: 'rejected', ...fields, written: null, error: new TipsterError('TIPSTER_ERR_INGEST_ROWS_REJECTED', { file: source.label, errors: errorRows }) });
      }
      const written = await writeNbaShots(trx, store.capabilities, rows, codes, now(), (n) =>
        options.onProgress?.({ type: 'shots-written', index, written: n, shots: rows.length }),
      );
      await recordIngestedFile(trx, {
        provider: NBA_SHOTS_PROVIDER,
        source: source.location,
        sha256,
        parser_version: NBA_SHOTS_PARSER_VERSION,
        bytes: bytes.byteLength,
        data_rows: parsed.dataRows,
        records: rows.length,
        skipped_rows: errorRows,
        warnings: issues.filter((i) => i.severity === 'warning').length,
        ingested_at_ms: now(),
      });
      return finish({ status: 'loaded', ...fields, written, error: null });
    });
  } catch (error) {
    options.logger?.error({ err: error, source: source.label }, 'nba-shots write failed; rolled back');
    const wrapped = isTipsterError(error)
      ? error
      : new TipsterError('TIPSTER_ERR_INGEST_WRITE_FAILED', { file: source.label, reason: (error as Error)?.message ?? String(error) }, { cause: error });
    return finish({ status: 'failed', dataRows: parsed.dataRows, shots: 0, skippedRows: 0, issues: parsed.issues, ignoredColumns: parsed.ignoredColumns, written: null, error: wrapped });
  }
}
