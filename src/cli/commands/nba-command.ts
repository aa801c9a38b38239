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
import { TipsterError } from '../../core/errors.js';
import type { LabelledNbaShot } from '../../basketball/nba-shot.js';
import { NBA_RETRAIN } from '../../basketball/training/nba-retrain-pipeline.js';
import { isNbaShotCandidate, NBA_SHOT_MAKE_TASK, type NbaShotCandidate } from '../../basketball/training/nba-shot-make-task.js';
import { prepareTrainTestData } from '../../basketball/training/nba-training-data.js';
import { trainNbaCandidates, bestCandidate, type TrainedCandidate } from '../../basketball/training/train-nba-candidates.js';
import { readNbaShotFile } from '../../ingest/nba-shots/read-nba-shot-file.js';
import { buildPipelineCatalogue } from '../../pipelines/builtin-pipelines.js';
import { listPipelineRuns } from '../../pipelines/list-pipeline-runs.js';
import type { Store } from '../../store/store.js';
import { ModelRegistry } from '../../tracking/model-registry.js';
import { println, withStore, type CliContext } from '../cli-context.js';
import type { CommandRunner } from '../command-runner.js';
import { formatTable } from '../format-table.js';
import { runPipelineWithProgress } from '../pipeline-progress.js';
import { printFileIssues } from './ingest-command.js';

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
  printFileIssues(context, reports);
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

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Shots, game days and date range of one file, for the report. */
function describeFile(label: string, shots: readonly LabelledNbaShot[], skipped: number) {
  const days = [...new Set(shots.map((s) => s.dayMs))].sort((a, b) => a - b);
  const made = shots.reduce((n, s) => n + (s.made ? 1 : 0), 0);
  return {
    file: label,
    shots: shots.length,
    skippedRows: skipped,
    gameDays: days.length,
    from: days.length > 0 ? isoDay(days[0]!) : null,
    to: days.length > 0 ? isoDay(days[days.length - 1]!) : null,
    makeRate: shots.length > 0 ? made / shots.length : null,
  };
}

function parseCandidates(value: string | undefined): NbaShotCandidate[] {
  if (value === undefined) return [...NBA_SHOT_MAKE_TASK.candidates];
  const list = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const unknown = list.filter((c) => !isNbaShotCandidate(c));
  if (list.length === 0 || unknown.length > 0) {
    throw new TipsterError('TIPSTER_ERR_CLI_INVALID_ARGUMENT', {
      option: '--candidates',
      reason: `${unknown.length > 0 ? `unknown ${unknown.join(', ')}; ` : ''}choose from ${NBA_SHOT_MAKE_TASK.candidates.join(', ')}`,
    });
  }
  return list as NbaShotCandidate[];
}

function candidateJson(c: TrainedCandidate) {
  return { candidate: c.candidate, metrics: { ...c.holdout, train_ms: Math.round(c.trainMs) }, params: c.params, reliability: c.reliability };
}

/** `tipster nba evaluate --train FILE --test FILE`: every candidate trained on one file, scored on another. */
function evaluateCommand(context: CliContext, run: CommandRunner): Command {
  return new Command('evaluate')
    .description('Train every shot-make candidate on one shot-chart CSV and score it on another (log loss, AUC, accuracy, Brier, calibration)')
    .requiredOption('--train <file>', 'shot-chart CSV to train on (earlier games)')
    .requiredOption('--test <file>', 'shot-chart CSV to score (later games)')
    .option('--candidates <names>', `comma-separated subset of ${NBA_SHOT_MAKE_TASK.candidates.join(', ')}`)
    .option('--json', 'print every figure, parameter and the reliability tables as JSON')
    .addHelpText(
      'after',
      '\nNo store is needed. Skill features of a test shot use the training file and earlier test days only;\n' +
        'the latest 20% of the training days decide early stopping and calibration.\n\n' +
        'Example:\n  tipster nba evaluate --train NBA_2023_Shots.csv --test NBA_2024_Shots.csv\n',
    )
    .action((options: { train: string; test: string; candidates?: string; json?: boolean }) =>
      run(async () => {
        const candidates = parseCandidates(options.candidates);
        const train = await readNbaShotFile(path.resolve(context.cwd, options.train), options.train);
        const test = await readNbaShotFile(path.resolve(context.cwd, options.test), options.test);
        const data = prepareTrainTestData(train.shots, test.shots);
        const started = performance.now();
        const trained = await trainNbaCandidates(candidates, data, {
          onCandidate: (c) => {
            if (!options.json) println(context.stderr, `  ✓ ${c.candidate} (${(c.trainMs / 1000).toFixed(1)} s)`);
          },
        });
        const best = bestCandidate(trained);
        const trainFile = describeFile(options.train, train.shots, new Set(train.issues.map((i) => i.line)).size);
        const testFile = describeFile(options.test, test.shots, new Set(test.issues.map((i) => i.line)).size);
        if (options.json) {
          println(
            context.stdout,
            JSON.stringify(
              { train: trainFile, test: testFile, fitShots: data.fitRows.length, validationShots: data.validationRows.length, candidates: trained.map(candidateJson), best: best.candidate },
              null,
              2,
            ),
          );
          return 0;
        }
        const fmt = (x: number, digits = 4) => x.toFixed(digits);
        println(context.stdout, `train: ${trainFile.file}: ${trainFile.shots.toLocaleString('en-GB')} shots on ${trainFile.gameDays} game days (${trainFile.from} to ${trainFile.to})`);
        println(context.stdout, `test:  ${testFile.file}: ${testFile.shots.toLocaleString('en-GB')} shots on ${testFile.gameDays} game days (${testFile.from} to ${testFile.to}), make rate ${fmt(testFile.makeRate ?? 0, 3)}`);
        if (trainFile.skippedRows + testFile.skippedRows > 0) println(context.stdout, `(${trainFile.skippedRows + testFile.skippedRows} bad row(s) left out; \`tipster ingest nba-shots\` lists them)`);
        println(context.stdout);
        println(
          context.stdout,
          formatTable(trained, [
            { header: 'candidate', value: (c) => `${c.candidate}${c === best ? ' *' : ''}` },
            { header: 'log loss', value: (c) => fmt(c.holdout.log_loss), align: 'right' },
            { header: 'AUC', value: (c) => fmt(c.holdout.auc), align: 'right' },
            { header: 'accuracy', value: (c) => fmt(c.holdout.accuracy), align: 'right' },
            { header: 'Brier', value: (c) => fmt(c.holdout.brier), align: 'right' },
            { header: 'ECE', value: (c) => fmt(c.holdout.ece), align: 'right' },
            { header: 'train s', value: (c) => (c.trainMs / 1000).toFixed(1), align: 'right' },
          ]),
        );
        println(context.stdout, `\n* lowest log loss (${NBA_SHOT_MAKE_TASK.primaryMetric}, the task's primary metric); always saying the make rate scores about 0.691. ${((performance.now() - started) / 1000).toFixed(1)} s in all.`);
        println(context.stdout, `\nReliability of ${best.candidate} (predicted vs observed make rate per bin):`);
        println(
          context.stdout,
          formatTable(
            best.reliability.bins.filter((b) => b.count > 0),
            [
              { header: 'bin', value: (b) => `${fmt(b.lower, 1)}–${fmt(b.upper, 1)}` },
              { header: 'shots', value: (b) => b.count, align: 'right' },
              { header: 'predicted', value: (b) => fmt(b.meanPredicted ?? 0, 3), align: 'right' },
              { header: 'observed', value: (b) => fmt(b.observedFrequency ?? 0, 3), align: 'right' },
            ],
          ),
        );
        return 0;
      }),
    );
}

/** `tipster nba …`: NBA shot models. */
export function nbaCommand(context: CliContext, run: CommandRunner): Command {
  return new Command('nba').description('NBA shot-make models: evaluate candidates on any season of shot-chart data').addCommand(evaluateCommand(context, run));
}

/**
 * `tipster start`'s NBA training: runs `nba-retrain` once when the store holds shots and the
 * pipeline has never succeeded, so a fresh clone ends with a production shot model; later starts
 * leave retraining to the scheduler. Prints the registry line either way. Returns the exit code.
 */
export async function trainNbaOnFirstStart(context: CliContext, store: Store): Promise<number> {
  const shots = await store.db.selectFrom('nba_shots').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  if (Number(shots.n) === 0) return 0;
  const [succeeded] = await listPipelineRuns(store, { pipeline: NBA_RETRAIN, status: 'succeeded', limit: 1 });
  let exitCode = 0;
  if (succeeded === undefined) {
    const active = [
      ...(await listPipelineRuns(store, { pipeline: NBA_RETRAIN, status: 'running', limit: 1 })),
      ...(await listPipelineRuns(store, { pipeline: NBA_RETRAIN, status: 'queued', limit: 1 })),
    ];
    if (active.length > 0) {
      println(context.stdout, `${NBA_RETRAIN} is already running (run ${active[0]!.id} in ${active[0]!.owner}); not starting another.`);
    } else {
      println(context.stdout, `First start: running ${NBA_RETRAIN} (train shot-make candidates, score on the latest game days, register, promote)…`);
      const catalogue = buildPipelineCatalogue({ store, config: context.config, logger: context.logger });
      const result = await runPipelineWithProgress(context, store, catalogue.get(NBA_RETRAIN).pipeline, { trigger: 'startup', params: {} });
      if (result.status !== 'succeeded') {
        println(context.stderr, `${NBA_RETRAIN} failed: ${result.error ?? 'unknown error'} (see \`tipster pipeline show ${result.id} --logs\`)`);
        exitCode = 1;
      }
    }
  }
  println(context.stdout);
  println(context.stdout, await formatNbaRegistry(store));
  return exitCode;
}

/** One line for the shot model: its production version, candidate, log loss and AUC on its held-out games. */
export async function formatNbaRegistry(store: Store): Promise<string> {
  const registry = new ModelRegistry(store);
  const known = (await registry.listRegisteredModels()).some((m) => m.name === NBA_SHOT_MAKE_TASK.model);
  if (!known) return `Model registry: no NBA shot model yet (run \`tipster pipeline run ${NBA_RETRAIN}\`).`;
  const versions = await registry.listModelVersions(NBA_SHOT_MAKE_TASK.model);
  const production = versions.find((v) => v.aliases.includes('production'));
  const table = formatTable([{ versions: versions.length, production }], [
    { header: 'model', value: () => NBA_SHOT_MAKE_TASK.model },
    { header: 'versions', value: (r) => String(r.versions), align: 'right' },
    { header: 'production', value: (r) => (r.production ? `v${r.production.version}` : '-'), align: 'right' },
    { header: 'candidate', value: (r) => r.production?.tags.candidate ?? '-' },
    { header: 'log loss', value: (r) => r.production?.tags.log_loss?.slice(0, 6) ?? '-', align: 'right' },
    { header: 'AUC', value: (r) => r.production?.tags.auc ?? '-', align: 'right' },
    { header: 'held-out games', value: (r) => r.production?.tags.window ?? '-' },
  ]);
  return `Model registry (NBA shot make, on each version's held-out game days; lower log loss is better):\n${table}`;
}
