import type { Kysely } from 'kysely';
import type { Database } from '../../store/database-schema.js';
import type { LabelledNbaShot } from '../nba-shot.js';
import { isBasicZone, isShotType, isZoneArea, isZoneRange } from '../shot-vocabulary.js';

/** Shots read per query, so a season never has to be held twice in driver buffers. */
const PAGE = 50_000;

/**
 * Every ingested shot as a labelled, time-placed shot, ordered by game day (then game, then
 * ingestion order). Opponent and home/away come from the game; zones are the source's.
 */
export async function loadIngestedShots(db: Kysely<Database>, options: { beforeDayMs?: number } = {}): Promise<LabelledNbaShot[]> {
  const shots: LabelledNbaShot[] = [];
  let afterId = -1;
  for (;;) {
    let query = db
      .selectFrom('nba_shots as s')
      .innerJoin('nba_games as g', 'g.id', 's.game_id')
      .select([
        's.id',
        's.game_id',
        's.player_id',
        's.team_id',
        's.is_home',
        's.period',
        's.seconds_left',
        's.loc_x',
        's.loc_y',
        's.distance_ft',
        's.basic_zone',
        's.zone_area',
        's.zone_range',
        's.action_type',
        's.shot_type',
        's.made',
        'g.game_day_ms',
        'g.home_team_id',
        'g.away_team_id',
      ])
      .where('s.id', '>', afterId)
      .orderBy('s.id')
      .limit(PAGE);
    if (options.beforeDayMs !== undefined) query = query.where('g.game_day_ms', '<', options.beforeDayMs);
    const rows = await query.execute();
    for (const r of rows) {
      // Values were validated on the way in; anything else means the table was edited by hand.
      if (!isBasicZone(r.basic_zone) || !isZoneArea(r.zone_area) || !isZoneRange(r.zone_range) || !isShotType(r.shot_type)) continue;
      const isHome = r.is_home === 1;
      shots.push({
        playerId: r.player_id,
        teamId: r.team_id,
        opponentTeamId: isHome ? r.away_team_id : r.home_team_id,
        isHome,
        period: r.period,
        secondsLeft: r.seconds_left,
        locX: r.loc_x,
        locY: r.loc_y,
        distanceFt: r.distance_ft,
        basicZone: r.basic_zone,
        zoneArea: r.zone_area,
        zoneRange: r.zone_range,
        shotType: r.shot_type,
        actionType: r.action_type,
        dayMs: Number(r.game_day_ms),
        gameId: r.game_id,
        made: r.made === 1,
      });
    }
    if (rows.length < PAGE) break;
    afterId = rows[rows.length - 1]!.id;
  }
  // Stable: within a day, shots keep ingestion order.
  return shots.sort((a, b) => a.dayMs - b.dayMs || (a.gameId ?? 0) - (b.gameId ?? 0));
}
