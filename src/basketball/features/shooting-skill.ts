import { TipsterError } from '../../core/errors.js';
import type { NbaShot } from '../nba-shot.js';
import type { BasicZone, ShotType } from '../shot-vocabulary.js';
import { type BetaPrior, fitBetaPrior, shrunkRate } from './beta-binomial-prior.js';

/** Zones pooled for skill: corner threes of both sides together; backcourt heaves carry no skill signal. */
export const ZONE_FAMILIES = ['rim', 'paint', 'mid-range', 'corner-3', 'above-break-3'] as const;
const FAMILIES = ZONE_FAMILIES.length;

const FAMILY_OF_ZONE: Readonly<Record<BasicZone, number>> = {
  'Restricted Area': 0,
  'In The Paint (Non-RA)': 1,
  'Mid-Range': 2,
  'Left Corner 3': 3,
  'Right Corner 3': 3,
  'Above the Break 3': 4,
  Backcourt: -1,
};

/** Index into ZONE_FAMILIES, or −1 for a zone that has no skill estimate. */
export function zoneFamilyOf(zone: BasicZone): number {
  return FAMILY_OF_ZONE[zone];
}

function typeIndex(type: ShotType): number {
  return type === '3PT Field Goal' ? 1 : 0;
}

// Per-player counts: attempts then makes per zone family, then attempts then makes per shot type.
const P_ZONE_N = 0;
const P_ZONE_K = FAMILIES;
const P_TYPE_N = 2 * FAMILIES;
const P_TYPE_K = 2 * FAMILIES + 2;
const PLAYER_COUNTS = 2 * FAMILIES + 4;
// Per-team counts: its own shots (attempts, makes per family), then its opponents' shots against it.
const T_OWN_N = 0;
const T_OWN_K = FAMILIES;
const T_OPP_N = 2 * FAMILIES;
const T_OPP_K = 3 * FAMILIES;
const TEAM_COUNTS = 4 * FAMILIES;

/** The skill features of one shot; NaN where there is nothing to estimate from. */
export interface SkillFeatures {
  /** Shrunk make rate of the shooter in the shot's zone family. */
  playerZonePct: number;
  /** Shrunk make rate of the shooter on twos or threes. */
  playerTypePct: number;
  /** log(1 + field-goal attempts the shooter took before): how much the estimates rest on. */
  playerAttemptsLog: number;
  /** Shrunk make rate of the shooting team in the zone family. */
  teamZonePct: number;
  /** Shrunk make rate the defending team allows in the zone family. */
  opponentZonePct: number;
}

/** Priors per skill dimension (null: no attempts to fit one on yet). */
interface Priors {
  playerZone: (BetaPrior | null)[];
  playerType: (BetaPrior | null)[];
  teamZone: (BetaPrior | null)[];
  opponentZone: (BetaPrior | null)[];
}

/** Identifies stored skill tables. */
export const SKILL_FORMAT = 'tipster.nba-shooting-skill';
export const SKILL_VERSION = 1;

/** Stored skill tables: counts per player and team, the fitted priors, and the last day they include. */
export interface SkillSnapshotJson {
  readonly format: typeof SKILL_FORMAT;
  readonly version: typeof SKILL_VERSION;
  /** Shots on days up to and including this UTC midnight are counted; null when empty. */
  readonly throughDayMs: number | null;
  readonly priors: { readonly [K in keyof Priors]: readonly (BetaPrior | null)[] };
  /** Player id → the team of their latest shot and their counts. */
  readonly players: Readonly<Record<string, { readonly team: number | null; readonly counts: readonly number[] }>>;
  readonly teams: Readonly<Record<string, readonly number[]>>;
}

const emptyPriors = (): Priors => ({
  playerZone: new Array<BetaPrior | null>(FAMILIES).fill(null),
  playerType: [null, null],
  teamZone: new Array<BetaPrior | null>(FAMILIES).fill(null),
  opponentZone: new Array<BetaPrior | null>(FAMILIES).fill(null),
});

/**
 * Shooting skill of players and teams estimated from the shots added so far, with empirical-Bayes
 * shrinkage: every rate is the posterior mean under a Beta prior fitted (beta-binomial marginal
 * likelihood) across all players or teams in that zone family. A player with few attempts gets
 * nearly the prior's rate; a rookie gets exactly it. Callers decide what "so far" means: feature
 * building adds a day's shots only after computing that day's features (see shot-features.ts).
 */
export class ShootingSkill {
  readonly #players = new Map<number, Float64Array>();
  readonly #playerTeams = new Map<number, number | null>();
  readonly #teams = new Map<number, Float64Array>();
  #priors: Priors = emptyPriors();
  #priorsStale = false;
  #throughDayMs: number | null = null;

  /** Counts one labelled shot (its day marks how far the tables reach). */
  add(shot: NbaShot, made: boolean, dayMs: number): void {
    const family = zoneFamilyOf(shot.basicZone);
    const make = made ? 1 : 0;
    if (shot.playerId !== null) {
      let counts = this.#players.get(shot.playerId);
      if (counts === undefined) {
        counts = new Float64Array(PLAYER_COUNTS);
        this.#players.set(shot.playerId, counts);
      }
      if (family >= 0) {
        counts[P_ZONE_N + family]! += 1;
        counts[P_ZONE_K + family]! += make;
      }
      const type = typeIndex(shot.shotType);
      counts[P_TYPE_N + type]! += 1;
      counts[P_TYPE_K + type]! += make;
      if (shot.teamId !== null) this.#playerTeams.set(shot.playerId, shot.teamId);
      else if (!this.#playerTeams.has(shot.playerId)) this.#playerTeams.set(shot.playerId, null);
    }
    if (family >= 0) {
      if (shot.teamId !== null) {
        const team = this.#team(shot.teamId);
        team[T_OWN_N + family]! += 1;
        team[T_OWN_K + family]! += make;
      }
      if (shot.opponentTeamId !== null) {
        const opponent = this.#team(shot.opponentTeamId);
        opponent[T_OPP_N + family]! += 1;
        opponent[T_OPP_K + family]! += make;
      }
    }
    this.#priorsStale = true;
    if (this.#throughDayMs === null || dayMs > this.#throughDayMs) this.#throughDayMs = dayMs;
  }

  #team(id: number): Float64Array {
    let counts = this.#teams.get(id);
    if (counts === undefined) {
      counts = new Float64Array(TEAM_COUNTS);
      this.#teams.set(id, counts);
    }
    return counts;
  }

  /** The last day whose shots are counted, or null before any. */
  get throughDayMs(): number | null {
    return this.#throughDayMs;
  }

  /** The team of the player's latest counted shot, if known. */
  teamOf(playerId: number): number | null {
    return this.#playerTeams.get(playerId) ?? null;
  }

  /** Refits every prior on the current counts (done lazily before features are read after adds). */
  refitPriors(): void {
    const fit = (table: ReadonlyMap<number, Float64Array>, attemptsAt: number, makesAt: number, previous: BetaPrior | null): BetaPrior | null => {
      const makes = new Float64Array(table.size);
      const attempts = new Float64Array(table.size);
      let i = 0;
      for (const counts of table.values()) {
        attempts[i] = counts[attemptsAt]!;
        makes[i] = counts[makesAt]!;
        i++;
      }
      const fallback = previous ?? { mean: Number.NaN, concentration: Number.NaN };
      const prior = fitBetaPrior(makes, attempts, table.size, fallback);
      return Number.isNaN(prior.mean) ? null : prior;
    };
    const priors = emptyPriors();
    for (let f = 0; f < FAMILIES; f++) {
      priors.playerZone[f] = fit(this.#players, P_ZONE_N + f, P_ZONE_K + f, this.#priors.playerZone[f]!);
      priors.teamZone[f] = fit(this.#teams, T_OWN_N + f, T_OWN_K + f, this.#priors.teamZone[f]!);
      priors.opponentZone[f] = fit(this.#teams, T_OPP_N + f, T_OPP_K + f, this.#priors.opponentZone[f]!);
    }
    for (let t = 0; t < 2; t++) priors.playerType[t] = fit(this.#players, P_TYPE_N + t, P_TYPE_K + t, this.#priors.playerType[t]!);
    this.#priors = priors;
    this.#priorsStale = false;
  }

  /** Skill features of a shot from the counts so far (the shot itself must not have been added). */
  featuresOf(shot: NbaShot, out: SkillFeatures): SkillFeatures {
    if (this.#priorsStale) this.refitPriors();
    const family = zoneFamilyOf(shot.basicZone);
    const type = typeIndex(shot.shotType);
    const player = shot.playerId === null ? undefined : this.#players.get(shot.playerId);
    const rate = (prior: BetaPrior | null, counts: Float64Array | undefined, attemptsAt: number, makesAt: number) =>
      prior === null ? Number.NaN : counts === undefined ? prior.mean : shrunkRate(prior, counts[makesAt]!, counts[attemptsAt]!);
    out.playerZonePct = family < 0 ? Number.NaN : rate(this.#priors.playerZone[family]!, player, P_ZONE_N + family, P_ZONE_K + family);
    out.playerTypePct = rate(this.#priors.playerType[type]!, player, P_TYPE_N + type, P_TYPE_K + type);
    out.playerAttemptsLog = shot.playerId === null ? Number.NaN : Math.log1p(player === undefined ? 0 : player[P_TYPE_N]! + player[P_TYPE_N + 1]!);
    const team = shot.teamId === null ? undefined : this.#teams.get(shot.teamId);
    const opponent = shot.opponentTeamId === null ? undefined : this.#teams.get(shot.opponentTeamId);
    out.teamZonePct = family < 0 ? Number.NaN : rate(this.#priors.teamZone[family]!, team, T_OWN_N + family, T_OWN_K + family);
    out.opponentZonePct = family < 0 ? Number.NaN : rate(this.#priors.opponentZone[family]!, opponent, T_OPP_N + family, T_OPP_K + family);
    return out;
  }

  /** Plain-JSON tables for a model artifact (serving reads skill from it). */
  toJSON(): SkillSnapshotJson {
    if (this.#priorsStale) this.refitPriors();
    const players: Record<string, { team: number | null; counts: number[] }> = {};
    for (const [id, counts] of this.#players) players[id] = { team: this.#playerTeams.get(id) ?? null, counts: Array.from(counts) };
    const teams: Record<string, number[]> = {};
    for (const [id, counts] of this.#teams) teams[id] = Array.from(counts);
    return {
      format: SKILL_FORMAT,
      version: SKILL_VERSION,
      throughDayMs: this.#throughDayMs,
      priors: {
        playerZone: [...this.#priors.playerZone],
        playerType: [...this.#priors.playerType],
        teamZone: [...this.#priors.teamZone],
        opponentZone: [...this.#priors.opponentZone],
      },
      players,
      teams,
    };
  }

  /** Rebuilds tables stored with toJSON. */
  static fromJSON(value: unknown, where: string): ShootingSkill {
    const invalid = (reason: string): never => {
      throw new TipsterError('TIPSTER_ERR_MODEL_CONFIG_INVALID', { where, reason: `shooting skill: ${reason}` });
    };
    const json = (typeof value === 'object' && value !== null ? value : invalid('not an object')) as Partial<SkillSnapshotJson>;
    if (json.format !== SKILL_FORMAT || json.version !== SKILL_VERSION) invalid('unknown format or version');
    const skill = new ShootingSkill();
    const counts = (raw: unknown, length: number, what: string): Float64Array => {
      if (!Array.isArray(raw) || raw.length !== length || !raw.every((x) => typeof x === 'number' && x >= 0)) invalid(`${what} must be ${length} counts`);
      return Float64Array.from(raw as number[]);
    };
    for (const [id, entry] of Object.entries(json.players ?? invalid('players missing'))) {
      skill.#players.set(Number(id), counts(entry?.counts, PLAYER_COUNTS, `player ${id}`));
      skill.#playerTeams.set(Number(id), typeof entry?.team === 'number' ? entry.team : null);
    }
    for (const [id, entry] of Object.entries(json.teams ?? invalid('teams missing'))) skill.#teams.set(Number(id), counts(entry, TEAM_COUNTS, `team ${id}`));
    const priors = json.priors ?? invalid('priors missing');
    const list = (raw: unknown, length: number, what: string): (BetaPrior | null)[] => {
      if (!Array.isArray(raw) || raw.length !== length) invalid(`${what} priors must be ${length} entries`);
      return (raw as unknown[]).map((p) => {
        if (p === null) return null;
        const prior = p as Partial<BetaPrior>;
        if (!(typeof prior.mean === 'number' && prior.mean > 0 && prior.mean < 1 && typeof prior.concentration === 'number' && prior.concentration > 0)) {
          invalid(`${what} prior ${JSON.stringify(p)} is not a Beta prior`);
        }
        return { mean: prior.mean!, concentration: prior.concentration! };
      });
    };
    skill.#priors = {
      playerZone: list(priors.playerZone, FAMILIES, 'player zone'),
      playerType: list(priors.playerType, 2, 'player shot type'),
      teamZone: list(priors.teamZone, FAMILIES, 'team zone'),
      opponentZone: list(priors.opponentZone, FAMILIES, 'opponent zone'),
    };
    skill.#throughDayMs = typeof json.throughDayMs === 'number' ? json.throughDayMs : null;
    return skill;
  }
}
