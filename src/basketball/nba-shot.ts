import type { BasicZone, ShotType, ZoneArea, ZoneRange } from './shot-vocabulary.js';

/**
 * A field-goal attempt as the models see it: only what is known before the ball leaves the hand.
 * Shots from the data know everything; shots described by a person may leave player, team, exact
 * location or action unknown (null), and the features treat those as missing.
 */
export interface NbaShot {
  readonly playerId: number | null;
  /** The shooting team. */
  readonly teamId: number | null;
  /** The defending team. */
  readonly opponentTeamId: number | null;
  readonly isHome: boolean | null;
  /** 1–4, 5+ for overtimes. */
  readonly period: number;
  /** Seconds left in the period. */
  readonly secondsLeft: number;
  /** Feet; hoop at (0, 5.25). Null when only the distance is known. */
  readonly locX: number | null;
  readonly locY: number | null;
  /** Feet from the hoop. */
  readonly distanceFt: number;
  readonly basicZone: BasicZone;
  readonly zoneArea: ZoneArea | null;
  readonly zoneRange: ZoneRange;
  readonly shotType: ShotType;
  /** NBA.com's ACTION_TYPE, e.g. `Driving Layup Shot`; free text, unseen ones count as missing. */
  readonly actionType: string | null;
}

/** A shot with its outcome, placed in time: what training and evaluation use. */
export interface LabelledNbaShot extends NbaShot {
  /** UTC midnight of the game day: shooting skill uses strictly earlier days only. */
  readonly dayMs: number;
  /** The game, or null for a shot that came in as verified feedback. */
  readonly gameId: number | null;
  readonly made: boolean;
}
