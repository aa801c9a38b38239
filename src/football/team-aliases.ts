/**
 * Other spellings of football-data team names (full club names, common English forms), so a team
 * typed or fed in either form resolves to the same canonical team. Keyed by the canonical name.
 */
export const TEAM_ALIASES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  'Man United': ['Manchester United', 'Manchester Utd', 'Man Utd'],
  'Man City': ['Manchester City'],
  "Nott'm Forest": ['Nottingham Forest', 'Nottingham'],
  Tottenham: ['Tottenham Hotspur', 'Spurs'],
  Wolves: ['Wolverhampton', 'Wolverhampton Wanderers'],
  'West Brom': ['West Bromwich Albion', 'West Bromwich'],
  'West Ham': ['West Ham United'],
  Newcastle: ['Newcastle United'],
  Brighton: ['Brighton & Hove Albion', 'Brighton and Hove Albion'],
  'Sheffield United': ['Sheffield Utd'],
  'Sheffield Weds': ['Sheffield Wednesday'],
  Leicester: ['Leicester City'],
  QPR: ['Queens Park Rangers'],
  Peterboro: ['Peterborough', 'Peterborough United'],
  'Milton Keynes Dons': ['MK Dons'],
  'Ath Madrid': ['Atletico Madrid', 'Atlético Madrid'],
  'Ath Bilbao': ['Athletic Bilbao', 'Athletic Club'],
  Sociedad: ['Real Sociedad'],
  Betis: ['Real Betis'],
  Espanol: ['Espanyol'],
  'La Coruna': ['Deportivo La Coruna', 'Deportivo'],
  'Sp Gijon': ['Sporting Gijon'],
  Vallecano: ['Rayo Vallecano'],
  Celta: ['Celta Vigo'],
  'Bayern Munich': ['Bayern Munchen', 'Bayern München', 'FC Bayern'],
  "M'gladbach": ['Borussia Monchengladbach', 'Monchengladbach', 'Gladbach'],
  'Ein Frankfurt': ['Eintracht Frankfurt'],
  'FC Koln': ['Koln', 'Cologne', '1. FC Koln'],
  Dortmund: ['Borussia Dortmund'],
  Inter: ['Inter Milan', 'Internazionale'],
  Milan: ['AC Milan'],
  'Paris SG': ['Paris Saint-Germain', 'PSG'],
  'St Etienne': ['Saint-Etienne'],
});

const canonicalByAlias: ReadonlyMap<string, string> = new Map(
  Object.entries(TEAM_ALIASES).flatMap(([canonical, aliases]) => aliases.map((alias) => [alias, canonical] as const)),
);

/** The canonical name for a known alternative spelling; any other name is its own canonical name. */
export function canonicalTeamName(name: string): string {
  return canonicalByAlias.get(name) ?? name;
}

/** Every spelling that should resolve to the canonical team `canonical`, itself first. */
export function teamSpellings(canonical: string): readonly string[] {
  return [canonical, ...(TEAM_ALIASES[canonical] ?? [])];
}
