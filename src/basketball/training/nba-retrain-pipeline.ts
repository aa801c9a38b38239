import fs from 'node:fs';
import path from 'node:path';
import { codeVersion } from '../../core/code-version.js';
import { TipsterError } from '../../core/errors.js';
import { loadNbaShots, resolveNbaShotSources } from '../../ingest/nba-shots/load-nba-shots.js';
import { definePipeline, type Pipeline, type TaskContext } from '../../pipelines/define-pipeline.js';
import { newLabelsCondition } from '../../pipelines/new-labels-condition.js';
import type { CatalogueEntry } from '../../pipelines/pipeline-catalogue.js';
import type { Store } from '../../store/store.js';
import { ModelRegistry } from '../../tracking/model-registry.js';
import { TrackingStore } from '../../tracking/tracking-store.js';
import { loadIngestedShots } from '../store/labelled-shots.js';
import { countLabelledShotPredictions, loadVerifiedFeedbackShots } from '../store/shot-predictions.js';
import { NBA_MODEL_ARTIFACT, nbaShotModelByAlias } from './nba-model-store.js';
import { isNbaShotCandidate, NBA_SHOT_MAKE_TASK, type NbaShotCandidate } from './nba-shot-make-task.js';
import { holdoutWindow, prepareNbaTrainingData } from './nba-training-data.js';
import { scoreShots, type ShotScores } from './shot-metrics.js';
import { bestCandidate, trainNbaCandidates, type TrainedCandidate } from './train-nba-candidates.js';

export const NBA_RETRAIN = 'nba-retrain';

/** What the pipeline needs from its process. */
export interface NbaRetrainDeps {
  readonly store: Store;
  /** The bundled data directory; `nba-shots/` under it is ingested first when it exists. */
  readonly dataDir: string;
  /** Clock for tracked runs and registry records (default `Date.now`). */
  readonly now?: () => number;
  /** Candidates to train (default: all of the task's). */
  readonly candidates?: readonly NbaShotCandidate[];
  /** Scheduled runs start only with at least this many new verified labels (default 100). */
  readonly minNewLabels?: number;
}

type Metrics = Record<keyof ShotScores | 'train_ms', number>;

/** A candidate as train-candidates reports it downstream. */
interface CandidateOutcome {
  readonly candidate: NbaShotCandidate;
  readonly runId: string;
  readonly metrics: Metrics;
}

/** Production as it stood when the run started, re-scored on this run's held-out shots. */
type ProductionOutcome =
  | { readonly version: number; readonly candidate: string; readonly metrics: Metrics }
  | { readonly version: number; readonly candidate: string; readonly metrics: null; readonly error: string };

/** What register-best hands to promotion: the version and the scores to compare on the same shots. */
interface RegisteredCandidate {
  readonly model: string;
  readonly version: number;
  readonly candidate: NbaShotCandidate;
  readonly metrics: Metrics;
  readonly production: ProductionOutcome | null;
}

interface TrainOutput {
  readonly window: string;
  readonly fingerprint: string;
  readonly shots: { readonly fit: number; readonly validation: number; readonly holdout: number; readonly feedback: number };
  readonly candidates: readonly CandidateOutcome[];
  readonly best: NbaShotCandidate;
  readonly production: ProductionOutcome | null;
}

const round = (x: number) => Number(x.toPrecision(6));
const metricsOf = (scores: ShotScores, trainMs: number): Metrics => ({ ...scores, train_ms: Math.round(trainMs) });

/**
 * `nba-retrain`: ingest → train-candidates → register-best → promote-if-better. Candidates train on
 * every labelled shot before the held-out days (ingested shots plus verified feedback) and are scored,
 * with the current production version, on the same held-out games. The best candidate becomes a new
 * version of `nba-shot-make` and replaces production only when it is really better (see
 * NBA_SHOT_MAKE_TASK); the decision and its reason are in the run's output and on the version's tags.
 */
export function nbaRetrainPipeline(deps: NbaRetrainDeps): Pipeline {
  const { store } = deps;
  const now = deps.now ?? Date.now;
  const tracking = new TrackingStore(store, { now });
  const registry = new ModelRegistry(store, { now, cacheCheckMs: 0 });

  return definePipeline({
    name: NBA_RETRAIN,
    description:
      'Ingest NBA shots, train shot-make candidates on every labelled shot (data and verified feedback), score them and production on the same held-out games, register the best, promote it only if better',
    tasks: [
      {
        name: 'ingest',
        retries: 2,
        retryBackoffMs: 2_000,
        run: async (ctx) => {
          const dir = path.join(deps.dataDir, 'nba-shots');
          if (!fs.existsSync(dir) || !fs.readdirSync(dir).some((f) => f.toLowerCase().endsWith('.csv'))) {
            ctx.log.warn(`${dir} holds no shot files: training on what the store holds`);
            return { files: 0, loaded: 0, unchanged: 0, failed: 0 };
          }
          const reports = await loadNbaShots(store, await resolveNbaShotSources([dir], process.cwd()), { now });
          const count = (status: string) => reports.filter((r) => r.status === status).length;
          for (const r of reports.filter((r) => r.status === 'rejected' || r.status === 'failed')) ctx.log.error(`${r.source.label}: ${r.status}: ${r.error?.message ?? 'unknown error'}`);
          const summary = { files: reports.length, loaded: count('loaded'), unchanged: count('unchanged'), failed: count('rejected') + count('failed') };
          ctx.log.info(`${summary.files} files: ${summary.loaded} loaded, ${summary.unchanged} unchanged, ${summary.failed} not loaded`);
          return summary;
        },
      },
      {
        name: 'train-candidates',
        dependsOn: ['ingest'],
        run: (ctx) => trainCandidates(ctx),
      },
      {
        name: 'register-best',
        dependsOn: ['train-candidates'],
        run: async (ctx) => {
          const out = ctx.upstream['train-candidates'] as TrainOutput;
          const best = out.candidates.find((c) => c.candidate === out.best)!;
          const model = NBA_SHOT_MAKE_TASK.model;
          await registry.registerModel({
            name: model,
            task: NBA_SHOT_MAKE_TASK.task,
            primaryMetric: NBA_SHOT_MAKE_TASK.primaryMetric,
            higherIsBetter: NBA_SHOT_MAKE_TASK.higherIsBetter,
            description: 'Probability that an NBA field-goal attempt goes in, from location, zone, action, clock and shooter/team skill',
          });
          // A retried task finds the version it registered before instead of adding a second one.
          const existing = (await registry.listModelVersions(model)).find((v) => v.runId === best.runId);
          const tags: Record<string, string> = {
            candidate: best.candidate,
            log_loss: best.metrics.log_loss.toFixed(6),
            auc: best.metrics.auc.toFixed(4),
            window: out.window,
            holdout_shots: String(out.shots.holdout),
            feedback_shots: String(out.shots.feedback),
            data_fingerprint: out.fingerprint,
            pipeline_run_id: ctx.runId,
            promotion: 'pending',
          };
          if (out.production) {
            tags.production_version = String(out.production.version);
            tags.production_log_loss = out.production.metrics ? out.production.metrics.log_loss.toFixed(6) : 'unscorable';
          }
          const version =
            existing ??
            (await registry.createModelVersion(model, best.runId, {
              description: `${best.candidate}, best of ${out.candidates.length} candidates on ${out.shots.holdout} held-out shots (${out.window})`,
              tags,
            }));
          ctx.log.info(`${model}: version ${version.version} (${best.candidate}, log loss ${best.metrics.log_loss.toFixed(4)})${existing ? ' already registered by an earlier attempt' : ''}`);
          const registered: RegisteredCandidate = { model, version: version.version, candidate: best.candidate, metrics: best.metrics, production: out.production };
          return registered;
        },
      },
      {
        name: 'promote-if-better',
        dependsOn: ['register-best'],
        run: async (ctx) => {
          const registered = ctx.upstream['register-best'] as RegisteredCandidate;
          const production = registered.production;
          const decision = await registry.promoteIfBetter(
            registered.model,
            registered.version,
            { candidate: registered.metrics, production: production?.metrics ?? null },
            { actor: `pipeline ${NBA_RETRAIN} run ${ctx.runId}`, minImprovement: NBA_SHOT_MAKE_TASK.minImprovement, qualityFloor: NBA_SHOT_MAKE_TASK.qualityFloor },
          );
          const reason =
            production && production.metrics === null ? `production version ${production.version} could not be scored (${production.error}); ${decision.reason}` : decision.reason;
          if (reason !== decision.reason) await registry.setModelVersionTag(registered.model, registered.version, 'promotion_reason', reason);
          ctx.log.info(`${registered.model} version ${registered.version}: ${decision.promote ? 'promoted to production' : 'not promoted'}: ${reason}`);
          return {
            model: registered.model,
            version: registered.version,
            candidate: registered.candidate,
            promoted: decision.promote,
            reason,
            candidateLogLoss: round(registered.metrics.log_loss),
            productionVersion: production?.version ?? null,
            productionLogLoss: production?.metrics ? round(production.metrics.log_loss) : null,
          };
        },
      },
    ],
  });

  async function trainCandidates(ctx: TaskContext): Promise<TrainOutput> {
    const candidates = readCandidates(ctx, deps.candidates ?? NBA_SHOT_MAKE_TASK.candidates);
    const ingested = await loadIngestedShots(store.db);
    const feedback = await loadVerifiedFeedbackShots(store.db);
    const data = prepareNbaTrainingData(ingested, feedback);
    const window = holdoutWindow(data);
    ctx.log.info(
      `${ingested.length} shots and ${feedback.length} verified feedback labels: fitting on ${data.fitRows.length}, validating on ${data.validationRows.length}, scoring on ${data.holdoutRows.length} held-out shots (${window}; data ${data.fingerprint.slice(0, 12)})`,
    );
    // Production as it stood when the run started, on exactly the held-out shots the candidates face.
    const current = await nbaShotModelByAlias(registry, tracking);
    let production: ProductionOutcome | null = null;
    if (current) {
      try {
        const started = performance.now();
        const p = current.model.heldOutProbabilities(data);
        const scores = scoreShots(p, Int32Array.from(data.holdoutRows, (r) => data.made[r]!)).scores;
        production = { version: current.version.version, candidate: current.model.candidate, metrics: metricsOf(scores, performance.now() - started) };
        ctx.log.info(`production version ${current.version.version} (${current.model.candidate}): log loss ${scores.log_loss.toFixed(4)} on the held-out shots`);
      } catch (error) {
        production = { version: current.version.version, candidate: current.model.candidate, metrics: null, error: (error as Error).message };
        ctx.log.error(`production version ${current.version.version} could not be scored: ${(error as Error).message}`);
      }
    }
    const outcomes: CandidateOutcome[] = [];
    const trained = await trainNbaCandidates(candidates, data, { signal: ctx.signal });
    for (const candidate of trained) outcomes.push(await trackCandidate(ctx, candidate, data.fingerprint, window, data.feedbackShots));
    const best = bestCandidate(trained);
    ctx.log.info(`${trained.map((c) => `${c.candidate} ${c.holdout.log_loss.toFixed(4)}`).join(', ')}; best ${best.candidate}`);
    return {
      window,
      fingerprint: data.fingerprint,
      shots: { fit: data.fitRows.length, validation: data.validationRows.length, holdout: data.holdoutRows.length, feedback: data.feedbackShots },
      candidates: outcomes,
      best: best.candidate,
      production,
    };
  }

  /** One tracked run per candidate: params, held-out metrics, the boosting curve, the model and its reliability table. */
  async function trackCandidate(ctx: TaskContext, trained: TrainedCandidate, fingerprint: string, window: string, feedback: number): Promise<CandidateOutcome> {
    const metrics = metricsOf(trained.holdout, trained.trainMs);
    const runId = await tracking.createRun({
      experiment: NBA_SHOT_MAKE_TASK.model,
      name: `${trained.candidate} ${window}`,
      codeVersion: codeVersion(),
      dataFingerprint: fingerprint,
      tags: { pipeline: NBA_RETRAIN, pipeline_run_id: ctx.runId, candidate: trained.candidate, role: 'candidate' },
    });
    try {
      await tracking.logParams(runId, { ...trained.params, candidate: trained.candidate, holdout_window: window, feedback_shots: feedback });
      const points: { key: string; value: number; step?: number }[] = Object.entries(metrics).map(([key, value]) => ({ key, value }));
      const curve = trained.trainingCurve;
      if (curve) curve.validationLoss.forEach((value, step) => points.push({ key: 'validation_log_loss', value, step }));
      await tracking.logMetrics(runId, points);
      await tracking.logArtifact(runId, NBA_MODEL_ARTIFACT, Buffer.from(JSON.stringify(trained.model.toJSON())), 'application/json');
      await tracking.logArtifact(runId, 'reliability.json', Buffer.from(JSON.stringify(trained.reliability, null, 2)), 'application/json');
      await tracking.endRun(runId, 'finished');
    } catch (error) {
      await tracking.endRun(runId, 'failed').catch(() => undefined);
      throw error;
    }
    return { candidate: trained.candidate, runId, metrics };
  }
}

function readCandidates(ctx: TaskContext, fallback: readonly NbaShotCandidate[]): NbaShotCandidate[] {
  const raw = ctx.params.candidates;
  if (raw === undefined) return [...fallback];
  const list = typeof raw === 'string' ? raw.split(',').map((s) => s.trim()) : raw;
  if (!Array.isArray(list) || list.length === 0 || !list.every(isNbaShotCandidate)) {
    throw new TipsterError('TIPSTER_ERR_PIPELINE_PARAM_INVALID', {
      pipeline: NBA_RETRAIN,
      param: 'candidates',
      reason: `expected a comma-separated list of ${NBA_SHOT_MAKE_TASK.candidates.join(', ')}`,
    });
  }
  return list as NbaShotCandidate[];
}

/**
 * The catalogue entry: daily at 05:30 London time, and only when at least `minNewLabels` (default
 * 100) predictions got a verified label since the last successful run began.
 */
export function nbaRetrainCatalogueEntry(deps: NbaRetrainDeps): CatalogueEntry {
  const minNewLabels = deps.minNewLabels ?? NBA_SHOT_MAKE_TASK.minNewLabels;
  return {
    pipeline: nbaRetrainPipeline(deps),
    schedule: { cron: '30 5 * * *', timezone: 'Europe/London' },
    condition: newLabelsCondition({
      store: deps.store,
      pipeline: NBA_RETRAIN,
      minNewLabels,
      noun: 'verified shot labels',
      countLabelledAfter: (afterMs) => countLabelledShotPredictions(deps.store.db, afterMs),
    }),
  };
}

