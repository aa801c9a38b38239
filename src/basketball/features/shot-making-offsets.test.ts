import { describe, expect, it } from 'vitest';
import { TipsterError } from '../../core/errors.js';
import type { LabelledNbaShot } from '../nba-shot.js';
import type { BasicZone } from '../shot-vocabulary.js';
import { fitOffsetVariance, leakFreeOffsets, ShotMakingOffsets } from './shot-making-offsets.js';
import { mulberry32 as random } from '../../numeric/mulberry32.js';

const normal = (rand: () => number) => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

function shot(playerId: number | null, opponentTeamId: number | null, basicZone: BasicZone, day = 0, made = true): LabelledNbaShot {
  return {
    playerId,
    teamId: 1,
    opponentTeamId,
    isHome: true,
    period: 1,
    secondsLeft: 600,
    locX: 0,
    locY: 5,
    distanceFt: 1,
    basicZone,
    zoneArea: null,
    zoneRange: 'Less Than 8 ft.',
    shotType: basicZone.endsWith('3') ? '3PT Field Goal' : '2PT Field Goal',
    actionType: 'Jump Shot',
    dayMs: Date.UTC(2023, 10, 1) + day * 86_400_000,
    gameId: day,
    made,
  };
}

describe('fitOffsetVariance', () => {
  it('matches the closed form when every group has the same information: σ² = (mean U² − I) / I²', () => {
    const rand = random(1);
    const groups = 500;
    const info = 40;
    const u = Float64Array.from({ length: groups }, () => normal(rand) * Math.sqrt(info + 0.09 * info * info));
    const meanSquare = u.reduce((s, x) => s + x * x, 0) / groups;
    const exact = (meanSquare - info) / (info * info);
    expect(exact).toBeGreaterThan(0);
    const fitted = fitOffsetVariance(u, new Float64Array(groups).fill(info), groups);
    expect(Math.abs(fitted - exact) / exact).toBeLessThan(1e-6);
  });

  it('recovers a known spread from groups of unequal size within 15 %', () => {
    const rand = random(2);
    const groups = 3000;
    const sigma = 0.25;
    const info = Float64Array.from({ length: groups }, () => 5 + 120 * rand());
    const u = Float64Array.from(info, (I) => I * sigma * normal(rand) + Math.sqrt(I) * normal(rand));
    const fitted = Math.sqrt(fitOffsetVariance(u, info, groups));
    expect(Math.abs(fitted - sigma) / sigma).toBeLessThan(0.15);
  });

  it('goes to its floor when the scores spread no more than chance, and skips empty groups', () => {
    const info = Float64Array.of(50, 50, 50, 0);
    const u = Float64Array.of(1, -1, 0.5, 99);
    expect(fitOffsetVariance(u, info, 4)).toBeLessThan(2e-5);
  });
});

describe('ShotMakingOffsets', () => {
  it('shrinks each group by its own information: b̂ = σ² U / (1 + σ² I)', () => {
    const offsets = new ShotMakingOffsets();
    const rand = random(3);
    // 60 jump shooters with true offsets ±0.4 on shots expected at 40 %, 150 shots each.
    for (let player = 0; player < 60; player++) {
      const truth = player % 2 === 0 ? 0.4 : -0.4;
      for (let i = 0; i < 150; i++) offsets.add(shot(player, 1000 + (i % 3), 'Mid-Range'), rand() < sigmoid(Math.log(0.4 / 0.6) + truth), 0.4, 0);
    }
    const { 'player-jumper': variance } = offsets.variances();
    expect(Math.sqrt(variance)).toBeGreaterThan(0.25);
    expect(Math.sqrt(variance)).toBeLessThan(0.55);
    const json = offsets.toJSON();
    const [u, info] = json.groups[1]![0]!;
    expect(offsets.offsetOfGroup('player-jumper', 0)).toBeCloseTo((variance * u) / (1 + variance * info), 12);
    expect(info).toBeCloseTo(150 * 0.24, 9);
    let right = 0;
    for (let player = 0; player < 60; player++) if (Math.sign(offsets.offsetOfGroup('player-jumper', player)) === (player % 2 === 0 ? 1 : -1)) right++;
    expect(right).toBeGreaterThanOrEqual(54);
    expect(offsets.offsetOfGroup('player-jumper', 999)).toBe(0);
    expect(offsets.offsetOfGroup('player-inside', 0)).toBe(0);
  });

  it('sums the groups a shot belongs to: the shooter inside or on jumpers, and the defence; nothing for heaves', () => {
    const offsets = new ShotMakingOffsets();
    const rand = random(4);
    for (let i = 0; i < 4000; i++) {
      const player = i % 40;
      const defence = 1000 + (i % 8);
      const zone: BasicZone = Math.floor(i / 40) % 2 === 0 ? 'Restricted Area' : 'Above the Break 3';
      const z = (player % 2 === 0 ? 0.5 : -0.5) * (zone === 'Restricted Area' ? 1 : -1) + (defence % 2 === 0 ? 0.3 : -0.3);
      offsets.add(shot(player, defence, zone), rand() < sigmoid(z), 0.5, 0);
    }
    const inside = offsets.offsetOf(shot(2, 1002, 'In The Paint (Non-RA)'));
    expect(inside).toBeCloseTo(offsets.offsetOfGroup('player-inside', 2) + offsets.offsetOfGroup('defence', 1002), 12);
    expect(offsets.offsetOf(shot(2, 1002, 'Left Corner 3'))).toBeCloseTo(offsets.offsetOfGroup('player-jumper', 2) + offsets.offsetOfGroup('defence', 1002), 12);
    expect(offsets.offsetOfGroup('player-inside', 2)).toBeGreaterThan(0);
    expect(offsets.offsetOfGroup('player-jumper', 2)).toBeLessThan(0);
    expect(offsets.offsetOf(shot(null, 1002, 'Mid-Range'))).toBeCloseTo(offsets.offsetOfGroup('defence', 1002), 12);
    expect(offsets.offsetOf(shot(2, 1002, 'Backcourt'))).toBe(0);
  });

  it('reloads from JSON to the same offsets, and names what is wrong with a bad table', () => {
    const offsets = new ShotMakingOffsets();
    const rand = random(5);
    for (let i = 0; i < 2000; i++) offsets.add(shot(i % 30, 1000 + (i % 6), i % 3 === 0 ? 'Mid-Range' : 'Restricted Area', i % 10), rand() < 0.5 + (i % 30) / 100, 0.5, i % 10);
    const reloaded = ShotMakingOffsets.fromJSON(JSON.parse(JSON.stringify(offsets.toJSON())), 'test');
    for (let p = 0; p < 30; p++) expect(reloaded.offsetOf(shot(p, 1003, 'Mid-Range'))).toBe(offsets.offsetOf(shot(p, 1003, 'Mid-Range')));
    expect(reloaded.throughDayMs).toBe(offsets.throughDayMs);
    const bad = { ...offsets.toJSON(), groups: [{ 7: [1, -2] }, {}, {}] };
    expect(() => ShotMakingOffsets.fromJSON(bad, 'nba-shot-make version 3')).toThrow(TipsterError);
    expect(() => ShotMakingOffsets.fromJSON(bad, 'nba-shot-make version 3')).toThrow(/nba-shot-make version 3.*player-inside 7/);
    expect(() => offsets.add(shot(1, 1, 'Mid-Range'), true, Number.NaN, 0)).toThrow(/expected make probability NaN/);
  });
});

describe('leakFreeOffsets', () => {
  it("scores each day from earlier days' residuals only", () => {
    const rand = random(6);
    const shots: LabelledNbaShot[] = [];
    for (let day = 0; day < 6; day++) for (let i = 0; i < 600; i++) shots.push(shot(i % 20, 1000 + (i % 4), 'Mid-Range', day, rand() < ((i % 20) % 2 === 0 ? 0.6 : 0.4)));
    const expected = new Float64Array(shots.length).fill(0.5);
    const all = Int32Array.from(shots.keys());
    const targets = all.filter((r) => shots[r]!.dayMs >= shots[3 * 600]!.dayMs);
    const offsets = leakFreeOffsets(shots, expected, all, targets);
    // Day 3's offsets equal tables built from days 0–2 by hand...
    const byHand = new ShotMakingOffsets();
    for (let r = 0; r < 3 * 600; r++) byHand.add(shots[r]!, shots[r]!.made, 0.5, shots[r]!.dayMs);
    expect(offsets[0]).toBeCloseTo(byHand.offsetOf(shots[targets[0]!]!), 12);
    // ...and no outcome of day 3 or later changes any of them.
    const flipped = shots.map((s) => (s.dayMs >= shots[3 * 600]!.dayMs ? { ...s, made: !s.made } : s));
    const again = leakFreeOffsets(flipped, expected, all, targets);
    for (let i = 0; i < 600; i++) expect(again[i]).toBe(offsets[i]);
    // Day 4 does see day 3.
    expect(again[600]).not.toBe(offsets[600]);
    // The first day has nothing before it.
    expect(leakFreeOffsets(shots, expected, all, Int32Array.of(0, 1))).toEqual(Float64Array.of(0, 0));
  });
});
