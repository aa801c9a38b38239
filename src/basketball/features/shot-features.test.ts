import { describe, expect, it } from 'vitest';
import type { LabelledNbaShot } from '../nba-shot.js';
import { BASIC_ZONES, type BasicZone } from '../shot-vocabulary.js';
import { betaBinomialLogLikelihood, fitBetaPrior, shrunkRate } from './beta-binomial-prior.js';
import { ShootingSkill } from './shooting-skill.js';
import { leakFreeShotFeatures, SKILL_FEATURES, type ShotFeatureTable } from './shot-features.js';
import { mulberry32 as random } from '../../numeric/mulberry32.js';

const DAY_MS = 86_400_000;

/** Shots over `days` days by 30 players of 6 teams, each player with their own skill. */
function syntheticShots(seed: number, days: number, perDay: number): LabelledNbaShot[] {
  const rand = random(seed);
  const skill = Array.from({ length: 30 }, () => 0.3 + 0.3 * rand());
  const shots: LabelledNbaShot[] = [];
  for (let d = 0; d < days; d++) {
    for (let i = 0; i < perDay; i++) {
      const player = Math.floor(rand() * 30);
      const zone: BasicZone = BASIC_ZONES[Math.floor(rand() * 6)]!;
      const three = zone.includes('3');
      shots.push({
        playerId: 1000 + player,
        teamId: 10 + (player % 6),
        opponentTeamId: 10 + ((player + 1) % 6),
        isHome: rand() < 0.5,
        period: 1 + Math.floor(rand() * 4),
        secondsLeft: Math.floor(rand() * 720),
        locX: 0,
        locY: 10,
        distanceFt: three ? 25 : 5,
        basicZone: zone,
        zoneArea: 'Center',
        zoneRange: three ? '24+ ft.' : 'Less Than 8 ft.',
        shotType: three ? '3PT Field Goal' : '2PT Field Goal',
        actionType: 'Jump Shot',
        dayMs: Date.UTC(2023, 9, 24) + d * DAY_MS,
        gameId: d,
        made: rand() < skill[player]! - (three ? 0.1 : 0),
      });
    }
  }
  // The source is not sorted by date; neither is this.
  for (let i = shots.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [shots[i], shots[j]] = [shots[j]!, shots[i]!];
  }
  return shots;
}

const skillColumns = (table: ShotFeatureTable, row: number) => SKILL_FEATURES.map((f) => table.columns.get(f)![row]!);

describe('empirical-Bayes priors', () => {
  it('recovers the spread of rates across players (beta-binomial maximum likelihood)', () => {
    const rand = random(7);
    const groups = 400;
    const makes = new Float64Array(groups);
    const attempts = new Float64Array(groups);
    for (let g = 0; g < groups; g++) {
      // Beta(20, 30): mean 0.4, concentration 50, drawn as the mean of a 50-trial urn.
      let p = 0;
      for (let i = 0; i < 50; i++) p += rand() < 0.4 ? 1 : 0;
      const rate = (p + 0.5) / 51;
      attempts[g] = 20 + Math.floor(rand() * 200);
      for (let i = 0; i < attempts[g]!; i++) makes[g]! += rand() < rate ? 1 : 0;
    }
    const prior = fitBetaPrior(makes, attempts, groups, { mean: 0.5, concentration: 1 });
    expect(prior.mean).toBeCloseTo(0.4, 1);
    expect(prior.concentration).toBeGreaterThan(30);
    expect(prior.concentration).toBeLessThan(90);
    // It is a maximum: nearby concentrations fit worse.
    const at = (concentration: number) => betaBinomialLogLikelihood(makes, attempts, groups, { mean: prior.mean, concentration });
    expect(at(prior.concentration)).toBeGreaterThan(at(prior.concentration * 1.5));
    expect(at(prior.concentration)).toBeGreaterThan(at(prior.concentration / 1.5));
  });

  it('pools everyone when players differ by no more than chance, and shrinks the rare ones hardest', () => {
    const rand = random(11);
    const makes = new Float64Array(200);
    const attempts = new Float64Array(200).fill(100);
    for (let g = 0; g < 200; g++) for (let i = 0; i < 100; i++) makes[g]! += rand() < 0.45 ? 1 : 0;
    // Worth more than three times a player's 100 attempts: each estimate stays over 75% the pooled rate.
    expect(fitBetaPrior(makes, attempts, 200, { mean: 0.5, concentration: 1 }).concentration).toBeGreaterThan(300);
    const prior = { mean: 0.45, concentration: 60 };
    expect(shrunkRate(prior, 0, 0)).toBe(0.45);
    expect(shrunkRate(prior, 3, 3)).toBeCloseTo((27 + 3) / 63, 12);
    expect(Math.abs(shrunkRate(prior, 600, 1000) - 0.6)).toBeLessThan(0.01);
  });
});

describe('leak-free shot features', () => {
  const shots = syntheticShots(3, 12, 150);

  it('uses only shots of strictly earlier days: any outcome on day d or later leaves day d’s features alone', () => {
    const { table } = leakFreeShotFeatures(shots);
    for (const cutDay of [3, 7, 11]) {
      const cutMs = shots.reduce((min, s) => Math.min(min, s.dayMs), Infinity) + cutDay * DAY_MS;
      const flipped = shots.map((s) => (s.dayMs >= cutMs ? { ...s, made: !s.made } : s));
      const again = leakFreeShotFeatures(flipped).table;
      let changedLater = 0;
      shots.forEach((shot, r) => {
        if (shot.dayMs <= cutMs) expect(skillColumns(again, r), `row ${r}`).toEqual(skillColumns(table, r));
        else if (skillColumns(again, r).some((v, i) => v !== skillColumns(table, r)[i])) changedLater++;
      });
      if (cutDay < 11) expect(changedLater).toBeGreaterThan(0);
    }
  });

  it('gives each shot exactly the skill a fresh tracker fed every earlier day’s shots gives it', () => {
    const { table } = leakFreeShotFeatures(shots);
    const days = [...new Set(shots.map((s) => s.dayMs))].sort((a, b) => a - b);
    const features = { playerZonePct: 0, playerTypePct: 0, playerAttemptsLog: 0, teamZonePct: 0, opponentZonePct: 0 };
    for (const day of [days[1]!, days[6]!]) {
      const fresh = new ShootingSkill();
      for (const s of shots) if (s.dayMs < day) fresh.add(s, s.made, s.dayMs);
      shots.forEach((s, r) => {
        if (s.dayMs !== day) return;
        const f = fresh.featuresOf(s, features);
        expect(skillColumns(table, r)).toEqual([f.playerZonePct, f.playerTypePct, f.playerAttemptsLog, f.teamZonePct, f.opponentZonePct]);
      });
    }
  });

  it('has no skill on the first day, and gives a player new on a later day the prior’s rate', () => {
    const { table } = leakFreeShotFeatures(shots);
    const first = Math.min(...shots.map((s) => s.dayMs));
    const r0 = shots.findIndex((s) => s.dayMs === first);
    expect(skillColumns(table, r0).filter((v) => !Number.isNaN(v))).toEqual([0]);

    const rookie = { ...shots.find((s) => s.dayMs > first + 5 * DAY_MS && s.basicZone === 'Mid-Range')!, playerId: 99, made: true };
    const withRookie = [...shots, rookie];
    const { table: t2 } = leakFreeShotFeatures(withRookie);
    const veteran = shots.findIndex((s) => s.dayMs === rookie.dayMs && s.basicZone === 'Mid-Range');
    const rookieRow = withRookie.length - 1;
    // Same day, same zone: the rookie sits at the prior mean, the attempts feature says why.
    expect(t2.columns.get('player_attempts_log')![rookieRow]).toBe(0);
    expect(t2.columns.get('player_zone_pct')![rookieRow]).not.toBe(t2.columns.get('player_zone_pct')![veteran]);
    expect(t2.columns.get('team_zone_pct')![rookieRow]).toBe(t2.columns.get('team_zone_pct')![veteran]!);
  });

  it('keeps shots marked out of the history from ever informing another shot', () => {
    const feedback = shots.slice(0, 40).map((s) => ({ ...s, made: !s.made }));
    const together = [...shots, ...feedback];
    const { table } = leakFreeShotFeatures(together, { inHistory: (i) => i < shots.length });
    const { table: alone } = leakFreeShotFeatures(shots);
    for (let r = 0; r < shots.length; r++) expect(skillColumns(table, r)).toEqual(skillColumns(alone, r));
  });

  it('stores and reloads the skill tables with identical features', () => {
    const { skill } = leakFreeShotFeatures(shots);
    const reloaded = ShootingSkill.fromJSON(JSON.parse(JSON.stringify(skill.toJSON())), 'test');
    const a = { playerZonePct: 0, playerTypePct: 0, playerAttemptsLog: 0, teamZonePct: 0, opponentZonePct: 0 };
    const b = { ...a };
    for (const s of shots.slice(0, 50)) expect(reloaded.featuresOf(s, b)).toEqual(skill.featuresOf(s, a));
    expect(reloaded.teamOf(1003)).toBe(13);
  });
});
