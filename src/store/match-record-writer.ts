import type { Kysely } from 'kysely';
import { groupBy } from '../core/group-by.js';
import { MATCH_STATS, type MatchRecord } from '../football/match-record.js';
import { ensureCompetition, ensureSeason } from './competition-repository.js';
import type { Database } from './database-schema.js';
import { statColumn, upsertMatches, type MatchWrite } from './match-repository.js';
import { ensureBookmakers, upsertOdds, type OddsWrite } from './odds-repository.js';
import type { StoreCapabilities } from './store.js';
import { resolveTeamIds } from './team-repository.js';

/** What a write changed: rows inserted, rows whose values changed, rows already identical. */
export interface WriteCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface WriteSummary {
  readonly matches: WriteCounts;
  readonly odds: WriteCounts;
}

/**
 * Writes parsed matches with their odds: competitions, seasons, teams and bookmakers are created on
 * first sight; matches are completed or corrected in place; prices are added or updated. Idempotent.
 * Call it inside a transaction so a file is written all or nothing.
 */
export async function writeMatchRecords(
  db: Kysely<Database>,
  capabilities: StoreCapabilities,
  records: readonly MatchRecord[],
  nowMs: number,
): Promise<WriteSummary> {
  const summary: WriteSummary = {
    matches: { inserted: 0, updated: 0, unchanged: 0 },
    odds: { inserted: 0, updated: 0, unchanged: 0 },
  };
  const byCompetition = groupBy(records, (r) => r.competitionCode);
  const bookmakerIds = await ensureBookmakers(
    db,
    records.flatMap((r) => r.odds.map((q) => q.bookmaker)),
  );
  for (const [competitionCode, competitionRecords] of byCompetition) {
    const competitionId = await ensureCompetition(db, competitionCode, nowMs);
    const teamIds = await resolveTeamIds(
      db,
      competitionId,
      competitionRecords.flatMap((r) => [r.homeTeam, r.awayTeam]),
    );
    for (const [seasonCode, seasonRecords] of groupBy(competitionRecords, (r) => r.seasonCode)) {
      const seasonId = await ensureSeason(db, competitionId, seasonCode);
      const counts = await writeSeason(db, capabilities, {
        competitionId,
        seasonId,
        records: seasonRecords,
        teamIds,
        bookmakerIds,
        nowMs,
      });
      add(summary.matches, counts.matches);
      add(summary.odds, counts.odds);
    }
  }
  return summary;
}

function add(total: WriteCounts, part: WriteCounts): void {
  total.inserted += part.inserted;
  total.updated += part.updated;
  total.unchanged += part.unchanged;
}

interface SeasonBatch {
  competitionId: number;
  seasonId: number;
  records: readonly MatchRecord[];
  teamIds: ReadonlyMap<string, number>;
  bookmakerIds: ReadonlyMap<string, number>;
  nowMs: number;
}

async function writeSeason(
  db: Kysely<Database>,
  capabilities: StoreCapabilities,
  batch: SeasonBatch,
): Promise<WriteSummary> {
  const { seasonId, teamIds } = batch;
  const teamId = (name: string) => {
    const id = teamIds.get(name);
    if (id === undefined) throw new Error(`team ${name} was not resolved`);
    return id;
  };
  const matchRows = batch.records.map((r) => toMatchWrite(r, batch.competitionId, seasonId, teamId, batch.nowMs));

  const matchesBefore = await countMatches(db, seasonId);
  const matchesAffected = await upsertMatches(db, capabilities, matchRows);
  const matchesInserted = (await countMatches(db, seasonId)) - matchesBefore;

  const idByPair = new Map<string, number>();
  const stored = await db
    .selectFrom('matches')
    .select(['id', 'home_team_id', 'away_team_id'])
    .where('season_id', '=', seasonId)
    .execute();
  for (const m of stored) idByPair.set(`${m.home_team_id}:${m.away_team_id}`, m.id);

  const oddsRows: OddsWrite[] = [];
  for (let i = 0; i < batch.records.length; i++) {
    const record = batch.records[i]!;
    const row = matchRows[i]!;
    const matchId = idByPair.get(`${row.home_team_id}:${row.away_team_id}`)!;
    // A source repeating a quote must not make one statement update the same row twice.
    const seen = new Set<string>();
    for (let q = record.odds.length - 1; q >= 0; q--) {
      const quote = record.odds[q]!;
      const bookmakerId = batch.bookmakerIds.get(quote.bookmaker)!;
      const key = `${bookmakerId}|${quote.market}|${quote.line}|${quote.selection}|${quote.phase}`;
      if (seen.has(key)) continue;
      seen.add(key);
      oddsRows.push([matchId, bookmakerId, quote.market, quote.line, quote.selection, quote.phase, quote.price]);
    }
  }
  const oddsBefore = await countOdds(db, seasonId);
  const oddsAffected = await upsertOdds(db, capabilities, oddsRows);
  const oddsInserted = (await countOdds(db, seasonId)) - oddsBefore;

  return {
    matches: {
      inserted: matchesInserted,
      updated: matchesAffected - matchesInserted,
      unchanged: matchRows.length - matchesAffected,
    },
    odds: {
      inserted: oddsInserted,
      updated: oddsAffected - oddsInserted,
      unchanged: oddsRows.length - oddsAffected,
    },
  };
}

function toMatchWrite(
  r: MatchRecord,
  competitionId: number,
  seasonId: number,
  teamId: (name: string) => number,
  nowMs: number,
): MatchWrite {
  const row: Record<string, number | string | null> = {
    competition_id: competitionId,
    season_id: seasonId,
    home_team_id: teamId(r.homeTeam),
    away_team_id: teamId(r.awayTeam),
    kickoff_date: r.kickoffDate,
    kickoff_time: r.kickoffTime,
    kickoff_at_ms: r.kickoffAtMs,
    status: r.result ? 'finished' : 'scheduled',
    ft_home: r.result?.ftHome ?? null,
    ft_away: r.result?.ftAway ?? null,
    ht_home: r.result?.htHome ?? null,
    ht_away: r.result?.htAway ?? null,
    referee: r.referee,
    attendance: r.attendance,
    updated_at_ms: nowMs,
  };
  for (const stat of MATCH_STATS) {
    row[`home_${statColumn(stat)}`] = r.homeStats[stat];
    row[`away_${statColumn(stat)}`] = r.awayStats[stat];
  }
  return row as MatchWrite;
}

async function countMatches(db: Kysely<Database>, seasonId: number): Promise<number> {
  const row = await db
    .selectFrom('matches')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('season_id', '=', seasonId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function countOdds(db: Kysely<Database>, seasonId: number): Promise<number> {
  const row = await db
    .selectFrom('odds')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('match_id', 'in', (eb) => eb.selectFrom('matches').select('id').where('season_id', '=', seasonId))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

