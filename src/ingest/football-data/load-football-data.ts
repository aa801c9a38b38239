import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { TipsterError, isTipsterError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { findIngestedFile, recordIngestedFile } from '../../store/ingest-log-repository.js';
import { writeMatchRecords, type WriteSummary } from '../../store/match-record-writer.js';
import type { Store } from '../../store/store.js';
import type { IngestIssue } from '../ingest-issue.js';
import type { FootballDataSource } from './football-data-sources.js';
import { parseFootballData } from './parse-football-data.js';

export const FOOTBALL_DATA_PROVIDER = 'football-data';
/** Bump when the parser reads more from the same bytes, so `tipster ingest` reloads old files. */
export const FOOTBALL_DATA_PARSER_VERSION = 1;

/** What happened to one source. */
export interface FileLoadReport {
  readonly source: FootballDataSource;
  /** loaded = written; unchanged = these bytes were loaded before (skipped); rejected / failed = nothing written. */
  readonly status: 'loaded' | 'unchanged' | 'rejected' | 'failed';
  readonly dataRows: number;
  readonly records: number;
  readonly skippedRows: number;
  readonly issues: readonly IngestIssue[];
  readonly ignoredColumns: readonly string[];
  readonly written: WriteSummary | null;
  /** Set for rejected and failed files. */
  readonly error: TipsterError | null;
  readonly durationMs: number;
}

export type LoadProgress =
  | { readonly type: 'file-start'; readonly index: number; readonly total: number; readonly source: FootballDataSource }
  | { readonly type: 'file-done'; readonly index: number; readonly total: number; readonly report: FileLoadReport };

export interface LoadOptions {
  /** Reject a whole file when any row has an error (default: skip bad rows, keep the rest). Warnings never reject. */
  readonly strict?: boolean;
  /** Reload files whose exact bytes were loaded before. */
  readonly force?: boolean;
  readonly onProgress?: (event: LoadProgress) => void;
  readonly now?: () => number;
  readonly fetch?: typeof fetch;
  readonly logger?: Logger;
}

/**
 * Loads football-data CSVs into the store, one transaction per file: a file is written completely
 * or not at all. Idempotent: identical bytes are skipped, and re-reading changed bytes only adds or
 * corrects rows. Never throws for a bad file; each report says what happened.
 */
export async function loadFootballData(
  store: Store,
  sources: readonly FootballDataSource[],
  options: LoadOptions = {},
): Promise<FileLoadReport[]> {
  const reports: FileLoadReport[] = [];
  for (let index = 0; index < sources.length; index++) {
    const source = sources[index]!;
    options.onProgress?.({ type: 'file-start', index, total: sources.length, source });
    const report = await loadOne(store, source, options);
    options.logger?.info(
      { source: source.label, status: report.status, records: report.records, durationMs: report.durationMs },
      'football-data file processed',
    );
    reports.push(report);
    options.onProgress?.({ type: 'file-done', index, total: sources.length, report });
  }
  return reports;
}

async function loadOne(store: Store, source: FootballDataSource, options: LoadOptions): Promise<FileLoadReport> {
  const started = performance.now();
  const now = options.now ?? Date.now;
  const empty = { dataRows: 0, records: 0, skippedRows: 0, issues: [], ignoredColumns: [], written: null };
  const finish = (fields: Omit<FileLoadReport, 'source' | 'durationMs'>): FileLoadReport => ({
    source,
    ...fields,
    durationMs: Math.round(performance.now() - started),
  });

  let bytes: Uint8Array;
  try {
    bytes = await readSource(source, options.fetch ?? fetch);
  } catch (error) {
    return finish({ status: 'failed', ...empty, error: asTipsterError(error, source) });
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (!options.force && (await findIngestedFile(store.db, FOOTBALL_DATA_PROVIDER, sha256, FOOTBALL_DATA_PARSER_VERSION))) {
    return finish({ status: 'unchanged', ...empty, error: null });
  }

  let parsed;
  try {
    parsed = parseFootballData(bytes, {
      file: source.label,
      ...(source.seasonCode ? { seasonCode: source.seasonCode } : {}),
      ...(source.competitionCode ? { competitionCode: source.competitionCode } : {}),
    });
  } catch (error) {
    return finish({ status: 'failed', ...empty, error: asTipsterError(error, source) });
  }
  if (parsed.fatal) {
    const fileErrors = parsed.issues.filter((i) => i.severity === 'error');
    const error = new TipsterError('TIPSTER_ERR_INGEST_NOT_FOOTBALL_DATA', {
      file: source.label,
      reason: fileErrors.map((i) => i.reason).join('; '),
    });
    return finish({ status: 'failed', ...empty, issues: parsed.issues, error });
  }
  const errorRows = new Set(parsed.issues.filter((i) => i.severity === 'error').map((i) => i.line)).size;
  const warnings = parsed.issues.filter((i) => i.severity === 'warning').length;
  const fields = {
    dataRows: parsed.dataRows,
    records: parsed.records.length,
    skippedRows: errorRows,
    issues: parsed.issues,
    ignoredColumns: parsed.ignoredColumns,
  };
  // Strict rejects files with unusable rows; a warning (one bad cell dropped, the match kept) is only reported.
  if (options.strict && errorRows > 0) {
    const error = new TipsterError('TIPSTER_ERR_INGEST_ROWS_REJECTED', { file: source.label, errors: errorRows });
    return finish({ status: 'rejected', ...fields, written: null, error });
  }

  try {
    const written = await store.db.transaction().execute(async (trx) => {
      const summary = await writeMatchRecords(trx, store.capabilities, parsed.records, now());
      await recordIngestedFile(trx, {
        provider: FOOTBALL_DATA_PROVIDER,
        source: source.location,
        sha256,
        parser_version: FOOTBALL_DATA_PARSER_VERSION,
        bytes: bytes.byteLength,
        data_rows: parsed.dataRows,
        records: parsed.records.length,
        skipped_rows: errorRows,
        warnings,
        ingested_at_ms: now(),
      });
      return summary;
    });
    return finish({ status: 'loaded', ...fields, written, error: null });
  } catch (error) {
    options.logger?.error({ err: error, source: source.label }, 'football-data write failed; rolled back');
    return finish({ status: 'failed', ...fields, written: null, error: asTipsterError(error, source) });
  }
}

async function readSource(source: FootballDataSource, fetchImpl: typeof fetch): Promise<Uint8Array> {
  if (source.kind === 'file') {
    try {
      return await fs.readFile(source.location);
    } catch (error) {
      throw new TipsterError('TIPSTER_ERR_INGEST_SOURCE_NOT_FOUND', { source: source.location }, { cause: error });
    }
  }
  let response: Response;
  try {
    response = await fetchImpl(source.location, { signal: AbortSignal.timeout(60_000) });
  } catch (error) {
    const reason = (error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message;
    throw new TipsterError('TIPSTER_ERR_INGEST_FETCH_FAILED', { url: source.location, reason }, { cause: error });
  }
  if (!response.ok) {
    throw new TipsterError('TIPSTER_ERR_INGEST_FETCH_FAILED', {
      url: source.location,
      reason: `the server answered ${response.status} ${response.statusText}`.trim(),
    });
  }
  return new Uint8Array(await response.arrayBuffer());
}

/** Keeps catalogued errors; anything else (a store failure) is reported without losing its message. */
function asTipsterError(error: unknown, source: FootballDataSource): TipsterError {
  if (isTipsterError(error)) return error;
  return new TipsterError(
    'TIPSTER_ERR_INGEST_WRITE_FAILED',
    { file: source.label, reason: (error as Error)?.message ?? String(error) },
    { cause: error },
  );
}
