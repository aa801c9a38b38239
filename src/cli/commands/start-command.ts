import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { TipsterError } from '../../core/errors.js';
import { resolveFootballDataSources } from '../../ingest/football-data/football-data-sources.js';
import { migrateStore } from '../../store/migrate-store.js';
import { summarizeStore } from '../../store/store-status.js';
import { describeStoreTarget } from '../../store/store-url.js';
import { FOOTBALL_1X2_TASK } from '../../football/training/football-1x2-task.js';
import { FOOTBALL_WEEKLY } from '../../football/training/football-weekly-pipeline.js';
import { buildPipelineCatalogue } from '../../pipelines/builtin-pipelines.js';
import { listPipelineRuns } from '../../pipelines/list-pipeline-runs.js';
import { recoverInterruptedRuns } from '../../pipelines/recover-interrupted-runs.js';
import { isLocalOwnerDead } from '../../pipelines/run-owner.js';
import type { Store } from '../../store/store.js';
import { ModelRegistry } from '../../tracking/model-registry.js';
import { println, withStore, type CliContext } from '../cli-context.js';
import { formatTable } from '../format-table.js';
import { runPipelineWithProgress } from '../pipeline-progress.js';
import { serveUntilSignal } from '../serve-product.js';
import { portNumber } from './serve-command.js';
import type { CommandRunner } from '../command-runner.js';
import { ingestWithProgress, printIngestSummary } from './ingest-command.js';
import { loadBundledNbaShots, trainNbaOnFirstStart } from './nba-command.js';
import { formatStoreStatus } from './status-command.js';

/**
 * `tipster start` (what `npm start` runs): the whole product in one process. It migrates, loads the
 * bundled data, trains on the first start and reports; then it serves the API with the scheduler
 * until SIGINT/SIGTERM (`--no-serve` stops after the report).
 */
export function startCommand(context: CliContext, run: CommandRunner): Command {
  return new Command('start')
    .description('Run the whole product: migrate, load the bundled data, train on the first start, print a summary, then serve the API and run scheduled pipelines until Ctrl-C')
    .option('--no-serve', 'stop after the summary (prepare only: migrate, load, train on the first start)')
    .option('--port <port>', 'port to listen on (default TIPSTER_HTTP_PORT, 8080)')
    .option('--host <address>', 'address to listen on (default TIPSTER_HTTP_HOST, 127.0.0.1)')
    .action((options: { serve: boolean; port?: string; host?: string }) =>
      run(async () => {
        const port = options.port === undefined ? context.config.http.port : portNumber(options.port);
        const host = options.host ?? context.config.http.host;
        const footballDir = path.join(context.config.dataDir, 'football-data');
        if (!fs.existsSync(footballDir)) {
          throw new TipsterError('TIPSTER_ERR_INGEST_SOURCE_NOT_FOUND', { source: footballDir });
        }
        return withStore(
          context,
          async (store) => {
            const target = describeStoreTarget(store.target);
            const migration = await migrateStore(store);
            println(
              context.stdout,
              `Tipster store: ${target} (${migration.applied.length > 0 ? `migrated: ${migration.applied.join(', ')}` : 'schema up to date'})`,
            );
            // A path relative to where the user stands keeps progress lines short.
            const input = path.relative(context.cwd, footballDir) || '.';
            const sources = await resolveFootballDataSources([input], context.cwd);
            println(context.stdout, `Loading bundled football-data: ${sources.length} files from ${input}`);
            const reports = await ingestWithProgress(context, store, sources, {});
            const footballLoaded = printIngestSummary(context, reports);
            const exitCode = Math.max(footballLoaded, await loadBundledNbaShots(context, store));
            println(context.stdout);
            println(context.stdout, formatStoreStatus(await summarizeStore(store.db), target));
            println(context.stdout);
            const trained = Math.max(await trainOnFirstStart(context, store), await trainNbaOnFirstStart(context, store));
            const prepared = exitCode !== 0 ? exitCode : trained;
            if (!options.serve) return prepared;
            // A file that failed to load or a failed training is reported above; the product still serves.
            println(context.stdout);
            await serveUntilSignal(context, store, { port, host, scheduler: true, liveDemo: true });
            return prepared;
          },
          { requireMigrated: false },
        );
      }),
    );
}

/** Heartbeats are 5 s apart: a run silent for three of them lost its process. */
const STALE_RUN_MS = 15_000;

/**
 * Runs `football-weekly` once, on the first start (no successful run yet), so a fresh clone ends
 * with a production model per league; later starts only report the registry. Runs left unfinished
 * by a killed process are failed first, so they neither block nor hide a new run.
 */
async function trainOnFirstStart(context: CliContext, store: Store): Promise<number> {
  const recovered = await recoverInterruptedRuns(store, { staleAfterMs: STALE_RUN_MS, now: Date.now(), ownerIsDead: isLocalOwnerDead });
  for (const run of recovered) println(context.stdout, `Recovered interrupted ${run.pipeline} run ${run.id}: marked failed (${run.error ?? 'process died'})`);
  const [succeeded] = await listPipelineRuns(store, { pipeline: FOOTBALL_WEEKLY, status: 'succeeded', limit: 1 });
  let exitCode = 0;
  if (succeeded === undefined) {
    const active = [
      ...(await listPipelineRuns(store, { pipeline: FOOTBALL_WEEKLY, status: 'running', limit: 1 })),
      ...(await listPipelineRuns(store, { pipeline: FOOTBALL_WEEKLY, status: 'queued', limit: 1 })),
    ];
    if (active.length > 0) {
      println(context.stdout, `${FOOTBALL_WEEKLY} is already running (run ${active[0]!.id} in ${active[0]!.owner}); not starting another.`);
    } else {
      println(context.stdout, `First start: running ${FOOTBALL_WEEKLY} (backtest candidates per league, register, promote, predict)…`);
      const catalogue = buildPipelineCatalogue({ store, config: context.config, logger: context.logger });
      // In this process whatever TIPSTER_PIPELINE_EXECUTOR says: a first start must not wait for workers.
      const run = await runPipelineWithProgress(context, store, catalogue.get(FOOTBALL_WEEKLY).pipeline, { trigger: 'startup', params: {} });
      if (run.status !== 'succeeded') {
        println(context.stderr, `${FOOTBALL_WEEKLY} failed: ${run.error ?? 'unknown error'} (see \`tipster pipeline show ${run.id} --logs\`)`);
        exitCode = 1;
      }
    }
  }
  println(context.stdout);
  println(context.stdout, await formatFootballRegistry(store));
  await hintAsOf(context, store);
  return exitCode;
}

/** One line per league: the production version, its model and its RPS beside the market's. */
export async function formatFootballRegistry(store: Store): Promise<string> {
  const registry = new ModelRegistry(store);
  const models = (await registry.listRegisteredModels()).filter((m) => m.task === FOOTBALL_1X2_TASK.task);
  if (models.length === 0) return 'Model registry: no football models yet (run `tipster pipeline run football-weekly`).';
  const rows = [];
  for (const model of models) {
    const versions = await registry.listModelVersions(model.name);
    const production = versions.find((v) => v.aliases.includes('production'));
    rows.push({ model: model.name, versions: versions.length, production });
  }
  const table = formatTable(rows, [
    { header: 'model', value: (r) => r.model },
    { header: 'versions', value: (r) => String(r.versions), align: 'right' },
    { header: 'production', value: (r) => (r.production ? `v${r.production.version}` : '-'), align: 'right' },
    { header: 'predictor', value: (r) => r.production?.tags.predictor ?? '-' },
    { header: 'RPS', value: (r) => r.production?.tags.rps?.slice(0, 6) ?? '-', align: 'right' },
    { header: 'market RPS', value: (r) => r.production?.tags.benchmark_rps?.slice(0, 6) ?? '-', align: 'right' },
    { header: 'window', value: (r) => r.production?.tags.window ?? '-' },
  ]);
  return `Model registry (football 1X2, RPS on each version's evaluation window; lower is better):\n${table}`;
}

/**
 * The bundled seasons are in the past: at the wall clock nothing is upcoming, so fixtures, value
 * bets and the bet ledger have nothing to show. Say how to see them, rather than moving the clock
 * behind the user's back.
 */
async function hintAsOf(context: CliContext, store: Store): Promise<void> {
  const asOfMs = context.config.asOfMs ?? Date.now();
  const upcoming = await store.db
    .selectFrom('matches')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('kickoff_at_ms', '>=', asOfMs)
    .executeTakeFirst();
  if (Number(upcoming?.n ?? 0) > 0) return;
  const last = await store.db.selectFrom('matches').select((eb) => eb.fn.max('kickoff_at_ms').as('last')).executeTakeFirst();
  if (last?.last === null || last?.last === undefined) return;
  const lastDay = new Date(Number(last.last)).toISOString().slice(0, 10);
  println(context.stdout);
  println(context.stdout, `No upcoming football fixtures as of ${new Date(asOfMs).toISOString().slice(0, 10)}: the stored seasons end on ${lastDay}.`);
  println(context.stdout, 'To use fixtures, value bets and the bet ledger during a real season: TIPSTER_AS_OF=2023-03-01 npm start');
}
