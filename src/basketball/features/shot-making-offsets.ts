import { TipsterError } from '../../core/errors.js';
import { goldenSectionMinimum } from '../../numeric/golden-section.js';
import type { LabelledNbaShot, NbaShot } from '../nba-shot.js';
import { zoneFamilyOf } from './shooting-skill.js';

/**
 * Groups a shot's make probability is offset by: the shooter on shots inside (rim and paint), the
 * shooter on jumpers (mid-range and threes), and the defending team. Backcourt heaves get none.
 */
export const OFFSET_GROUPS = ['player-inside', 'player-jumper', 'defence'] as const;
/** One of OFFSET_GROUPS. */
export type OffsetGroup = (typeof OFFSET_GROUPS)[number];
const GROUPS = OFFSET_GROUPS.length;

/** The id of the shot's group of each kind (index as in OFFSET_GROUPS), or null when it has none. */
function groupIdOf(group: number, shot: NbaShot): number | null {
  const family = zoneFamilyOf(shot.basicZone);
  if (family < 0) return null;
  switch (group) {
    case 0:
      return family <= 1 ? shot.playerId : null;
    case 1:
      return family >= 2 ? shot.playerId : null;
    default:
      return shot.opponentTeamId;
  }
}

/** A log-odds spread is searched between these variances (σ from 0.003 to 2). */
const LOG_VARIANCE_LOW = Math.log(1e-5);
const LOG_VARIANCE_HIGH = Math.log(4);

/**
 * σ² of group offsets b ~ N(0, σ²) by marginal likelihood. Each group's score U = Σ (y − p) and
 * information I = Σ p(1 − p), with p the expected make probability, behave as U | b ≈ N(I b, I), so
 * U ~ N(0, I + σ² I²); σ² minimises Σ log(I + σ² I²) + U² / (I + σ² I²) (golden-section search on
 * log σ², 60 steps). Groups with no information are skipped; none at all gives the lower bound.
 */
export function fitOffsetVariance(scores: Float64Array, information: Float64Array, count: number): number {
  const objective = (logVariance: number): number => {
    const variance = Math.exp(logVariance);
    let total = 0;
    for (let i = 0; i < count; i++) {
      const info = information[i]!;
      if (!(info > 0)) continue;
      const v = info + variance * info * info;
      total += Math.log(v) + (scores[i]! * scores[i]!) / v;
    }
    return total;
  };
  return Math.exp(goldenSectionMinimum(objective, LOG_VARIANCE_LOW, LOG_VARIANCE_HIGH, 60));
}

/** Identifies stored offset tables. */
export const OFFSETS_FORMAT = 'tipster.nba-shot-making-offsets';
export const OFFSETS_VERSION = 1;

/** Stored tables: per group kind, each group's score and information, and the fitted variances. */
export interface ShotMakingOffsetsJson {
  readonly format: typeof OFFSETS_FORMAT;
  readonly version: typeof OFFSETS_VERSION;
  readonly throughDayMs: number | null;
  /** σ² per group kind, in OFFSET_GROUPS order. */
  readonly variances: readonly number[];
  /** Per group kind: group id → [U, I]. */
  readonly groups: readonly Readonly<Record<string, readonly [number, number]>>[];
}

/**
 * Shot-making above expectation, shrunk by empirical Bayes. Every labelled shot adds y − p to its
 * groups' scores and p(1 − p) to their information, where p is what a model that knows only the
 * shot (location, action, clock) expected. A group's offset is the posterior mean
 * b̂ = σ² U / (1 + σ² I) (one Newton step from 0 under the N(0, σ²) prior), with σ² fitted by
 * marginal likelihood across the groups of its kind: the data decide how far to trust a player's
 * record, so a rookie's offset is 0 and a spread indistinguishable from chance gives offsets near 0.
 *
 * A shot's offset is the sum over its groups, added to the expectation's log-odds. Unlike raw
 * make rates, the residuals do not repeat what the location already says (centres make more
 * because they shoot at the rim, not because they shoot better). Callers decide what "so far"
 * means: evaluation adds a day's shots only after scoring that day.
 */
export class ShotMakingOffsets {
  readonly #scores = Array.from({ length: GROUPS }, () => new Map<number, number>());
  readonly #information = Array.from({ length: GROUPS }, () => new Map<number, number>());
  #variances = new Float64Array(GROUPS);
  #stale = false;
  #throughDayMs: number | null = null;

  /** Counts one labelled shot whose expected make probability was `expected`. */
  add(shot: NbaShot, made: boolean, expected: number, dayMs: number): void {
    if (!(expected >= 0 && expected <= 1)) {
      throw new TipsterError('TIPSTER_ERR_MODEL_CONFIG_INVALID', { where: 'shot-making offsets', reason: `expected make probability ${expected} is not in [0, 1]` });
    }
    const p = Math.min(Math.max(expected, 1e-6), 1 - 1e-6);
    const residual = (made ? 1 : 0) - p;
    const info = p * (1 - p);
    for (let g = 0; g < GROUPS; g++) {
      const id = groupIdOf(g, shot);
      if (id === null) continue;
      this.#scores[g]!.set(id, (this.#scores[g]!.get(id) ?? 0) + residual);
      this.#information[g]!.set(id, (this.#information[g]!.get(id) ?? 0) + info);
    }
    this.#stale = true;
    if (this.#throughDayMs === null || dayMs > this.#throughDayMs) this.#throughDayMs = dayMs;
  }

  /** The last day whose shots are counted, or null before any. */
  get throughDayMs(): number | null {
    return this.#throughDayMs;
  }

  /** Fitted σ² per group kind (refitted first if shots were added since). */
  variances(): Readonly<Record<OffsetGroup, number>> {
    this.#refit();
    return Object.fromEntries(OFFSET_GROUPS.map((name, g) => [name, this.#variances[g]!])) as Record<OffsetGroup, number>;
  }

  #refit(): void {
    if (!this.#stale) return;
    for (let g = 0; g < GROUPS; g++) {
      const scores = Float64Array.from(this.#scores[g]!.values());
      const information = Float64Array.from(this.#information[g]!.values());
      this.#variances[g] = scores.length === 0 ? 0 : fitOffsetVariance(scores, information, scores.length);
    }
    this.#stale = false;
  }

  /** The shrunk offset of one group (0 for a group never seen). */
  offsetOfGroup(group: OffsetGroup, id: number): number {
    this.#refit();
    return this.#posteriorMean(OFFSET_GROUPS.indexOf(group), id);
  }

  /** b̂ = σ²U / (1 + σ²I) of group `id` of kind `g` (variances already fitted). */
  #posteriorMean(g: number, id: number): number {
    const variance = this.#variances[g]!;
    return (variance * (this.#scores[g]!.get(id) ?? 0)) / (1 + variance * (this.#information[g]!.get(id) ?? 0));
  }

  /** Σ b̂ over the shot's groups: the log-odds to add to the expectation's (the shot itself must not have been added). */
  offsetOf(shot: NbaShot): number {
    const { shooter, defence } = this.partsOf(shot);
    return shooter + defence;
  }

  /** The shot's offset split into the shooter's (inside or jumpers, whichever the shot is) and the defence's. */
  partsOf(shot: NbaShot): { readonly shooter: number; readonly defence: number } {
    this.#refit();
    const part = (g: number) => {
      const id = groupIdOf(g, shot);
      return id === null ? 0 : this.#posteriorMean(g, id);
    };
    return { shooter: part(0) + part(1), defence: part(2) };
  }

  /** Plain-JSON tables for a model artifact. */
  toJSON(): ShotMakingOffsetsJson {
    this.#refit();
    return {
      format: OFFSETS_FORMAT,
      version: OFFSETS_VERSION,
      throughDayMs: this.#throughDayMs,
      variances: Array.from(this.#variances),
      groups: this.#scores.map((scores, g) => {
        const table: Record<string, [number, number]> = {};
        for (const [id, u] of scores) table[id] = [u, this.#information[g]!.get(id)!];
        return table;
      }),
    };
  }

  /** Rebuilds tables stored with toJSON; `where` names the artifact in errors. */
  static fromJSON(value: unknown, where: string): ShotMakingOffsets {
    const invalid = (reason: string): never => {
      throw new TipsterError('TIPSTER_ERR_MODEL_CONFIG_INVALID', { where, reason: `shot-making offsets: ${reason}` });
    };
    const json = (typeof value === 'object' && value !== null ? value : invalid('not an object')) as Partial<ShotMakingOffsetsJson>;
    if (json.format !== OFFSETS_FORMAT || json.version !== OFFSETS_VERSION) invalid('unknown format or version');
    const variances = json.variances;
    if (!Array.isArray(variances) || variances.length !== GROUPS || !variances.every((v) => typeof v === 'number' && v >= 0)) {
      invalid(`variances must be ${GROUPS} non-negative numbers`);
    }
    if (!Array.isArray(json.groups) || json.groups.length !== GROUPS) invalid(`groups must be ${GROUPS} tables`);
    const offsets = new ShotMakingOffsets();
    json.groups!.forEach((table, g) => {
      for (const [id, entry] of Object.entries(table ?? invalid(`group table ${g} missing`))) {
        const [u, info] = Array.isArray(entry) ? entry : [Number.NaN, Number.NaN];
        if (!(Number.isFinite(u) && Number.isFinite(info) && info! >= 0)) invalid(`${OFFSET_GROUPS[g]} ${id}: expected [score, information]`);
        offsets.#scores[g]!.set(Number(id), u!);
        offsets.#information[g]!.set(Number(id), info!);
      }
    });
    offsets.#variances = Float64Array.from(variances!);
    offsets.#throughDayMs = typeof json.throughDayMs === 'number' ? json.throughDayMs : null;
    return offsets;
  }
}

/**
 * Leak-free offsets for evaluation: each target row's offset comes from the history rows of
 * strictly earlier days only (every history row enters with its label and expected probability
 * once its day is over), as it would have been served that day. Returns one offset per target row,
 * in the order given.
 */
export function leakFreeOffsets(
  shots: readonly LabelledNbaShot[],
  expected: ArrayLike<number>,
  historyRows: ArrayLike<number>,
  targetRows: ArrayLike<number>,
): Float64Array {
  const byDay = (rows: ArrayLike<number>) => Int32Array.from(rows).sort((a, b) => shots[a]!.dayMs - shots[b]!.dayMs || a - b);
  const history = byDay(historyRows);
  const targets = byDay(targetRows);
  const positionOf = new Map<number, number>();
  for (let i = 0; i < targetRows.length; i++) positionOf.set(targetRows[i]!, i);
  const result = new Float64Array(targetRows.length);
  const offsets = new ShotMakingOffsets();
  let h = 0;
  for (const row of targets) {
    const day = shots[row]!.dayMs;
    for (; h < history.length && shots[history[h]!]!.dayMs < day; h++) {
      const r = history[h]!;
      offsets.add(shots[r]!, shots[r]!.made, expected[r]!, shots[r]!.dayMs);
    }
    result[positionOf.get(row)!] = offsets.offsetOf(shots[row]!);
  }
  return result;
}
