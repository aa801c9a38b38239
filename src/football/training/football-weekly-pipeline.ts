import fs from 'node:fs';
import path from 'node:path';
import { codeVersion } from '../../core/code-version.js';
import { TipsterError } from '../../core/errors.js';
import { resolveFootballDataSources } from '../../ingest/football-data/football-data-sources.js';
import { loadFootballData } from '../../ingest/football-data/load-football-data.js';
import { definePipeline, type Pipeline, type TaskContext } from '../../pipelines/define-pipeline.js';
import { loadFootballDataset } from '../../store/football-dataset-repository.js';
import type { Store } from '../../store/store.js';
import { ModelRegistry } from '../../tracking/model-registry.js';
import { TrackingStore } from '../../tracking/tracking-store.js';
import { renderBacktestReport } from '../backtest/backtest-report.js';
import type { ModelScores } from '../backtest/backtest-summary.js';
import { GoalModelPredictor } from '../predictors/goal-model-predictor.js';
import { predictorSpec } from '../predictors/predictor-catalogue.js';
import { parseSeasonCode } from '../season-code.js';
import { football1x2ModelName, FOOTBALL_1X2_TASK, type Football1x2ModelConfig } from './football-1x2-task.js';
import { footballModelByAlias, MODEL_CONFIG_ARTIFACT, saveMatchPredictions, type MatchPrediction } from './football-model-store.js';
import { evaluateOnWindow, isLeagueWindow, leagueWindow, type LeagueWindow, type SkippedLeague } from './league-evaluation.js';

const DAY_MS = 86_400_000;
export const FOOTBALL_WEEKLY = 'football-weekly';

/** What the pipeline needs from its process. */
export interface FootballWeeklyDeps {
  readonly store: Store;
  /** The bundled data directory; `football-data/` under it is ingested first. */
  readonly dataDir: string;
  /** Clock for the default as-of instant (default `Date.now`). */
  readonly now?: () => number;
}

/**
 * Run parameters (all optional):
 * - `asOf`: ISO date or date-time; the run behaves as if it were then (later matches are upcoming).
 * - `leagues`: division codes to train (default: every league in the store).
 * - `predictDays`: how far ahead of the as-of instant fixtures are predicted (default 14).
 */
interface WeeklyParams {
  readonly asOfMs: number;
  readonly leagues: readonly string[] | null;
  readonly predictDays: number;
}

/** The metrics a candidate run records (snake_case keys, as in the tracking store). */
type CandidateMetrics = Record<'rps' | 'log_loss' | 'brier' | 'accuracy' | 'ece' | 'matches' | 'benchmark_rps' | 'rps_vs_benchmark', number>;

interface CandidateResult {
  readonly predictor: string;
  readonly runId: string;
  readonly metrics: CandidateMetrics;
}

/** What register-best hands to promotion: the version and the scores to compare on the same window. */
interface RegisteredCandidate {
  readonly league: string;
  readonly model: string;
  readonly version: number;
  readonly predictor: string;
  readonly metrics: CandidateMetrics;
  readonly production: LeagueEvaluation['production'];
}

interface LeagueEvaluation {
  readonly league: string;
  readonly window: LeagueWindow;
  readonly candidates: readonly CandidateResult[];
  readonly best: CandidateResult;
  /** Production as it stood when the run started, re-scored on the same window; null for a first version. */
  readonly production: { readonly version: number; readonly predictor: string; readonly metrics: CandidateMetrics } | null;
}

/**
 * `football-weekly`: ingest → prepare-datasets → backtest-candidates → register-best →
 * promote-if-better → predict-upcoming. Every candidate and the current production model are scored
 * on the same, latest window of each league; the best candidate is registered as a new version and
 * replaces production only when it is really better (see FOOTBALL_1X2_TASK).
 */
export function footballWeeklyPipeline(deps: FootballWeeklyDeps): Pipeline {
  const { store } = deps;
  const now = deps.now ?? Date.now;
  const tracking = new TrackingStore(store, { now });
  const registry = new ModelRegistry(store, { now, cacheCheckMs: 0 });

  return definePipeline({
    name: FOOTBALL_WEEKLY,
    description: 'Ingest football-data, backtest candidate goal models per league on the latest two years, register the best, promote it only if it beats production on the same matches, predict upcoming fixtures',
    tasks: [
      {
        name: 'ingest',
        retries: 2,
        retryBackoffMs: 2_000,
        run: async (ctx) => {
          const dir = path.join(deps.dataDir, 'football-data');
          if (!fs.existsSync(dir)) {
            ctx.log.warn(`${dir} does not exist: nothing to ingest, training on what the store holds`);
            return { files: 0, loaded: 0, unchanged: 0, failed: 0 };
          }
          const sources = await resolveFootballDataSources([dir], process.cwd());
          const reports = await loadFootballData(store, sources, {});
          const count = (status: string) => reports.filter((r) => r.status === status).length;
          for (const r of reports.filter((r) => r.status === 'rejected' || r.status === 'failed')) {
            ctx.log.error(`${r.source.label}: ${r.status}: ${r.error?.message ?? 'unknown error'}`);
          }
          const summary = { files: reports.length, loaded: count('loaded'), unchanged: count('unchanged'), failed: count('rejected') + count('failed') };
          ctx.log.info(`${summary.files} files: ${summary.loaded} loaded, ${summary.unchanged} unchanged, ${summary.failed} not loaded`);
          return summary;
        },
      },
      {
        name: 'prepare-datasets',
        dependsOn: ['ingest'],
        run: async (ctx) => {
          const params = readParams(ctx, now);
          const leagues = params.leagues ?? (await storedLeagues(store));
          const windows: LeagueWindow[] = [];
          const skipped: SkippedLeague[] = [];
          for (const league of leagues) {
            const played = await recentPlayed(store, league, params.asOfMs);
            const window = leagueWindow(league, played, params.asOfMs);
            if (isLeagueWindow(window)) {
              windows.push(window);
              ctx.log.info(
                `${league}: scoring ${window.evaluationMatches} matches from ${isoDay(window.evaluateFromMs)} to ${isoDay(window.evaluateToMs - 1)}, training from ${isoDay(window.trainingFromMs)} (data ${window.fingerprint.slice(0, 12)})`,
              );
            } else {
              skipped.push(window);
              ctx.log.warn(`${league}: skipped, ${window.reason}`);
            }
          }
          if (windows.length === 0) throw new TipsterError('TIPSTER_ERR_TRAINING_NO_DATA', { task: FOOTBALL_1X2_TASK.task, detail: skipped.map((s) => `${s.league}: ${s.reason}`).join('; ') || 'the store holds no football matches' });
          return { asOfMs: params.asOfMs, windows, skipped };
        },
      },
      {
        name: 'backtest-candidates',
        dependsOn: ['prepare-datasets'],
        run: async (ctx) => {
          const { windows } = ctx.upstream['prepare-datasets'] as { windows: LeagueWindow[] };
          const evaluations: LeagueEvaluation[] = [];
          for (const window of windows) {
            if (ctx.signal.aborted) throw ctx.signal.reason;
            evaluations.push(await evaluateLeague(ctx, window));
          }
          return { evaluations };
        },
      },
      {
        name: 'register-best',
        dependsOn: ['backtest-candidates'],
        run: async (ctx) => {
          const { evaluations } = ctx.upstream['backtest-candidates'] as { evaluations: LeagueEvaluation[] };
          const registered: RegisteredCandidate[] = [];
          for (const evaluation of evaluations) {
            const model = football1x2ModelName(evaluation.league);
            await registry.registerModel({
              name: model,
              task: FOOTBALL_1X2_TASK.task,
              primaryMetric: FOOTBALL_1X2_TASK.primaryMetric,
              higherIsBetter: FOOTBALL_1X2_TASK.higherIsBetter,
              description: `Home/draw/away probabilities for ${evaluation.league} matches, from a goal model's score grid`,
            });
            // A retried task finds the version it registered before instead of adding a second one.
            const existing = (await registry.listModelVersions(model)).find((v) => v.runId === evaluation.best.runId);
            const version =
              existing ??
              (await registry.createModelVersion(model, evaluation.best.runId, {
                description: `${evaluation.best.predictor}, best of ${evaluation.candidates.length} candidates on ${evaluation.window.evaluationMatches} matches to ${isoDay(evaluation.window.evaluateToMs - 1)}`,
                tags: {
                  predictor: evaluation.best.predictor,
                  rps: evaluation.best.metrics.rps.toFixed(6),
                  benchmark_rps: evaluation.best.metrics.benchmark_rps.toFixed(6),
                  window: `${isoDay(evaluation.window.evaluateFromMs)}..${isoDay(evaluation.window.evaluateToMs - 1)}`,
                  data_fingerprint: evaluation.window.fingerprint,
                  pipeline_run_id: ctx.runId,
                  promotion: 'pending',
                },
              }));
            ctx.log.info(`${model}: version ${version.version} (${evaluation.best.predictor}, RPS ${evaluation.best.metrics.rps.toFixed(4)})${existing ? ' already registered by an earlier attempt' : ''}`);
            registered.push({
              league: evaluation.league,
              model,
              version: version.version,
              predictor: evaluation.best.predictor,
              metrics: evaluation.best.metrics,
              production: evaluation.production,
            });
          }
          return { registered };
        },
      },
      {
        name: 'promote-if-better',
        dependsOn: ['register-best'],
        run: async (ctx) => {
          const { registered } = ctx.upstream['register-best'] as { registered: RegisteredCandidate[] };
          const decisions: { league: string; model: string; version: number; promoted: boolean; reason: string }[] = [];
          for (const entry of registered) {
            const decision = await registry.promoteIfBetter(
              entry.model,
              entry.version,
              { candidate: entry.metrics, production: entry.production?.metrics ?? null },
              { actor: `pipeline ${FOOTBALL_WEEKLY} run ${ctx.runId}`, minImprovement: FOOTBALL_1X2_TASK.minImprovement, qualityFloor: FOOTBALL_1X2_TASK.qualityFloor },
            );
            ctx.log.info(`${entry.model} version ${entry.version}: ${decision.promote ? 'promoted to production' : 'not promoted'}: ${decision.reason}`);
            decisions.push({ league: entry.league, model: entry.model, version: entry.version, promoted: decision.promote, reason: decision.reason });
          }
          return { decisions };
        },
      },
      {
        name: 'predict-upcoming',
        // prepare-datasets fixed the run's as-of instant: a retry hours later predicts the same fixtures.
        dependsOn: ['promote-if-better', 'prepare-datasets'],
        run: async (ctx) => {
          const { asOfMs } = ctx.upstream['prepare-datasets'] as { asOfMs: number };
          const params = { ...readParams(ctx, now), asOfMs };
          const { decisions } = ctx.upstream['promote-if-better'] as { decisions: { league: string }[] };
          const predicted: { league: string; model: string; version: number; fixtures: number }[] = [];
          for (const { league } of decisions) {
            // Production as it is now: this run's version if it was promoted, the previous one otherwise.
            const production = await footballModelByAlias(registry, tracking, league);
            if (!production) {
              ctx.log.warn(`${league}: no production model, nothing predicted`);
              continue;
            }
            const count = await predictLeague(store, production.config, production.version.version, params, ctx.runId, now());
            ctx.log.info(`${league}: ${count} fixtures in the next ${params.predictDays} days predicted by version ${production.version.version} (${production.config.predictor})`);
            predicted.push({ league, model: football1x2ModelName(league), version: production.version.version, fixtures: count });
          }
          return { predicted };
        },
      },
    ],
  });

  /** Scores every candidate and the current production model on the window, one tracked run each. */
  async function evaluateLeague(ctx: TaskContext, window: LeagueWindow): Promise<LeagueEvaluation> {
    const { league } = window;
    const model = football1x2ModelName(league);
    const production = await footballModelByAlias(registry, tracking, league);
    const predictors = [...new Set([...FOOTBALL_1X2_TASK.candidates, ...(production ? [production.config.predictor] : [])])];
    const played = await recentPlayed(store, league, window.evaluateToMs);
    const started = performance.now();
    const summary = evaluateOnWindow(played, window, predictors, FOOTBALL_1X2_TASK.benchmark);
    const durationMs = performance.now() - started;
    const benchmark = summary.overall[FOOTBALL_1X2_TASK.benchmark];
    const metricsOf = (name: string): CandidateMetrics => {
      const s: ModelScores = summary.overall[name]!;
      const benchmarkRps = benchmark?.rps ?? Number.NaN;
      return { rps: s.rps, log_loss: s.logLoss, brier: s.brier, accuracy: s.accuracy, ece: s.ece, matches: s.matches, benchmark_rps: benchmarkRps, rps_vs_benchmark: s.rps - benchmarkRps };
    };
    const labels = Object.fromEntries(summary.models.map((m) => [m, predictorSpec(m, { xi: 0.0019 }).label]));
    const report = renderBacktestReport(summary, {
      title: `Tipster ${model}: candidates on the latest window`,
      competitions: [league],
      seasons: `${isoDay(window.evaluateFromMs)} to ${isoDay(window.evaluateToMs - 1)}`,
      refitEveryDays: FOOTBALL_1X2_TASK.refitEveryDays,
      trainingWindowDays: FOOTBALL_1X2_TASK.trainingWindowDays,
      modelLabels: labels,
      generatedAt: new Date(now()).toISOString(),
      durationMs,
    });

    const candidates: CandidateResult[] = [];
    for (const predictor of predictors) {
      const metrics = metricsOf(predictor);
      const config: Football1x2ModelConfig = {
        task: FOOTBALL_1X2_TASK.task,
        league,
        predictor,
        trainingWindowDays: FOOTBALL_1X2_TASK.trainingWindowDays,
        trainedThroughMs: window.evaluateToMs,
      };
      const runId = await tracking.createRun({
        experiment: model,
        name: `${predictor} ${isoDay(window.evaluateToMs - 1)}`,
        codeVersion: codeVersion(),
        dataFingerprint: window.fingerprint,
        tags: { pipeline: FOOTBALL_WEEKLY, pipeline_run_id: ctx.runId, league, predictor, role: production?.config.predictor === predictor ? 'candidate+production' : 'candidate' },
      });
      try {
        await tracking.logParams(runId, {
          predictor,
          league,
          evaluate_from: isoDay(window.evaluateFromMs),
          evaluate_to: isoDay(window.evaluateToMs - 1),
          training_window_days: FOOTBALL_1X2_TASK.trainingWindowDays,
          refit_every_days: FOOTBALL_1X2_TASK.refitEveryDays,
          benchmark: FOOTBALL_1X2_TASK.benchmark,
        });
        const points = Object.entries(metrics).filter(([, v]) => Number.isFinite(v)).map(([key, value]) => ({ key, value }));
        // RPS per season as a history (step = the season's start year), for charts of a model over time.
        for (const season of summary.bySeason) {
          const s = season.scores[predictor];
          const start = parseSeasonCode(season.season)?.startYear;
          if (s && start !== undefined) points.push({ key: 'season_rps', value: s.rps, step: start } as { key: string; value: number; step: number });
        }
        await tracking.logMetrics(runId, points);
        await tracking.logArtifact(runId, MODEL_CONFIG_ARTIFACT, Buffer.from(JSON.stringify(config, null, 2)), 'application/json');
        await tracking.logArtifact(runId, 'backtest-report.html', Buffer.from(report), 'text/html');
        await tracking.endRun(runId, 'finished');
      } catch (error) {
        await tracking.endRun(runId, 'failed').catch(() => undefined);
        throw error;
      }
      candidates.push({ predictor, runId, metrics });
    }
    // Lowest RPS wins; ties go to the earlier candidate in the task's list (a stable choice).
    const ranked = candidates.filter((c) => (FOOTBALL_1X2_TASK.candidates as readonly string[]).includes(c.predictor));
    const best = ranked.reduce((a, b) => (b.metrics.rps < a.metrics.rps ? b : a));
    ctx.log.info(
      `${league}: ${candidates.map((c) => `${c.predictor} ${c.metrics.rps.toFixed(4)}`).join(', ')}; ${FOOTBALL_1X2_TASK.benchmark} ${benchmark?.rps.toFixed(4) ?? 'n/a'} on ${summary.matches} matches (${(durationMs / 1000).toFixed(1)} s)`,
    );
    const productionResult = production ? candidates.find((c) => c.predictor === production.config.predictor)! : null;
    return {
      league,
      window,
      candidates,
      best,
      production: production && productionResult ? { version: production.version.version, predictor: production.config.predictor, metrics: productionResult.metrics } : null,
    };
  }
}

/**
 * Fits the production configuration on the results known at the as-of instant and predicts the
 * league's fixtures in the next `predictDays`: scheduled matches, and (as of a past date) matches
 * played after it, which are treated as upcoming.
 */
async function predictLeague(
  store: Store,
  config: Football1x2ModelConfig,
  version: number,
  params: WeeklyParams,
  runId: string,
  nowMs: number,
): Promise<number> {
  const horizonMs = params.asOfMs + params.predictDays * DAY_MS;
  const due = await store.db
    .selectFrom('matches as m')
    .innerJoin('competitions as c', 'c.id', 'm.competition_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('c.code', '=', config.league)
    .where('m.kickoff_at_ms', '>=', params.asOfMs)
    .where('m.kickoff_at_ms', '<', horizonMs)
    .executeTakeFirst();
  if (Number(due?.n ?? 0) === 0) return 0;
  const fromStartYear = new Date(params.asOfMs - config.trainingWindowDays * DAY_MS).getUTCFullYear() - 1;
  const { played, upcoming } = await loadFootballDataset(store.db, { competitions: [config.league], fromStartYear });
  const history = played.filter((m) => m.kickoffAtMs < params.asOfMs && m.kickoffAtMs >= params.asOfMs - config.trainingWindowDays * DAY_MS);
  const fixtures = [...upcoming, ...played]
    .filter((m) => m.kickoffAtMs >= params.asOfMs && m.kickoffAtMs < horizonMs)
    .sort((a, b) => a.kickoffAtMs - b.kickoffAtMs);
  if (fixtures.length === 0) return 0;
  const predictor = predictorSpec(config.predictor, { xi: 0.0019 }).create();
  predictor.fit(history, params.asOfMs);
  const modelName = football1x2ModelName(config.league);
  const predictions: MatchPrediction[] = [];
  for (const fixture of fixtures) {
    const p = predictor.predict(fixture);
    if (!p) continue;
    const goals = predictor instanceof GoalModelPredictor ? predictor.model?.predict(fixture.homeTeam, fixture.awayTeam).expectedGoals() : undefined;
    predictions.push({
      matchId: fixture.matchId,
      modelName,
      modelVersion: version,
      asOfMs: params.asOfMs,
      predictedAtMs: nowMs,
      home: p.home,
      draw: p.draw,
      away: p.away,
      homeGoalsExpected: goals?.home ?? null,
      awayGoalsExpected: goals?.away ?? null,
      pipelineRunId: runId,
    });
  }
  await saveMatchPredictions(store.db, predictions);
  return predictions.length;
}

function readParams(ctx: TaskContext, now: () => number): WeeklyParams {
  const invalid = (name: string, reason: string) => new TipsterError('TIPSTER_ERR_PIPELINE_PARAM_INVALID', { pipeline: FOOTBALL_WEEKLY, param: name, reason });
  const { asOf, leagues, predictDays } = ctx.params;
  let asOfMs = now();
  if (asOf !== undefined) {
    if (typeof asOf !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(asOf) || Number.isNaN(Date.parse(asOf))) throw invalid('asOf', `"${String(asOf)}" is not an ISO date such as 2022-01-15`);
    asOfMs = Date.parse(asOf);
  }
  let leagueList: string[] | null = null;
  if (leagues !== undefined) {
    const list = typeof leagues === 'string' ? leagues.split(',') : leagues;
    if (!Array.isArray(list) || list.some((l) => typeof l !== 'string' || l.trim() === '')) throw invalid('leagues', 'expected division codes such as "E0,SP1"');
    leagueList = (list as string[]).map((l) => l.trim());
  }
  const days = predictDays === undefined ? 14 : Number(predictDays);
  if (!(Number.isFinite(days) && days > 0)) throw invalid('predictDays', `"${String(predictDays)}" is not a positive number of days`);
  return { asOfMs, leagues: leagueList, predictDays: days };
}

/**
 * The finished matches of a league that a window ending at `beforeMs` can use: seasons from six
 * years before the league's last result (two evaluated, three of training, one of margin).
 */
async function recentPlayed(store: Store, league: string, beforeMs: number) {
  const last = await store.db
    .selectFrom('matches as m')
    .innerJoin('competitions as c', 'c.id', 'm.competition_id')
    .select((eb) => eb.fn.max('m.kickoff_at_ms').as('last'))
    .where('c.code', '=', league)
    .where('m.status', '=', 'finished')
    .where('m.kickoff_at_ms', '<', beforeMs)
    .executeTakeFirst();
  if (last?.last === null || last?.last === undefined) return [];
  const spanDays = FOOTBALL_1X2_TASK.evaluationDays + FOOTBALL_1X2_TASK.trainingWindowDays + 365;
  const fromStartYear = new Date(Number(last.last) - spanDays * DAY_MS).getUTCFullYear() - 1;
  const { played } = await loadFootballDataset(store.db, { competitions: [league], fromStartYear });
  return played;
}

async function storedLeagues(store: Store): Promise<string[]> {
  const rows = await store.db.selectFrom('competitions').select('code').orderBy('code').execute();
  return rows.map((r) => r.code);
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
