import { Command, Option } from 'commander';
import { TipsterError } from '../../core/errors.js';
import {
  footballDataUrls,
  resolveFootballDataSources,
  seasonRange,
  type FootballDataSource,
} from '../../ingest/football-data/football-data-sources.js';
import { loadFootballData, type FileLoadReport } from '../../ingest/football-data/load-football-data.js';
import type { IngestIssue } from '../../ingest/ingest-issue.js';
import type { Store } from '../../store/store.js';
import { println, withStore, type CliContext } from '../cli-context.js';
import type { CommandRunner } from '../command-runner.js';
import { fileLoadProgress } from '../progress.js';
import { nbaShotsIngestCommand } from './nba-command.js';

const ISSUES_SHOWN_PER_FILE = 10;

interface FootballDataOptions {
  baseUrl?: string;
  leagues?: string;
  from?: string;
  to?: string;
  strict?: boolean;
  force?: boolean;
  json?: boolean;
}

/** One line per issue: file:line, column, reason, and the offending value. */
export function formatIssue(issue: IngestIssue): string {
  const where = `${issue.file}:${issue.line}${issue.column ? ` [${issue.column}]` : ''}`;
  const value = issue.value !== null && issue.value !== undefined ? ` (value "${issue.value}")` : '';
  return `  ${issue.severity}: ${where} ${issue.reason}${value}`;
}

/** Loads sources with progress output; returns the per-file reports. */
export async function ingestWithProgress(
  context: CliContext,
  store: Store,
  sources: readonly FootballDataSource[],
  options: { strict?: boolean; force?: boolean; quiet?: boolean },
): Promise<FileLoadReport[]> {
  const progress = options.quiet ? undefined : fileLoadProgress(context, 'football-data');
  try {
    return await loadFootballData(store, sources, {
      strict: options.strict ?? false,
      force: options.force ?? false,
      logger: context.logger,
      ...(progress ? { onProgress: progress.onProgress } : {}),
    });
  } finally {
    progress?.stop();
  }
}

/** What any provider's per-file load report says about problems, for `printFileIssues`. */
export interface FileIssuesReport {
  readonly source: { readonly label: string };
  readonly status: string;
  readonly issues: readonly IngestIssue[];
  readonly ignoredColumns: readonly string[];
  readonly error: { readonly message: string; readonly hint: string } | null;
}

/** Prints each file's problems on stderr: its error, its issues (capped per file) and ignored columns. */
export function printFileIssues(context: CliContext, reports: readonly FileIssuesReport[]): void {
  for (const report of reports) {
    if (report.issues.length === 0 && !report.error) continue;
    println(context.stderr, `${report.source.label}: ${report.status}`);
    if (report.error) println(context.stderr, `  ${report.error.message}\n  hint: ${report.error.hint}`);
    for (const issue of report.issues.slice(0, ISSUES_SHOWN_PER_FILE)) println(context.stderr, formatIssue(issue));
    if (report.issues.length > ISSUES_SHOWN_PER_FILE) {
      println(context.stderr, `  … and ${report.issues.length - ISSUES_SHOWN_PER_FILE} more (--json lists them all)`);
    }
    if (report.ignoredColumns.length > 0) {
      println(context.stderr, `  note: columns not recognised and ignored: ${report.ignoredColumns.join(', ')}`);
    }
  }
}

/** Prints issues (capped per file) and a totals line; returns the exit code (1 if any file was not loaded). */
export function printIngestSummary(context: CliContext, reports: readonly FileLoadReport[]): number {
  printFileIssues(context, reports);
  const count = (status: FileLoadReport['status']) => reports.filter((r) => r.status === status).length;
  const sum = (pick: (r: FileLoadReport) => number) => reports.reduce((total, r) => total + pick(r), 0);
  const n = (x: number) => x.toLocaleString('en-GB');
  println(
    context.stdout,
    `football-data: ${count('loaded')} file(s) loaded, ${count('unchanged')} unchanged, ` +
      `${count('rejected')} rejected, ${count('failed')} failed; ` +
      `matches ${n(sum((r) => r.written?.matches.inserted ?? 0))} new / ${n(sum((r) => r.written?.matches.updated ?? 0))} updated, ` +
      `odds ${n(sum((r) => r.written?.odds.inserted ?? 0))} new / ${n(sum((r) => r.written?.odds.updated ?? 0))} updated, ` +
      `${n(sum((r) => r.skippedRows))} bad row(s) skipped`,
  );
  return count('rejected') + count('failed') > 0 ? 1 : 0;
}

function parseList(value: string | undefined, option: string): string[] {
  const items = (value ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 0) throw new TipsterError('TIPSTER_ERR_CLI_INVALID_ARGUMENT', { option, reason: 'give at least one value, comma-separated' });
  return items;
}

/** Builds the source list from positional paths/URLs and the site-layout options. */
async function sourcesFrom(context: CliContext, inputs: string[], options: FootballDataOptions): Promise<FootballDataSource[]> {
  const sources: FootballDataSource[] = [];
  if (options.baseUrl) {
    const leagues = parseList(options.leagues, '--leagues');
    if (!options.from) throw new TipsterError('TIPSTER_ERR_CLI_INVALID_ARGUMENT', { option: '--from', reason: 'required with --base-url' });
    sources.push(...footballDataUrls(options.baseUrl, leagues, seasonRange(options.from, options.to ?? options.from)));
  }
  if (inputs.length > 0) sources.push(...(await resolveFootballDataSources(inputs, context.cwd)));
  if (sources.length === 0) {
    throw new TipsterError('TIPSTER_ERR_CLI_INVALID_ARGUMENT', {
      option: 'sources',
      reason: 'give file/directory paths or URLs, or --base-url with --leagues and --from',
    });
  }
  return sources;
}

/** `tipster ingest …`: load data into the store. */
export function ingestCommand(context: CliContext, run: CommandRunner): Command {
  const ingest = new Command('ingest').description('Load data into the store (idempotent: loading twice changes nothing)');
  ingest
    .command('football-data')
    .description('Load football-data.co.uk CSVs (results, match stats, 1X2/over-under/Asian-handicap odds)')
    .argument('[sources...]', 'CSV files, directories (<Div>/<season>.csv or mmz4281/<season>/<Div>.csv), fixtures.csv, or URLs')
    .addOption(new Option('--base-url <url>', 'download in the site layout: <url>/<season>/<Div>.csv (e.g. https://www.football-data.co.uk/mmz4281)'))
    .addOption(new Option('--leagues <codes>', 'with --base-url: comma-separated divisions, e.g. E0,SP1'))
    .addOption(new Option('--from <season>', 'with --base-url: first season code, e.g. 1516'))
    .addOption(new Option('--to <season>', 'with --base-url: last season code (default: --from)'))
    .option('--strict', 'reject a whole file if any row has an error (default: skip bad rows, load the rest; warnings about a single dropped value never reject)')
    .option('--force', 're-read files whose exact bytes were loaded before')
    .option('--json', 'print per-file reports (every issue) as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  tipster ingest football-data data/football-data\n  tipster ingest football-data E0/2223.csv fixtures.csv --strict\n' +
        '  tipster ingest football-data --base-url https://www.football-data.co.uk/mmz4281 --leagues E0,SP1 --from 2021 --to 2324\n',
    )
    .action((inputs: string[], options: FootballDataOptions) =>
      run(async () => {
        const sources = await sourcesFrom(context, inputs, options);
        const reports = await withStore(context, (store) =>
          ingestWithProgress(context, store, sources, { strict: options.strict ?? false, force: options.force ?? false, quiet: options.json ?? false }),
        );
        if (options.json) {
          println(context.stdout, JSON.stringify(reports.map(reportToJson), null, 2));
          return reports.some((r) => r.status === 'rejected' || r.status === 'failed') ? 1 : 0;
        }
        return printIngestSummary(context, reports);
      }),
    );
  ingest.addCommand(nbaShotsIngestCommand(context, run));
  return ingest;
}

function reportToJson(report: FileLoadReport) {
  return {
    source: report.source.location,
    competition: report.source.competitionCode ?? null,
    season: report.source.seasonCode ?? null,
    status: report.status,
    dataRows: report.dataRows,
    records: report.records,
    skippedRows: report.skippedRows,
    written: report.written,
    issues: report.issues,
    ignoredColumns: report.ignoredColumns,
    error: report.error ? { code: report.error.code, message: report.error.message, hint: report.error.hint } : null,
    durationMs: report.durationMs,
  };
}
