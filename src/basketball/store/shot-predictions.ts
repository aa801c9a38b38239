import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import { TipsterError } from '../../core/errors.js';
import type { Database } from '../../store/database-schema.js';
import type { ShotPredictionTable } from '../../store/nba-tables.js';
import type { LabelledNbaShot, NbaShot } from '../nba-shot.js';
import { describeShot } from '../shot-description.js';

/** A served shot prediction with its consolidated label. */
export interface ShotPrediction {
  readonly id: string;
  readonly modelName: string;
  readonly modelVersion: number;
  readonly createdAtMs: number;
  readonly createdByUserId: number | null;
  /** The shot as scored (normalised: zones, distance and type filled in). */
  readonly shot: NbaShot;
  /** Feature name → value the model saw. */
  readonly features: Readonly<Record<string, number | string | null>>;
  readonly probability: number;
  /** The outcome every verifier agrees on; null while unverified or disputed. */
  readonly verifiedOutcome: boolean | null;
  readonly verifiedByUserId: number | null;
  readonly verifiedAtMs: number | null;
  /** Users with a verdict on record. */
  readonly verifications: number;
  /** Verifiers disagree: no label until they agree. */
  readonly disputed: boolean;
}

/** A prediction to store. */
export interface NewShotPrediction {
  readonly modelName: string;
  readonly modelVersion: number;
  readonly shot: NbaShot;
  readonly features: Readonly<Record<string, number | string | null>>;
  readonly probability: number;
  readonly createdByUserId?: number | null;
}

/** One entry of the verification audit trail. */
export interface ShotVerification {
  readonly id: number;
  readonly predictionId: string;
  readonly userId: number;
  readonly made: boolean;
  readonly verifiedAtMs: number;
  /** This user's earlier verdict that this one replaced, or null for their first. */
  readonly replacedMade: boolean | null;
}

/** What a verification did. */
export interface VerificationResult {
  readonly prediction: ShotPrediction;
  /**
   * `recorded`: the user's first verdict; `updated`: the user changed their verdict; `unchanged`:
   * the user repeated their verdict (nothing written).
   */
  readonly change: 'recorded' | 'updated' | 'unchanged';
}

type Row = Selectable<ShotPredictionTable>;

function toPrediction(row: Row): ShotPrediction {
  return {
    id: row.id,
    modelName: row.model_name,
    modelVersion: row.model_version,
    createdAtMs: Number(row.created_at_ms),
    createdByUserId: row.created_by_user_id,
    shot: describeShot(JSON.parse(row.input_json) as NbaShot),
    features: JSON.parse(row.features_json) as Record<string, number | string | null>,
    probability: row.probability,
    verifiedOutcome: row.verified_outcome === null ? null : row.verified_outcome === 1,
    verifiedByUserId: row.verified_by_user_id,
    verifiedAtMs: row.verified_at_ms === null ? null : Number(row.verified_at_ms),
    verifications: row.verifications,
    disputed: row.disputed === 1,
  };
}

/** Stores predictions in one transaction and returns them with their new ids. */
export async function createShotPredictions(
  db: Kysely<Database>,
  predictions: readonly NewShotPrediction[],
  options: { now?: () => number } = {},
): Promise<ShotPrediction[]> {
  if (predictions.length === 0) return [];
  const nowMs = (options.now ?? Date.now)();
  const rows: Row[] = predictions.map((p) => {
    if (!(p.probability >= 0 && p.probability <= 1)) {
      throw new TipsterError('TIPSTER_ERR_NBA_SHOT_INVALID', { reason: `probability ${p.probability} is not in [0, 1]` });
    }
    return {
      id: randomUUID(),
      model_name: p.modelName,
      model_version: p.modelVersion,
      created_at_ms: nowMs,
      created_by_user_id: p.createdByUserId ?? null,
      input_json: JSON.stringify(p.shot),
      features_json: JSON.stringify(p.features),
      probability: p.probability,
      verified_outcome: null,
      verified_by_user_id: null,
      verified_at_ms: null,
      verifications: 0,
      disputed: 0,
    };
  });
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += 500) await trx.insertInto('shot_predictions').values(rows.slice(i, i + 500)).execute();
  });
  return rows.map(toPrediction);
}

/** Stores one prediction. */
export async function createShotPrediction(db: Kysely<Database>, prediction: NewShotPrediction, options: { now?: () => number } = {}): Promise<ShotPrediction> {
  return (await createShotPredictions(db, [prediction], options))[0]!;
}

/** The prediction with this id, or TIPSTER_ERR_NBA_PREDICTION_NOT_FOUND. */
export async function getShotPrediction(db: Kysely<Database>, predictionId: string): Promise<ShotPrediction> {
  const row = await db.selectFrom('shot_predictions').selectAll().where('id', '=', predictionId).executeTakeFirst();
  if (row === undefined) throw new TipsterError('TIPSTER_ERR_NBA_PREDICTION_NOT_FOUND', { predictionId });
  return toPrediction(row);
}

/**
 * Records a user's verdict on what really happened, in one transaction, and recomputes the label.
 *
 * - Every verdict that changes something is appended to `shot_verifications` (who, when, what,
 *   and the verdict it replaced): the trail is never edited.
 * - One user has one current verdict per prediction: verifying again replaces it (`updated`), or
 *   does nothing when it is the same (`unchanged`).
 * - Verdicts of different users are kept separately. The prediction's label is the outcome all
 *   current verdicts agree on; when they disagree it is `disputed` and has no label (it leaves
 *   training) until they agree again.
 * - `verifiedAtMs` is when the label last came into being or changed, so a confirmation by a second
 *   user is not counted as a new label by the retrain trigger; `verifiedByUserId` is whose verdict did it.
 *
 * Concurrent verifications of one prediction are serialised by a row lock taken first.
 */
export async function verifyShotPrediction(
  db: Kysely<Database>,
  input: { readonly predictionId: string; readonly userId: number; readonly made: boolean },
  options: { now?: () => number } = {},
): Promise<VerificationResult> {
  if (!Number.isInteger(input.userId) || input.userId < 1) {
    throw new TipsterError('TIPSTER_ERR_NBA_VERIFICATION_INVALID', { reason: `userId must be a positive whole number, got ${JSON.stringify(input.userId)}` });
  }
  if (typeof input.made !== 'boolean') {
    throw new TipsterError('TIPSTER_ERR_NBA_VERIFICATION_INVALID', { reason: `made must be true or false, got ${JSON.stringify(input.made)}` });
  }
  const nowMs = (options.now ?? Date.now)();
  const outcome = input.made ? 1 : 0;
  return db.transaction().execute(async (trx) => {
    // A no-op update locks the row on PostgreSQL (SQLite serialises writers anyway).
    const locked = await trx.updateTable('shot_predictions').set((eb) => ({ disputed: eb.ref('disputed') })).where('id', '=', input.predictionId).executeTakeFirst();
    if (Number(locked.numUpdatedRows) === 0) throw new TipsterError('TIPSTER_ERR_NBA_PREDICTION_NOT_FOUND', { predictionId: input.predictionId });
    const before = await trx.selectFrom('shot_predictions').selectAll().where('id', '=', input.predictionId).executeTakeFirstOrThrow();
    const verdicts = await currentVerdicts(trx, input.predictionId);
    const previous = verdicts.get(input.userId);
    if (previous === outcome) return { prediction: toPrediction(before), change: 'unchanged' as const };
    await trx
      .insertInto('shot_verifications')
      .values({ prediction_id: input.predictionId, user_id: input.userId, outcome, verified_at_ms: nowMs, replaced_outcome: previous ?? null })
      .execute();
    verdicts.set(input.userId, outcome);
    const outcomes = new Set(verdicts.values());
    const label = outcomes.size === 1 ? outcome : null;
    const labelChanged = label !== before.verified_outcome;
    await trx
      .updateTable('shot_predictions')
      .set({
        verified_outcome: label,
        verified_by_user_id: label === null ? null : labelChanged ? input.userId : before.verified_by_user_id,
        verified_at_ms: label === null ? null : labelChanged ? nowMs : before.verified_at_ms,
        verifications: verdicts.size,
        disputed: outcomes.size > 1 ? 1 : 0,
      })
      .where('id', '=', input.predictionId)
      .execute();
    const after = await trx.selectFrom('shot_predictions').selectAll().where('id', '=', input.predictionId).executeTakeFirstOrThrow();
    return { prediction: toPrediction(after), change: previous === undefined ? ('recorded' as const) : ('updated' as const) };
  });
}

/** Each user's latest verdict on a prediction. */
async function currentVerdicts(db: Kysely<Database>, predictionId: string): Promise<Map<number, number>> {
  const rows = await db.selectFrom('shot_verifications').select(['user_id', 'outcome']).where('prediction_id', '=', predictionId).orderBy('id').execute();
  const verdicts = new Map<number, number>();
  for (const row of rows) verdicts.set(row.user_id, row.outcome);
  return verdicts;
}

/** The audit trail of a prediction, oldest first. */
export async function listShotVerifications(db: Kysely<Database>, predictionId: string): Promise<ShotVerification[]> {
  const rows = await db.selectFrom('shot_verifications').selectAll().where('prediction_id', '=', predictionId).orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    predictionId: r.prediction_id,
    userId: r.user_id,
    made: r.outcome === 1,
    verifiedAtMs: Number(r.verified_at_ms),
    replacedMade: r.replaced_outcome === null ? null : r.replaced_outcome === 1,
  }));
}

/**
 * A random prediction nobody has verified yet, for review; `excludeCreatedBy` skips a user's own
 * predictions. Undefined when none is left.
 */
export async function randomUnverifiedShotPrediction(db: Kysely<Database>, options: { excludeCreatedBy?: number } = {}): Promise<ShotPrediction | undefined> {
  let query = db.selectFrom('shot_predictions').selectAll().where('verifications', '=', 0);
  if (options.excludeCreatedBy !== undefined) {
    const user = options.excludeCreatedBy;
    query = query.where((eb) => eb.or([eb('created_by_user_id', 'is', null), eb('created_by_user_id', '<>', user)]));
  }
  const row = await query.orderBy(sql`random()`).limit(1).executeTakeFirst();
  return row === undefined ? undefined : toPrediction(row);
}

/** Predictions whose label came into being or changed after `afterMs` (all labelled ones for null). */
export async function countLabelledShotPredictions(db: Kysely<Database>, afterMs: number | null): Promise<number> {
  let query = db.selectFrom('shot_predictions').select((eb) => eb.fn.countAll<number>().as('n')).where('verified_outcome', 'is not', null);
  if (afterMs !== null) query = query.where('verified_at_ms', '>', afterMs);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Every labelled prediction as a training shot, placed on the UTC day its label was set. */
export async function loadVerifiedFeedbackShots(db: Kysely<Database>): Promise<LabelledNbaShot[]> {
  const rows = await db
    .selectFrom('shot_predictions')
    .selectAll()
    .where('verified_outcome', 'is not', null)
    .orderBy('verified_at_ms')
    .orderBy('id')
    .execute();
  return rows.map((row) => {
    const prediction = toPrediction(row);
    const dayMs = Math.floor(prediction.verifiedAtMs! / 86_400_000) * 86_400_000;
    return { ...prediction.shot, dayMs, gameId: null, made: prediction.verifiedOutcome! };
  });
}
