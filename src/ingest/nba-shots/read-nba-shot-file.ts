import fs from 'node:fs/promises';
import type { LabelledNbaShot } from '../../basketball/nba-shot.js';
import { TipsterError } from '../../core/errors.js';
import type { IngestIssue } from '../ingest-issue.js';
import { parseNbaShots } from './parse-nba-shots.js';
import { resolveTeamCodes } from './resolve-team-codes.js';

/**
 * Reads a shot-chart CSV straight into labelled shots, without a store (for quick evaluations of a
 * downloaded season). Bad rows are left out and reported; a file that is not a shot chart throws.
 */
export async function readNbaShotFile(file: string, label = file): Promise<{ shots: LabelledNbaShot[]; issues: IngestIssue[] }> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(file);
  } catch (error) {
    throw new TipsterError('TIPSTER_ERR_NBA_SOURCE_NOT_FOUND', { source: label }, { cause: error });
  }
  const parsed = parseNbaShots(bytes, label);
  if (parsed.fatal) throw new TipsterError('TIPSTER_ERR_NBA_NOT_SHOT_CHART', { file: label, reason: parsed.issues.map((i) => i.reason).join('; ') });
  const codes = resolveTeamCodes(parsed.rows);
  const teamsOfGame = new Map<number, Map<string, number>>();
  for (const row of parsed.rows) {
    const code = codes.get(row.teamId);
    if (code === undefined) continue;
    let teams = teamsOfGame.get(row.gameId);
    if (teams === undefined) teamsOfGame.set(row.gameId, (teams = new Map()));
    teams.set(code, row.teamId);
  }
  const issues = [...parsed.issues];
  const shots: LabelledNbaShot[] = [];
  for (const row of parsed.rows) {
    const code = codes.get(row.teamId);
    const isHome = code === undefined ? null : code === row.homeTeam;
    const opponentCode = isHome === null ? null : isHome ? row.awayTeam : row.homeTeam;
    shots.push({
      playerId: row.playerId,
      teamId: row.teamId,
      opponentTeamId: opponentCode === null ? null : (teamsOfGame.get(row.gameId)?.get(opponentCode) ?? null),
      isHome,
      period: row.period,
      secondsLeft: row.secondsLeft,
      locX: row.locX,
      locY: row.locY,
      distanceFt: row.distanceFt,
      basicZone: row.basicZone,
      zoneArea: row.zoneArea,
      zoneRange: row.zoneRange,
      shotType: row.shotType,
      actionType: row.actionType,
      dayMs: row.gameDayMs,
      gameId: row.gameId,
      made: row.made,
    });
  }
  return { shots: shots.sort((a, b) => a.dayMs - b.dayMs), issues };
}
