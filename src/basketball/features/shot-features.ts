import type { FeatureKind } from '../../ml/dataset.js';
import type { LabelledNbaShot, NbaShot } from '../nba-shot.js';
import { shotAngleDeg } from '../shot-geometry.js';
import { BASIC_ZONES, ZONE_AREAS, ZONE_RANGES } from '../shot-vocabulary.js';
import { ShootingSkill, type SkillFeatures } from './shooting-skill.js';

/** What a shot looks like before it is taken: where, what kind, when in the game, home or away. */
export const BASE_FEATURES = [
  'loc_x',
  'loc_y',
  'distance_ft',
  'abs_angle_deg',
  'basic_zone',
  'zone_area',
  'zone_range',
  'is_three',
  'action_type',
  'period',
  'seconds_left',
  'is_home',
] as const;

/** Who takes it: shrunk make rates estimated from strictly earlier game days. */
export const SKILL_FEATURES = ['player_zone_pct', 'player_type_pct', 'player_attempts_log', 'team_zone_pct', 'opponent_zone_pct'] as const;

/** Every feature name. */
export type ShotFeature = (typeof BASE_FEATURES)[number] | (typeof SKILL_FEATURES)[number];

/** Named feature lists models choose from. */
export const FEATURE_SETS = {
  base: BASE_FEATURES,
  skill: [...BASE_FEATURES, ...SKILL_FEATURES],
} as const satisfies Record<string, readonly ShotFeature[]>;
/** A key of FEATURE_SETS. */
export type FeatureSetName = keyof typeof FEATURE_SETS;

/** True when `value` names a feature set. */
export function isFeatureSetName(value: unknown): value is FeatureSetName {
  return value === 'base' || value === 'skill';
}

/** Categorical features (unordered codes); the rest are numbers. */
export const CATEGORICAL_FEATURES: ReadonlySet<ShotFeature> = new Set(['basic_zone', 'zone_area', 'zone_range', 'action_type']);

/** How a learner sees a feature. */
export function featureKind(feature: ShotFeature): FeatureKind {
  return CATEGORICAL_FEATURES.has(feature) ? 'categorical' : 'numeric';
}

/**
 * Feature values of many shots, one Float64Array per feature (NaN = missing). Fixed vocabularies
 * (zones, ranges) are coded by their index; the action type stays text because each model keeps
 * its own vocabulary of the action types it was trained on.
 */
export interface ShotFeatureTable {
  readonly rows: number;
  readonly columns: ReadonlyMap<Exclude<ShotFeature, 'action_type'>, Float64Array>;
  readonly actionTypes: readonly (string | null)[];
}

const NUMERIC_COLUMNS = [...BASE_FEATURES.filter((f) => f !== 'action_type'), ...SKILL_FEATURES] as Exclude<ShotFeature, 'action_type'>[];

class TableBuilder {
  readonly columns: Map<Exclude<ShotFeature, 'action_type'>, Float64Array>;
  readonly actionTypes: (string | null)[];
  readonly #skill: SkillFeatures = { playerZonePct: 0, playerTypePct: 0, playerAttemptsLog: 0, teamZonePct: 0, opponentZonePct: 0 };

  constructor(readonly rows: number) {
    this.columns = new Map(NUMERIC_COLUMNS.map((name) => [name, new Float64Array(rows)]));
    this.actionTypes = new Array<string | null>(rows).fill(null);
  }

  set(row: number, shot: NbaShot, skill: ShootingSkill): void {
    const c = this.columns;
    const hasLocation = shot.locX !== null && shot.locY !== null;
    c.get('loc_x')![row] = shot.locX ?? Number.NaN;
    c.get('loc_y')![row] = shot.locY ?? Number.NaN;
    c.get('distance_ft')![row] = shot.distanceFt;
    c.get('abs_angle_deg')![row] = hasLocation ? Math.abs(shotAngleDeg(shot.locX!, shot.locY!)) : Number.NaN;
    c.get('basic_zone')![row] = BASIC_ZONES.indexOf(shot.basicZone);
    c.get('zone_area')![row] = shot.zoneArea === null ? Number.NaN : ZONE_AREAS.indexOf(shot.zoneArea);
    c.get('zone_range')![row] = ZONE_RANGES.indexOf(shot.zoneRange);
    c.get('is_three')![row] = shot.shotType === '3PT Field Goal' ? 1 : 0;
    c.get('period')![row] = shot.period;
    c.get('seconds_left')![row] = shot.secondsLeft;
    c.get('is_home')![row] = shot.isHome === null ? Number.NaN : shot.isHome ? 1 : 0;
    this.actionTypes[row] = shot.actionType;
    const s = skill.featuresOf(shot, this.#skill);
    c.get('player_zone_pct')![row] = s.playerZonePct;
    c.get('player_type_pct')![row] = s.playerTypePct;
    c.get('player_attempts_log')![row] = s.playerAttemptsLog;
    c.get('team_zone_pct')![row] = s.teamZonePct;
    c.get('opponent_zone_pct')![row] = s.opponentZonePct;
  }

  build(): ShotFeatureTable {
    return { rows: this.rows, columns: this.columns, actionTypes: this.actionTypes };
  }
}

/** Options of leakFreeShotFeatures. */
export interface LeakFreeOptions {
  /**
   * Whether a shot's outcome joins the skill history once its day has passed (default: all do).
   * Feedback shots used for training are scored but kept out of the history, so shots evaluated
   * later never see them.
   */
  readonly inHistory?: (index: number) => boolean;
}

/**
 * Features of labelled shots in which every skill estimate uses only shots from strictly earlier
 * game days (tip-off times are not in the data, so a day's games count as simultaneous): day by
 * day, the day's features are computed first and its outcomes added after. Rows of the result are
 * in the order of `shots`, which may be in any order. Also returns the skill tables after the last
 * day (every shot counted), which is what serving needs.
 */
export function leakFreeShotFeatures(shots: readonly LabelledNbaShot[], options: LeakFreeOptions = {}): { table: ShotFeatureTable; skill: ShootingSkill } {
  const order = Int32Array.from(shots.keys()).sort((a, b) => shots[a]!.dayMs - shots[b]!.dayMs || a - b);
  const skill = new ShootingSkill();
  const builder = new TableBuilder(shots.length);
  const inHistory = options.inHistory ?? (() => true);
  let start = 0;
  while (start < order.length) {
    const day = shots[order[start]!]!.dayMs;
    let end = start;
    while (end < order.length && shots[order[end]!]!.dayMs === day) end++;
    for (let i = start; i < end; i++) builder.set(order[i]!, shots[order[i]!]!, skill);
    for (let i = start; i < end; i++) {
      const index = order[i]!;
      if (inHistory(index)) skill.add(shots[index]!, shots[index]!.made, day);
    }
    start = end;
  }
  return { table: builder.build(), skill };
}

/** Features of shots scored against fixed skill tables (serving: the tables of a model version). */
export function shotFeaturesFromSkill(shots: readonly NbaShot[], skill: ShootingSkill): ShotFeatureTable {
  const builder = new TableBuilder(shots.length);
  for (let r = 0; r < shots.length; r++) builder.set(r, shots[r]!, skill);
  return builder.build();
}

/** Rows `indices` of a table, in that order. */
export function selectRows(table: ShotFeatureTable, indices: ArrayLike<number>): ShotFeatureTable {
  const columns = new Map<Exclude<ShotFeature, 'action_type'>, Float64Array>();
  for (const [name, column] of table.columns) {
    const out = new Float64Array(indices.length);
    for (let i = 0; i < indices.length; i++) out[i] = column[indices[i]!]!;
    columns.set(name, out);
  }
  const actionTypes = Array.from({ length: indices.length }, (_, i) => table.actionTypes[indices[i]!]!);
  return { rows: indices.length, columns, actionTypes };
}

/** One row as a plain object (feature name → value or zone name, null for missing), e.g. to store with a prediction. */
export function featureRowObject(table: ShotFeatureTable, row: number): Record<string, number | string | null> {
  const out: Record<string, number | string | null> = {};
  for (const name of [...BASE_FEATURES, ...SKILL_FEATURES]) {
    if (name === 'action_type') {
      out[name] = table.actionTypes[row] ?? null;
      continue;
    }
    const value = table.columns.get(name)![row]!;
    const vocabulary = name === 'basic_zone' ? BASIC_ZONES : name === 'zone_area' ? ZONE_AREAS : name === 'zone_range' ? ZONE_RANGES : null;
    out[name] = Number.isNaN(value) ? null : vocabulary ? vocabulary[value]! : value;
  }
  return out;
}
