/** What a rating system needs from a finished match; `PlayedMatch` satisfies it. */
export interface RatedMatch {
  readonly homeTeam: string;
  readonly awayTeam: string;
  readonly homeGoals: number;
  readonly awayGoals: number;
  /** UTC epoch ms of kick-off: ratings are updated in this order. */
  readonly kickoffAtMs: number;
}

/** Throws a RangeError naming the problem when `match` cannot be rated; `index` locates it in the input. */
export function assertRatedMatch(match: RatedMatch, index: number): void {
  const where = `Match ${index} (${match.homeTeam} v ${match.awayTeam})`;
  if (typeof match.homeTeam !== 'string' || match.homeTeam === '' || typeof match.awayTeam !== 'string' || match.awayTeam === '') {
    throw new RangeError(`${where}: both team names must be non-empty strings`);
  }
  if (match.homeTeam === match.awayTeam) throw new RangeError(`${where}: a team cannot play itself`);
  if (!Number.isInteger(match.homeGoals) || match.homeGoals < 0 || !Number.isInteger(match.awayGoals) || match.awayGoals < 0) {
    throw new RangeError(`${where}: goals must be non-negative integers, got ${match.homeGoals}-${match.awayGoals}`);
  }
  if (!Number.isFinite(match.kickoffAtMs)) throw new RangeError(`${where}: kickoffAtMs ${match.kickoffAtMs} is not a time`);
}

/**
 * Validates `matches` and returns their indices in kick-off order (stable: simultaneous kick-offs
 * keep input order). Throws when any kicks off before `notBeforeMs`, because ratings already moved
 * past that instant and cannot be rewound.
 */
export function kickoffOrder(matches: readonly RatedMatch[], notBeforeMs: number): Int32Array {
  const order = new Int32Array(matches.length);
  for (let i = 0; i < matches.length; i++) {
    const match = matches[i]!;
    assertRatedMatch(match, i);
    if (match.kickoffAtMs < notBeforeMs) {
      throw new RangeError(
        `Match ${i} (${match.homeTeam} v ${match.awayTeam}) kicks off at ${new Date(match.kickoffAtMs).toISOString()}, ` +
          `before the last match already rated (${new Date(notBeforeMs).toISOString()}); ratings cannot be rewound`,
      );
    }
    order[i] = i;
  }
  return order.sort((a, b) => matches[a]!.kickoffAtMs - matches[b]!.kickoffAtMs || a - b);
}
