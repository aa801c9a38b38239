import { afterAll, beforeAll, expect, it } from 'vitest';
import { isTipsterError } from '../../src/core/errors.js';
import { describeShot } from '../../src/basketball/shot-description.js';
import {
  countLabelledShotPredictions,
  createShotPredictions,
  getShotPrediction,
  listShotVerifications,
  loadVerifiedFeedbackShots,
  randomUnverifiedShotPrediction,
  verifyShotPrediction,
} from '../../src/basketball/store/shot-predictions.js';
import type { Store } from '../../src/store/store.js';
import { describePerBackend, freshStore } from '../support/backends.js';

const shot = describeShot({ period: 2, clock: '4:10', locX: 1.5, locY: 30.55, actionType: 'Jump Shot', playerId: 1630166 });

describePerBackend('shot predictions and verifications', (backend) => {
  let store: Store;
  let clockMs = 1_000_000;
  const now = () => clockMs;
  beforeAll(async () => {
    store = await freshStore(backend);
  });
  afterAll(async () => {
    await store.close();
    await backend.cleanup();
  });

  const create = (count: number, createdByUserId: number | null = 5) =>
    createShotPredictions(
      store.db,
      Array.from({ length: count }, () => ({ modelName: 'nba-shot-make', modelVersion: 1, shot, features: { distance_ft: 25 }, probability: 0.37, createdByUserId })),
      { now },
    );

  it('stores predictions with the shot and features as scored, unlabelled', async () => {
    const [p] = await create(1);
    const stored = await getShotPrediction(store.db, p!.id);
    expect(stored).toEqual(p);
    expect(stored).toMatchObject({ modelVersion: 1, probability: 0.37, createdByUserId: 5, verifiedOutcome: null, verifications: 0, disputed: false });
    expect(stored.shot).toEqual(shot);
    expect(stored.shot).toMatchObject({ basicZone: 'Above the Break 3', shotType: '3PT Field Goal', distanceFt: 25, secondsLeft: 250 });
    await expect(getShotPrediction(store.db, 'no-such-id')).rejects.toSatisfy((e) => isTipsterError(e, 'TIPSTER_ERR_NBA_PREDICTION_NOT_FOUND'));
  });

  it('keeps one verdict per user, records every change in the trail, and labels only what verifiers agree on', async () => {
    const [p] = await create(1);
    const id = p!.id;
    clockMs = 2_000_000;
    const first = await verifyShotPrediction(store.db, { predictionId: id, userId: 1, made: true }, { now });
    expect(first.change).toBe('recorded');
    expect(first.prediction).toMatchObject({ verifiedOutcome: true, verifiedByUserId: 1, verifiedAtMs: 2_000_000, verifications: 1, disputed: false });

    // The same verdict again writes nothing; a changed verdict replaces the user's own.
    clockMs = 3_000_000;
    expect((await verifyShotPrediction(store.db, { predictionId: id, userId: 1, made: true }, { now })).change).toBe('unchanged');
    const changed = await verifyShotPrediction(store.db, { predictionId: id, userId: 1, made: false }, { now });
    expect(changed.change).toBe('updated');
    expect(changed.prediction).toMatchObject({ verifiedOutcome: false, verifiedAtMs: 3_000_000, verifications: 1 });

    // A second user agreeing confirms without making it a new label; disagreeing disputes it.
    clockMs = 4_000_000;
    const agreed = await verifyShotPrediction(store.db, { predictionId: id, userId: 2, made: false }, { now });
    expect(agreed.prediction).toMatchObject({ verifiedOutcome: false, verifiedByUserId: 1, verifiedAtMs: 3_000_000, verifications: 2 });
    clockMs = 5_000_000;
    const disputed = await verifyShotPrediction(store.db, { predictionId: id, userId: 3, made: true }, { now });
    expect(disputed.prediction).toMatchObject({ verifiedOutcome: null, verifiedAtMs: null, verifications: 3, disputed: true });
    // The dissenter reconsiders: the label is back, as a change, by their verdict.
    clockMs = 6_000_000;
    const settled = await verifyShotPrediction(store.db, { predictionId: id, userId: 3, made: false }, { now });
    expect(settled.prediction).toMatchObject({ verifiedOutcome: false, verifiedByUserId: 3, verifiedAtMs: 6_000_000, disputed: false });

    expect((await listShotVerifications(store.db, id)).map((v) => [v.userId, v.made, v.verifiedAtMs, v.replacedMade])).toEqual([
      [1, true, 2_000_000, null],
      [1, false, 3_000_000, true],
      [2, false, 4_000_000, null],
      [3, true, 5_000_000, null],
      [3, false, 6_000_000, true],
    ]);
  });

  it('counts new labels since an instant, serves labelled shots for training, and picks unverified ones at random', async () => {
    const before = await countLabelledShotPredictions(store.db, null);
    const fresh = await create(3, 9);
    clockMs = 7_000_000;
    await verifyShotPrediction(store.db, { predictionId: fresh[0]!.id, userId: 1, made: true }, { now });
    expect(await countLabelledShotPredictions(store.db, null)).toBe(before + 1);
    expect(await countLabelledShotPredictions(store.db, 6_500_000)).toBe(1);
    expect(await countLabelledShotPredictions(store.db, 7_000_000)).toBe(0);
    const shots = await loadVerifiedFeedbackShots(store.db);
    expect(shots.at(-1)).toMatchObject({ ...shot, made: true, gameId: null, dayMs: 0 });

    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const pick = await randomUnverifiedShotPrediction(store.db);
      expect(pick?.verifications).toBe(0);
      seen.add(pick!.id);
    }
    expect(seen.has(fresh[0]!.id)).toBe(false);
    expect(seen.size).toBeGreaterThan(1);
    // A reviewer is not handed their own predictions.
    for (let i = 0; i < 10; i++) expect((await randomUnverifiedShotPrediction(store.db, { excludeCreatedBy: 9 }))?.createdByUserId).not.toBe(9);
  });

  it('refuses a verification without a valid user or outcome, or of an unknown prediction', async () => {
    const [p] = await create(1);
    for (const input of [
      { predictionId: p!.id, userId: 0, made: true },
      { predictionId: p!.id, userId: 1, made: 'yes' as unknown as boolean },
    ]) {
      await expect(verifyShotPrediction(store.db, input)).rejects.toSatisfy((e) => isTipsterError(e, 'TIPSTER_ERR_NBA_VERIFICATION_INVALID'));
    }
    await expect(verifyShotPrediction(store.db, { predictionId: 'missing', userId: 1, made: true })).rejects.toSatisfy((e) =>
      isTipsterError(e, 'TIPSTER_ERR_NBA_PREDICTION_NOT_FOUND'),
    );
    expect(await listShotVerifications(store.db, p!.id)).toEqual([]);
  });
});
