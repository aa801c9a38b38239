import { TipsterError } from '../../core/errors.js';
import { createFeatureMatrix, type FeatureKind, type FeatureMatrix } from '../../ml/dataset.js';
import { logit } from '../../ml/calibration.js';
import { BASIC_ZONES, ZONE_AREAS, ZONE_RANGES } from '../shot-vocabulary.js';
import { FEATURE_SETS, featureKind, isFeatureSetName, type FeatureSetName, type ShotFeature, type ShotFeatureTable } from './shot-features.js';

/** Most action types a model codes (the trees' bins hold 255 categories); rarer ones count as missing. */
const MAX_ACTION_TYPES = 250;
/** Action types seen fewer times than this in training share one "other" column in the logistic design. */
const MIN_LOGISTIC_ACTION_COUNT = 20;

/** Stored form of an encoder. */
export interface ShotEncoderJson {
  readonly featureSet: FeatureSetName;
  /** Action types in code order (most frequent first). */
  readonly actionTypes: readonly string[];
  /** The action types with their own one-hot column in the logistic design. */
  readonly logisticActionTypes: readonly string[];
}

const SKILL_RATES: ReadonlySet<ShotFeature> = new Set(['player_zone_pct', 'player_type_pct', 'team_zone_pct', 'opponent_zone_pct']);

/**
 * Turns a ShotFeatureTable into what a learner fits on, with the vocabulary of action types fixed at
 * training time (stored with the model, so serving codes them the same way). Trees get the features
 * as they are, categorical ones as codes; logistic regression gets a design matrix: one-hot zones
 * and action types, log distance, and skill rates on the log-odds scale.
 */
export class ShotEncoder {
  readonly featureSet: FeatureSetName;
  readonly actionTypes: readonly string[];
  readonly logisticActionTypes: readonly string[];
  readonly #actionCode: ReadonlyMap<string, number>;
  readonly #logisticActionColumn: ReadonlyMap<string, number>;

  private constructor(json: ShotEncoderJson) {
    this.featureSet = json.featureSet;
    this.actionTypes = Object.freeze([...json.actionTypes]);
    this.logisticActionTypes = Object.freeze([...json.logisticActionTypes]);
    this.#actionCode = new Map(json.actionTypes.map((a, i) => [a, i]));
    this.#logisticActionColumn = new Map(json.logisticActionTypes.map((a, i) => [a, i]));
  }

  /** Learns the action-type vocabulary from training rows. */
  static fit(table: ShotFeatureTable, featureSet: FeatureSetName): ShotEncoder {
    const counts = new Map<string, number>();
    for (const action of table.actionTypes) if (action !== null) counts.set(action, (counts.get(action) ?? 0) + 1);
    const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    return new ShotEncoder({
      featureSet,
      actionTypes: ranked.slice(0, MAX_ACTION_TYPES).map(([a]) => a),
      logisticActionTypes: ranked.filter(([, n]) => n >= MIN_LOGISTIC_ACTION_COUNT).map(([a]) => a),
    });
  }

  /** Rebuilds a stored encoder. */
  static fromJSON(value: unknown, where: string): ShotEncoder {
    const json = (value ?? {}) as Partial<ShotEncoderJson>;
    const strings = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string');
    if (!isFeatureSetName(json.featureSet) || !strings(json.actionTypes) || !strings(json.logisticActionTypes)) {
      throw new TipsterError('TIPSTER_ERR_MODEL_CONFIG_INVALID', { where, reason: 'encoder needs featureSet, actionTypes and logisticActionTypes' });
    }
    return new ShotEncoder(json as ShotEncoderJson);
  }

  toJSON(): ShotEncoderJson {
    return { featureSet: this.featureSet, actionTypes: [...this.actionTypes], logisticActionTypes: [...this.logisticActionTypes] };
  }

  /** The features of this encoder's set as they are (for trees); categorical ones as codes. */
  treeMatrix(table: ShotFeatureTable): FeatureMatrix {
    const features = FEATURE_SETS[this.featureSet];
    const rows = table.rows;
    const values = new Float64Array(rows * features.length);
    features.forEach((feature, f) => {
      if (feature === 'action_type') {
        for (let r = 0; r < rows; r++) {
          const action = table.actionTypes[r];
          values[f * rows + r] = action === null || action === undefined ? Number.NaN : (this.#actionCode.get(action) ?? Number.NaN);
        }
      } else {
        values.set(table.columns.get(feature)!, f * rows);
      }
    });
    return createFeatureMatrix({ featureNames: features, featureKinds: features.map(featureKind), values });
  }

  /** Column names of the logistic design, in order. */
  logisticFeatureNames(): string[] {
    const names: string[] = [];
    for (const feature of FEATURE_SETS[this.featureSet]) {
      if (feature === 'basic_zone') names.push(...BASIC_ZONES.map((z) => `zone=${z}`));
      else if (feature === 'zone_area') names.push(...ZONE_AREAS.map((a) => `area=${a}`));
      else if (feature === 'zone_range') names.push(...ZONE_RANGES.map((r) => `range=${r}`));
      else if (feature === 'action_type') names.push(...this.logisticActionTypes.map((a) => `action=${a}`), 'action=(other)');
      else if (feature === 'distance_ft') names.push('distance_ft', 'log_distance');
      else if (feature === 'period') names.push('period', 'overtime');
      else if (feature === 'seconds_left') names.push('seconds_left', 'last_5_seconds');
      else if (SKILL_RATES.has(feature)) names.push(`logit_${feature}`);
      else names.push(feature);
    }
    return names;
  }

  /** The logistic-regression design matrix of a table (every column numeric). */
  logisticMatrix(table: ShotFeatureTable): FeatureMatrix {
    const names = this.logisticFeatureNames();
    const rows = table.rows;
    const values = new Float64Array(rows * names.length);
    let at = 0;
    const column = () => values.subarray(at * rows, ++at * rows);
    const oneHot = (codes: Float64Array, size: number) => {
      const first = at;
      at += size;
      for (let r = 0; r < rows; r++) {
        const code = codes[r]!;
        if (code === code) values[(first + code) * rows + r] = 1;
      }
    };
    for (const feature of FEATURE_SETS[this.featureSet]) {
      if (feature === 'basic_zone') oneHot(table.columns.get('basic_zone')!, BASIC_ZONES.length);
      else if (feature === 'zone_area') oneHot(table.columns.get('zone_area')!, ZONE_AREAS.length);
      else if (feature === 'zone_range') oneHot(table.columns.get('zone_range')!, ZONE_RANGES.length);
      else if (feature === 'action_type') {
        const first = at;
        const size = this.logisticActionTypes.length + 1;
        at += size;
        for (let r = 0; r < rows; r++) {
          const action = table.actionTypes[r];
          if (action === null || action === undefined) continue;
          const index = this.#logisticActionColumn.get(action) ?? size - 1;
          values[(first + index) * rows + r] = 1;
        }
      } else if (feature === 'distance_ft') {
        const distance = table.columns.get('distance_ft')!;
        column().set(distance);
        const logDistance = column();
        for (let r = 0; r < rows; r++) logDistance[r] = Math.log1p(distance[r]!);
      } else if (feature === 'period') {
        const period = table.columns.get('period')!;
        column().set(period);
        const overtime = column();
        for (let r = 0; r < rows; r++) overtime[r] = period[r]! >= 5 ? 1 : 0;
      } else if (feature === 'seconds_left') {
        const seconds = table.columns.get('seconds_left')!;
        column().set(seconds);
        const last = column();
        for (let r = 0; r < rows; r++) last[r] = seconds[r]! <= 5 ? 1 : 0;
      } else if (SKILL_RATES.has(feature)) {
        const rate = table.columns.get(feature)!;
        const out = column();
        for (let r = 0; r < rows; r++) out[r] = rate[r]! === rate[r]! ? logit(rate[r]!) : Number.NaN;
      } else {
        column().set(table.columns.get(feature)!);
      }
    }
    const kinds: FeatureKind[] = names.map(() => 'numeric');
    return createFeatureMatrix({ featureNames: names, featureKinds: kinds, values });
  }
}
