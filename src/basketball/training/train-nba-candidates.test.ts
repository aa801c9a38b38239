import { beforeAll, describe, expect, it } from 'vitest';
import { createDataset } from '../../ml/dataset.js';
import { GradientBoostedTrees } from '../../ml/gradient-boosting/gradient-boosted-trees.js';
import { LogisticRegression } from '../../ml/logistic-regression.js';
import type { LabelledNbaShot } from '../nba-shot.js';
import { basicZoneAt, distanceFromHoopFt, shotTypeOfZone, wholeFeetFromHoop, zoneAreaAt, zoneRangeOf } from '../shot-geometry.js';
import { NbaShotModel } from './nba-shot-model.js';
import { prepareNbaTrainingData } from './nba-training-data.js';
import { bestCandidate, trainNbaCandidates, type TrainedCandidate } from './train-nba-candidates.js';
import { mulberry32 as random } from '../../numeric/mulberry32.js';

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const meanLogLoss = (p: ArrayLike<number>, y: ArrayLike<number>) => {
  let total = 0;
  for (let r = 0; r < y.length; r++) total -= y[r] ? Math.log(p[r]!) : Math.log(1 - p[r]!);
  return total / y.length;
};

describe('binary learners on data with a known answer', () => {
  it('logistic regression recovers the true coefficients', () => {
    const rand = random(1);
    const rows = 20_000;
    const values = new Float64Array(rows * 2);
    const labels = new Int32Array(rows);
    for (let r = 0; r < rows; r++) {
      const distance = 30 * rand();
      const home = rand() < 0.5 ? 1 : 0;
      values[r] = distance;
      values[rows + r] = home;
      labels[r] = rand() < sigmoid(0.9 - 0.06 * distance + 0.3 * home) ? 1 : 0;
    }
    const model = LogisticRegression.fit(createDataset({ featureNames: ['distance', 'home'], values, classNames: ['miss', 'make'], labels }), { l2: 1e-8 });
    expect(model.optimization.converged).toBe(true);
    // Standardised-space weights back on the original scale.
    const slope = (f: number) => model.coefficients[f]! / model.scales[f]!;
    const intercept = model.intercepts[0]! - slope(0) * model.means[0]! - slope(1) * model.means[1]!;
    expect(slope(0)).toBeCloseTo(-0.06, 2);
    expect(Math.abs(slope(1) - 0.3)).toBeLessThan(0.07);
    expect(Math.abs(intercept - 0.9)).toBeLessThan(0.07);
  });

  it('gradient-boosted trees learn a categorical effect natively and come close to the Bayes log loss', () => {
    const rand = random(2);
    const effects = [1.2, 0.4, 0, -0.5, -1.0, 0.8];
    const make = (rows: number) => {
      const values = new Float64Array(rows * 2);
      const labels = new Int32Array(rows);
      const truth = new Float64Array(rows);
      for (let r = 0; r < rows; r++) {
        const action = Math.floor(rand() * effects.length);
        const distance = 28 * rand();
        values[r] = action;
        values[rows + r] = distance;
        truth[r] = sigmoid(effects[action]! - 0.05 * distance + (distance < 4 ? 0.7 : 0));
        labels[r] = rand() < truth[r]! ? 1 : 0;
      }
      return { data: createDataset({ featureNames: ['action', 'distance'], featureKinds: ['categorical', 'numeric'], values, classNames: ['miss', 'make'], labels }), truth };
    };
    const train = make(20_000);
    const validation = make(5_000);
    const test = make(10_000);
    const model = GradientBoostedTrees.fit(train.data, { learningRate: 0.1, maxIterations: 500, maxLeafNodes: 15, minSamplesLeaf: 50 }, validation.data);
    expect(model.trainingCurve?.stoppedEarly).toBe(true);
    const raw = model.predictProba(test.data);
    const p = Float64Array.from({ length: test.data.rows }, (_, r) => raw[2 * r + 1]!);
    let gap = 0;
    for (let r = 0; r < p.length; r++) gap += Math.abs(p[r]! - test.truth[r]!);
    expect(gap / p.length).toBeLessThan(0.03);
    expect(meanLogLoss(p, test.data.labels) - meanLogLoss(test.truth, test.data.labels)).toBeLessThan(0.004);
  });
});

/**
 * Shots whose make probability is known: location and action set a base rate, and each of 40 players
 * shoots 0.5 log-odds better or worse than it (a strong, stable skill the data can reveal).
 */
function shotsWithSkill(seed: number, days: number, perDay: number): { shots: LabelledNbaShot[]; truth: number[] } {
  const rand = random(seed);
  const skill = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 0.5 : -0.5));
  const shots: LabelledNbaShot[] = [];
  const truth: number[] = [];
  for (let d = 0; d < days; d++) {
    for (let i = 0; i < perDay; i++) {
      const player = Math.floor(rand() * 40);
      const angle = (rand() - 0.5) * Math.PI;
      const distance = rand() < 0.4 ? 3 * rand() : 4 + 24 * rand();
      const locX = Math.round(distance * Math.sin(angle) * 10) / 10;
      const locY = Math.round((5.25 + distance * Math.cos(angle)) * 10) / 10;
      const zone = basicZoneAt(locX, locY);
      const type = shotTypeOfZone(zone);
      const dunk = distance < 3 && rand() < 0.3;
      const p = sigmoid(0.8 - 0.07 * distanceFromHoopFt(locX, locY) + (dunk ? 1.5 : 0) + skill[player]!);
      truth.push(p);
      shots.push({
        playerId: 100 + player,
        teamId: 1 + (player % 5),
        opponentTeamId: 1 + ((player + 2) % 5),
        isHome: player % 3 === 0,
        period: 1 + (i % 4),
        secondsLeft: Math.floor(rand() * 720),
        locX,
        locY,
        distanceFt: wholeFeetFromHoop(locX, locY),
        basicZone: zone,
        zoneArea: zoneAreaAt(locX, locY, zone),
        zoneRange: zoneRangeOf(wholeFeetFromHoop(locX, locY), zone, type),
        shotType: type,
        actionType: dunk ? 'Dunk Shot' : 'Jump Shot',
        dayMs: Date.UTC(2023, 9, 24) + d * 86_400_000,
        gameId: d,
        made: rand() < p,
      });
    }
  }
  return { shots, truth };
}

describe('NBA shot candidates', () => {
  const { shots, truth } = shotsWithSkill(5, 16, 700);
  const data = prepareNbaTrainingData(shots);
  let trained: TrainedCandidate[];
  let byName: Map<string, TrainedCandidate>;
  beforeAll(async () => {
    trained = await trainNbaCandidates(['logistic-base', 'logistic-skill', 'gbt-base', 'gbt-skill', 'gbt-skill-platt', 'gbt-skill-offsets'], data);
    byName = new Map(trained.map((t) => [t.candidate, t]));
  });

  it('splits by day: fit, then validation, then held-out days', () => {
    const day = (r: number) => shots[r]!.dayMs;
    expect(Math.max(...Array.from(data.fitRows, day))).toBeLessThan(Math.min(...Array.from(data.validationRows, day)));
    expect(Math.max(...Array.from(data.validationRows, day))).toBeLessThan(Math.min(...Array.from(data.holdoutRows, day)));
    expect(data.holdoutRows.length).toBe(4 * 700);
  });

  it('find real shooting skill: the skill features beat the same learner without them', () => {
    expect(byName.get('logistic-skill')!.holdout.log_loss).toBeLessThan(byName.get('logistic-base')!.holdout.log_loss - 0.01);
    expect(byName.get('gbt-skill')!.holdout.log_loss).toBeLessThan(byName.get('gbt-base')!.holdout.log_loss - 0.01);
    expect(byName.get('gbt-skill-offsets')!.holdout.log_loss).toBeLessThan(byName.get('gbt-base')!.holdout.log_loss - 0.01);
  });

  it('shot-making offsets sit on top of gbt-base\'s own trees and recover the players\' ±0.5 log-odds, shrunk', () => {
    const offsets = byName.get('gbt-skill-offsets')!;
    expect(offsets.model.learner.model).toBe(byName.get('gbt-base')!.model.learner.model);
    expect(offsets.params.shot_making_offsets).toBe(true);
    // 16 days × 700 shots over 40 players: ~280 shots each, about half of them jumpers. The truth
    // is ±0.5 for every player and 0 for every defence.
    const variances = offsets.model.offsets!.variances();
    for (const group of ['player-inside', 'player-jumper'] as const) {
      expect(Math.sqrt(variances[group])).toBeGreaterThan(0.3);
      expect(Math.sqrt(variances[group])).toBeLessThan(0.7);
    }
    expect(Math.sqrt(variances.defence)).toBeLessThan(0.1);
    const jumpers = Array.from({ length: 40 }, (_, player) => offsets.model.offsets!.offsetOfGroup('player-jumper', 100 + player));
    expect(jumpers.filter((b, player) => Math.sign(b) === (player % 2 === 0 ? 1 : -1)).length).toBeGreaterThanOrEqual(36);
    const meanSize = jumpers.reduce((s, b) => s + Math.abs(b), 0) / 40;
    expect(meanSize).toBeGreaterThan(0.25);
    expect(meanSize).toBeLessThan(0.5);
    // Scored through the model, a good shooter's jumper is above gbt-base's, a poor one's below.
    const sample = shots.filter((s) => s.basicZone === 'Mid-Range').slice(0, 50);
    const base = byName.get('gbt-base')!.model.score(sample);
    offsets.model.score(sample).forEach((scored, i) => {
      const { expected_probability: expected, shooter_offset: shooter, defence_offset: defence } = scored.features as Record<string, number>;
      expect(expected).toBe(base[i]!.probability);
      expect(shooter).not.toBe(0);
      expect(Math.sign(scored.probability - expected!)).toBe(Math.sign(shooter! + defence!));
      expect(scored.probability).toBeCloseTo(1 / (1 + Math.exp(-(Math.log(expected! / (1 - expected!)) + shooter! + defence!))), 12);
    });
  });

  it('come within a whisker of the best possible log loss, and the best is chosen', () => {
    const holdoutTruth = Array.from(data.holdoutRows, (r) => truth[r]!);
    const bayes = meanLogLoss(holdoutTruth, Array.from(data.holdoutRows, (r) => data.made[r]!));
    const best = bestCandidate(trained);
    expect(best.holdout.log_loss).toBe(Math.min(...trained.map((t) => t.holdout.log_loss)));
    expect(best.holdout.log_loss - bayes).toBeLessThan(0.01);
    expect(best.holdout.auc).toBeGreaterThan(0.7);
  });

  it('store as JSON and score the same shots identically after reloading', () => {
    for (const t of trained) {
      const reloaded = NbaShotModel.fromJSON(JSON.parse(JSON.stringify(t.model.toJSON())), t.candidate);
      const sample = shots.slice(0, 200);
      expect(reloaded.score(sample).map((s) => s.probability)).toEqual(t.model.score(sample).map((s) => s.probability));
    }
  });
});
