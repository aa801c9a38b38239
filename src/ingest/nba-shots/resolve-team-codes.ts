/**
 * The current franchises' codes by NBA.com TEAM_ID: the last resort when a file is too small to
 * tell (one game names two teams and two codes, but not which is which). Older seasons used other
 * codes (NJN, SEA, NOH, …); files of those seasons resolve from their own games.
 */
const CURRENT_CODES: ReadonlyMap<number, string> = new Map([
  [1610612737, 'ATL'], [1610612738, 'BOS'], [1610612751, 'BKN'], [1610612766, 'CHA'], [1610612741, 'CHI'],
  [1610612739, 'CLE'], [1610612742, 'DAL'], [1610612743, 'DEN'], [1610612765, 'DET'], [1610612744, 'GSW'],
  [1610612745, 'HOU'], [1610612754, 'IND'], [1610612746, 'LAC'], [1610612747, 'LAL'], [1610612763, 'MEM'],
  [1610612748, 'MIA'], [1610612749, 'MIL'], [1610612750, 'MIN'], [1610612740, 'NOP'], [1610612752, 'NYK'],
  [1610612760, 'OKC'], [1610612753, 'ORL'], [1610612755, 'PHI'], [1610612756, 'PHX'], [1610612757, 'POR'],
  [1610612758, 'SAC'], [1610612759, 'SAS'], [1610612761, 'TOR'], [1610612762, 'UTA'], [1610612764, 'WAS'],
]);

/** What code resolution needs of a row: its game, its two teams and the shooting team. */
export interface TeamInGame {
  readonly gameId: number;
  readonly homeTeam: string;
  readonly awayTeam: string;
  readonly teamId: number;
}

/**
 * Works out each TEAM_ID's three-letter code, which the source never states: a team's code is the
 * one its games have in common; once one team of a game is known, the other team has the other
 * code. Codes stored from earlier files, then the current franchise codes, settle what a small file
 * leaves open. Teams still ambiguous are absent from the result.
 */
export function resolveTeamCodes(rows: Iterable<TeamInGame>, storedCodes: ReadonlyMap<number, string> = new Map()): Map<number, string> {
  const games = new Map<number, { codes: readonly [string, string]; teams: Set<number> }>();
  const candidates = new Map<number, Set<string>>();
  for (const row of rows) {
    let game = games.get(row.gameId);
    if (game === undefined) {
      game = { codes: [row.homeTeam, row.awayTeam], teams: new Set() };
      games.set(row.gameId, game);
    }
    if (game.teams.has(row.teamId)) continue;
    game.teams.add(row.teamId);
    const seen = candidates.get(row.teamId);
    if (seen === undefined) candidates.set(row.teamId, new Set(game.codes));
    else for (const code of seen) if (!game.codes.includes(code)) seen.delete(code);
  }
  const resolved = new Map<number, string>();
  for (const [team, codes] of candidates) if (codes.size === 1) resolved.set(team, [...codes][0]!);
  const settle = (source: ReadonlyMap<number, string>) => {
    for (const [team, codes] of candidates) {
      const code = source.get(team);
      if (!resolved.has(team) && code !== undefined && codes.has(code)) resolved.set(team, code);
    }
  };
  propagate(games, resolved);
  settle(storedCodes);
  propagate(games, resolved);
  settle(CURRENT_CODES);
  propagate(games, resolved);
  return resolved;
}

/** In a game with one team known, the other team takes the other code; repeated until nothing changes. */
function propagate(games: ReadonlyMap<number, { codes: readonly [string, string]; teams: Set<number> }>, resolved: Map<number, string>): void {
  let changed = true;
  while (changed) {
    changed = false;
    for (const game of games.values()) {
      if (game.teams.size !== 2) continue;
      const [a, b] = [...game.teams] as [number, number];
      const known = resolved.has(a) ? a : resolved.has(b) ? b : null;
      if (known === null) continue;
      const other = known === a ? b : a;
      if (resolved.has(other)) continue;
      const code = resolved.get(known)!;
      if (!game.codes.includes(code)) continue;
      resolved.set(other, game.codes[0] === code ? game.codes[1] : game.codes[0]);
      changed = true;
    }
  }
}
