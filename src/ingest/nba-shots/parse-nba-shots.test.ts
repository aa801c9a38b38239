import { describe, expect, it } from 'vitest';
import { isoDate, parseNbaShots, seasonOf } from './parse-nba-shots.js';
import { resolveTeamCodes } from './resolve-team-codes.js';

const HEADER =
  'SEASON_1,SEASON_2,TEAM_ID,TEAM_NAME,PLAYER_ID,PLAYER_NAME,POSITION_GROUP,POSITION,GAME_DATE,GAME_ID,HOME_TEAM,AWAY_TEAM,EVENT_TYPE,SHOT_MADE,ACTION_TYPE,SHOT_TYPE,BASIC_ZONE,ZONE_NAME,ZONE_ABB,ZONE_RANGE,LOC_X,LOC_Y,SHOT_DISTANCE,QUARTER,MINS_LEFT,SECS_LEFT';
// Two real rows of the 2023-24 file.
const POOLE =
  '2024,2023-24,1610612764,Washington Wizards,1629673,Jordan Poole,G,SG,11-03-2023,22300003,MIA,WAS,Missed Shot,FALSE,Driving Floating Jump Shot,2PT Field Goal,In The Paint (Non-RA),Center,C,8-16 ft.,-0.4,17.45,12,1,11,1';
const AVDIJA =
  '2024,2023-24,1610612764,Washington Wizards,1630166,Deni Avdija,F,SF,11-03-2023,22300003,MIA,WAS,Made Shot,TRUE,Jump Shot,3PT Field Goal,Above the Break 3,Center,C,24+ ft.,1.5,30.55,25,1,10,26';

const bytes = (...lines: string[]) => new TextEncoder().encode(`${lines.join('\n')}\n`);

describe('parseNbaShots', () => {
  it('reads a shot with its game, team, player, clock, location and zones', () => {
    const parsed = parseNbaShots(bytes(HEADER, POOLE, AVDIJA), 'shots.csv');
    expect(parsed.issues).toEqual([]);
    expect(parsed.fatal).toBe(false);
    expect(parsed.dataRows).toBe(2);
    expect(parsed.rows[0]).toMatchObject({
      line: 2,
      gameId: 22300003,
      season: '2023-24',
      gameDate: '2023-11-03',
      gameDayMs: Date.UTC(2023, 10, 3),
      homeTeam: 'MIA',
      awayTeam: 'WAS',
      teamId: 1610612764,
      playerId: 1629673,
      playerName: 'Jordan Poole',
      period: 1,
      secondsLeft: 661,
      locX: -0.4,
      locY: 17.45,
      distanceFt: 12,
      basicZone: 'In The Paint (Non-RA)',
      zoneArea: 'Center',
      zoneRange: '8-16 ft.',
      actionType: 'Driving Floating Jump Shot',
      shotType: '2PT Field Goal',
      made: false,
    });
    expect(parsed.rows[1]!.made).toBe(true);
  });

  it('reports each bad row with its line, column, value and reason, and keeps the good ones', () => {
    const bad = [
      POOLE.replace('11-03-2023', '2023/11/03'),
      AVDIJA.replace(',TRUE,', ',YES,'),
      POOLE.replace('In The Paint (Non-RA)', 'Downtown'),
      POOLE.replace(',1,11,1', ',1,13,1'),
      `${POOLE},extra`,
      POOLE.replace(',MIA,WAS,', ',MIA,BOS,'),
      AVDIJA.replace(',Made Shot,TRUE,', ',Missed Shot,TRUE,'),
    ];
    const parsed = parseNbaShots(bytes(HEADER, POOLE, ...bad, AVDIJA), 'bad.csv');
    expect(parsed.rows.map((r) => r.line)).toEqual([2, 10]);
    expect(parsed.issues.map((i) => [i.line, i.column, i.value])).toEqual([
      [3, 'GAME_DATE', '2023/11/03'],
      [4, 'SHOT_MADE', 'YES'],
      [5, 'BASIC_ZONE', 'Downtown'],
      [6, 'MINS_LEFT', '13'],
      [7, null, null],
      [8, null, null],
      [9, 'EVENT_TYPE', 'Missed Shot'],
    ]);
    expect(parsed.issues[2]!.reason).toContain('"Restricted Area"');
    expect(parsed.issues[4]!.reason).toBe('the line has 27 fields; the header has 26');
    expect(parsed.issues[5]!.reason).toBe('game 22300003 is 2023-11-03 BOS at MIA here but 2023-11-03 WAS at MIA on line 2');
    expect(parsed.issues.every((i) => i.severity === 'error' && i.file === 'bad.csv')).toBe(true);
  });

  it('derives zones, type and distance from the location when the file leaves them out', () => {
    const header = 'GAME_ID,GAME_DATE,TEAM_ID,TEAM_NAME,PLAYER_ID,PLAYER_NAME,HOME_TEAM,AWAY_TEAM,SHOT_MADE,ACTION_TYPE,LOC_X,LOC_Y,QUARTER,MINS_LEFT,SECS_LEFT';
    const parsed = parseNbaShots(bytes(header, '1,2024-03-01,10,Ten,7,Seven,AAA,BBB,true,Jump Shot,23,3,5,0,4'), 'lean.csv');
    expect(parsed.issues).toEqual([]);
    expect(parsed.rows[0]).toMatchObject({
      season: '2023-24',
      basicZone: 'Left Corner 3',
      zoneArea: 'Left Side',
      shotType: '3PT Field Goal',
      zoneRange: '24+ ft.',
      distanceFt: 23,
      period: 5,
      secondsLeft: 4,
    });
  });

  it('numbers identical rows so both are kept, and spells -0 as 0', () => {
    const tip = POOLE.replace('-0.4,17.45', '-0,5.25');
    const parsed = parseNbaShots(bytes(HEADER, tip, tip), 'tips.csv');
    expect(parsed.rows.map((r) => r.shotKey)).toEqual([
      '22300003|1629673|1|661|Driving Floating Jump Shot|0|5.25|1',
      '22300003|1629673|1|661|Driving Floating Jump Shot|0|5.25|2',
    ]);
  });

  it('rejects a file without the required columns as a whole', () => {
    const parsed = parseNbaShots(bytes('Div,Date,HomeTeam', 'E0,01/01/2020,Arsenal'), 'football.csv');
    expect(parsed.fatal).toBe(true);
    expect(parsed.issues[0]!.reason).toMatch(/^the header lacks GAME_ID, GAME_DATE, TEAM_ID/);
  });

  it('reads dates month first and names seasons by their autumn', () => {
    expect(isoDate('11-03-2023')).toBe('2023-11-03');
    expect(isoDate('2024-02-29')).toBe('2024-02-29');
    expect(isoDate('02-30-2024')).toBeNull();
    expect(seasonOf('2023-10-24')).toBe('2023-24');
    expect(seasonOf('2024-04-14')).toBe('2023-24');
    expect(seasonOf('1999-12-01')).toBe('1999-00');
  });
});

describe('resolveTeamCodes', () => {
  const row = (gameId: number, homeTeam: string, awayTeam: string, teamId: number) => ({ gameId, homeTeam, awayTeam, teamId });

  it('takes the code a team’s games share, then the other code in each game', () => {
    const codes = resolveTeamCodes([row(1, 'AAA', 'BBB', 10), row(1, 'AAA', 'BBB', 20), row(2, 'CCC', 'AAA', 10), row(2, 'CCC', 'AAA', 30)]);
    expect(codes).toEqual(new Map([[10, 'AAA'], [20, 'BBB'], [30, 'CCC']]));
  });

  it('settles a lone game from stored codes, then from the current franchise codes', () => {
    expect(resolveTeamCodes([row(1, 'AAA', 'BBB', 10), row(1, 'AAA', 'BBB', 20)], new Map([[20, 'BBB']]))).toEqual(
      new Map([[20, 'BBB'], [10, 'AAA']]),
    );
    expect(resolveTeamCodes([row(1, 'MIA', 'WAS', 1610612764), row(1, 'MIA', 'WAS', 1610612748)])).toEqual(
      new Map([[1610612764, 'WAS'], [1610612748, 'MIA']]),
    );
    expect(resolveTeamCodes([row(1, 'AAA', 'BBB', 10), row(1, 'AAA', 'BBB', 20)]).size).toBe(0);
  });
});
