import fs from 'node:fs';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { Command } from 'commander';
import {
  loadNbaShots,
  resolveNbaShotSources,
  type NbaShotLoadProgress,
  type NbaShotLoadReport,
  type NbaShotSource,
} from '../../ingest/nba-shots/load-nba-shots.js';
import type { Store } from '../../store/store.js';
import { println, withStore, type CliContext } from '../cli-context.js';
import type { CommandRunner } from '../command-runner.js';
import { formatIssue } from './ingest-command.js';

const ISSUES_SHOWN_PER_FILE = 10;
const n = (x: number) => x.toLocaleString('en-GB');

/** One line describing what loading one shot file did. */
function describeNbaReport(report: NbaShotLoadReport): string {
  const w = report.written;
  switch (report.status) {
    case 'loaded':
      return (
        `${n(report.shots)} shots (${n(w!.shots.inserted)} new, ${n(w!.shots.updated)} updated), ` +
        `${w!.games.inserted} new games, ${w!.players.inserted} new players` +
        (report.skippedRows > 0 ? `, ${report.skippedRows} bad row(s) skipped` : '')
      );
    case 'unchanged':
      return 'unchanged since last load (skipped; --force reloads)';
    default:
      return `${report.status}: ${report.error?.message ?? 'unknown error'}`;
  }
}

/**
 * Progress of a shot load: a live bar of shots written on a terminal (files hold tens of thousands
 * of shots, so files alone move too rarely); one line per file otherwise (CI, pipes).
 */
function nbaLoadProgress(context: CliContext): { onProgress: (e: NbaShotLoadProgress) => void; stop: () => void } {
  const stream = context.stderr;
  if (!stream.isTTY) {
    return {
      onProgress: (event) => {
        if (event.type !== 'file-done') return;
        const width = String(event.total).length;
        println(stream, `[${String(event.index + 1).padStart(width)}/${event.total}] ${event.report.source.label}: ${describeNbaReport(event.report)}`);
      },
      stop: () => undefined,
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      format: 'nba-shots |{bar}| {percentage}% | {value}/{total} shots | file {file}/{files} {label}',
      barCompleteChar: '\u2588',
      barIncompleteChar: '\u2591',
      hideCursor: true,
      clearOnComplete: false,
      stream: stream as NodeJS.WriteStream,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    onProgress: (event) => {
      if (event.type === 'file-start') {
        const payload = { file: event.index + 1, files: event.total, label: event.source.label };
        if (!started) bar.start(1, 0, payload);
        else bar.update(0, payload);
        started = true;
      } else if (event.type === 'shots-written') {
        bar.setTotal(event.shots);
        bar.update(event.written);
      }
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

/** Loads shot files with progress output; returns the per-file reports. */
export async function ingestNbaShotsWithProgress(
  context: CliContext,
  store: Store,
  sources: readonly NbaShotSource[],
  options: { strict?: boolean; force?: boolean; quiet?: boolean },
): Promise<NbaShotLoadReport[]> {
  const progress = options.quiet ? undefined : nbaLoadProgress(context);
  try {
    return await loadNbaShots(store, sources, {
      strict: options.strict ?? false,
      force: options.force ?? false,
      logger: context.logger,
      ...(progress ? { onProgress: progress.onProgress } : {}),
    });
  } finally {
    progress?.stop();
  }
}

/** Prints issues (capped per file) and a totals line; returns the exit code (1 if any file was not loaded). */
export function printNbaIngestSummary(context: CliContext, reports: readonly NbaShotLoadReport[]): number {
  for (const report of reports) {
    if (report.issues.length === 0 && !report.error) continue;
    println(context.stderr, `${report.source.label}: ${report.status}`);
    if (report.error) println(context.stderr, `  ${report.error.message}\n  hint: ${report.error.hint}`);
    for (const issue of report.issues.slice(0, ISSUES_SHOWN_PER_FILE)) println(context.stderr, formatIssue(issue));
    if (report.issues.length > ISSUES_SHOWN_PER_FILE) {
      println(context.stderr, `  … and ${report.issues.length - ISSUES_SHOWN_PER_FILE} more (--json lists them all)`);
    }
    if (report.ignoredColumns.length > 0) println(context.stderr, `  note: columns not recognised and ignored: ${report.ignoredColumns.join(', ')}`);
  }
  const count = (status: NbaShotLoadReport['status']) => reports.filter((r) => r.status === status).length;
  const sum = (pick: (r: NbaShotLoadReport) => number) => reports.reduce((total, r) => total + pick(r), 0);
  println(
    context.stdout,
    `nba-shots: ${count('loaded')} file(s) loaded, ${count('unchanged')} unchanged, ${count('rejected')} rejected, ${count('failed')} failed; ` +
      `shots ${n(sum((r) => r.written?.shots.inserted ?? 0))} new / ${n(sum((r) => r.written?.shots.updated ?? 0))} updated, ` +
      `games ${n(sum((r) => r.written?.games.inserted ?? 0))} new, ${n(sum((r) => r.skippedRows))} bad row(s) skipped`,
  );
  return count('rejected') + count('failed') > 0 ? 1 : 0;
}

function reportToJson(report: NbaShotLoadReport) {
  return {
    source: report.source.location,
    status: report.status,
    dataRows: report.dataRows,
    shots: report.shots,
    skippedRows: report.skippedRows,
    written: report.written,
    issues: report.issues,
    ignoredColumns: report.ignoredColumns,
    error: report.error ? { code: report.error.code, message: report.error.message, hint: report.error.hint } : null,
    durationMs: report.durationMs,
  };
}

/** `tipster ingest nba-shots [paths…]`: registered under `tipster ingest`. */
export function nbaShotsIngestCommand(context: CliContext, run: CommandRunner): Command {
  return new Command('nba-shots')
    .description('Load NBA.com shot-chart CSVs (one row per field-goal attempt: game, player, location, zone, action, made)')
    .argument('[paths...]', 'CSV files or directories of them (default: the bundled data/nba-shots)')
    .option('--strict', 'reject a whole file if any row has an error (default: skip bad rows, load the rest)')
    .option('--force', 're-read files whose exact bytes were loaded before')
    .option('--json', 'print per-file reports (every issue) as JSON')
    .addHelpText('after', '\nExamples:\n  tipster ingest nba-shots\n  tipster ingest nba-shots NBA_2024_Shots.csv --strict\n')
    .action((inputs: string[], options: { strict?: boolean; force?: boolean; json?: boolean }) =>
      run(async () => {
        const paths = inputs.length > 0 ? inputs : [path.relative(context.cwd, path.join(context.config.dataDir, 'nba-shots')) || '.'];
        const sources = await resolveNbaShotSources(paths, context.cwd);
        const reports = await withStore(context, (store) =>
          ingestNbaShotsWithProgress(context, store, sources, { strict: options.strict ?? false, force: options.force ?? false, quiet: options.json ?? false }),
        );
        if (options.json) {
          println(context.stdout, JSON.stringify(reports.map(reportToJson), null, 2));
          return reports.some((r) => r.status === 'rejected' || r.status === 'failed') ? 1 : 0;
        }
        return printNbaIngestSummary(context, reports);
      }),
    );
}

/**
 * `tipster start`'s NBA step: loads the bundled `data/nba-shots` when it exists (a data directory
 * without it simply has no NBA data). Returns the exit code of the load (0 when there is nothing).
 */
export async function loadBundledNbaShots(context: CliContext, store: Store): Promise<number> {
  const dir = path.join(context.config.dataDir, 'nba-shots');
  if (!fs.existsSync(dir) || !fs.readdirSync(dir).some((f) => f.toLowerCase().endsWith('.csv'))) return 0;
  const input = path.relative(context.cwd, dir) || '.';
  const sources = await resolveNbaShotSources([input], context.cwd);
  println(context.stdout, `Loading bundled NBA shots: ${sources.length} file(s) from ${input}`);
  return printNbaIngestSummary(context, await ingestNbaShotsWithProgress(context, store, sources, {}));
}
