/** A competition Tipster knows by its football-data division code. */
export interface CompetitionInfo {
  readonly code: string;
  readonly name: string;
  readonly country: string;
}

const KNOWN: readonly CompetitionInfo[] = [
  { code: 'E0', name: 'Premier League', country: 'England' },
  { code: 'E1', name: 'Championship', country: 'England' },
  { code: 'E2', name: 'League One', country: 'England' },
  { code: 'E3', name: 'League Two', country: 'England' },
  { code: 'EC', name: 'National League', country: 'England' },
  { code: 'SC0', name: 'Premiership', country: 'Scotland' },
  { code: 'SC1', name: 'Championship', country: 'Scotland' },
  { code: 'SC2', name: 'League One', country: 'Scotland' },
  { code: 'SC3', name: 'League Two', country: 'Scotland' },
  { code: 'D1', name: 'Bundesliga', country: 'Germany' },
  { code: 'D2', name: '2. Bundesliga', country: 'Germany' },
  { code: 'SP1', name: 'La Liga', country: 'Spain' },
  { code: 'SP2', name: 'Segunda Division', country: 'Spain' },
  { code: 'I1', name: 'Serie A', country: 'Italy' },
  { code: 'I2', name: 'Serie B', country: 'Italy' },
  { code: 'F1', name: 'Ligue 1', country: 'France' },
  { code: 'F2', name: 'Ligue 2', country: 'France' },
  { code: 'N1', name: 'Eredivisie', country: 'Netherlands' },
  { code: 'B1', name: 'Pro League', country: 'Belgium' },
  { code: 'P1', name: 'Primeira Liga', country: 'Portugal' },
  { code: 'T1', name: 'Super Lig', country: 'Turkey' },
  { code: 'G1', name: 'Super League', country: 'Greece' },
];

const byCode: ReadonlyMap<string, CompetitionInfo> = new Map(KNOWN.map((c) => [c.code, Object.freeze(c)]));

/** Name and country for a division code; an unknown code is its own name, with no country. */
export function describeCompetition(code: string): { name: string; country: string | null } {
  const known = byCode.get(code);
  return known ? { name: known.name, country: known.country } : { name: code, country: null };
}
