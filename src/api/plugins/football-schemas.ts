/** JSON schemas of the football routes (validation, serialisation and /docs from one place). */

const num = { type: 'number' } as const;
const int = { type: 'integer' } as const;
const str = { type: 'string' } as const;

export const ONE_X_TWO_SCHEMA = {
  type: 'object',
  required: ['home', 'draw', 'away'],
  properties: { home: num, draw: num, away: num },
} as const;

const SETTLEMENT_SCHEMA = {
  type: 'object',
  description: 'How the bet settles, as probabilities: win, half win (quarter lines), push (refund), half lose, lose',
  required: ['win', 'halfWin', 'push', 'halfLose', 'lose'],
  properties: { win: num, halfWin: num, push: num, halfLose: num, lose: num },
} as const;

export const MARKETS_SCHEMA = {
  type: 'object',
  description: 'Every market, derived from one score grid so they agree by construction',
  required: ['oneXTwo', 'fairOdds', 'expectedGoals', 'totals', 'bothTeamsToScore', 'asianHandicap', 'exactScores', 'scorelines'],
  properties: {
    oneXTwo: ONE_X_TWO_SCHEMA,
    fairOdds: { ...ONE_X_TWO_SCHEMA, description: 'Decimal odds with no margin (1 / probability)' },
    expectedGoals: { type: 'object', required: ['home', 'away'], properties: { home: num, away: num } },
    totals: {
      type: 'array',
      description: 'Over/under total goals',
      items: { type: 'object', required: ['line', 'over', 'under', 'fairOver', 'fairUnder'], properties: { line: num, over: SETTLEMENT_SCHEMA, under: SETTLEMENT_SCHEMA, fairOver: num, fairUnder: num } },
    },
    bothTeamsToScore: { type: 'object', required: ['yes', 'no'], properties: { yes: num, no: num } },
    asianHandicap: {
      type: 'array',
      description: 'Asian handicap by home line (the away side gets the opposite line)',
      items: {
        type: 'object',
        required: ['homeLine', 'home', 'away', 'fairHome', 'fairAway'],
        properties: { homeLine: num, home: SETTLEMENT_SCHEMA, away: SETTLEMENT_SCHEMA, fairHome: num, fairAway: num },
      },
    },
    exactScores: {
      type: 'array',
      description: 'The most likely exact scores',
      items: { type: 'object', required: ['homeGoals', 'awayGoals', 'probability'], properties: { homeGoals: int, awayGoals: int, probability: num } },
    },
    scorelines: {
      type: 'array',
      description: 'Every scoreline from 0-0 to 5-5, home goals major (36 cells), for a heat-map of the score grid',
      items: { type: 'object', required: ['homeGoals', 'awayGoals', 'probability'], properties: { homeGoals: int, awayGoals: int, probability: num } },
    },
  },
} as const;

export const MODEL_REF_SCHEMA = {
  type: 'object',
  description: 'The registered model version that produced the figures, refitted on results known before fittedAsOf',
  required: ['name', 'version', 'predictor', 'fittedAsOf', 'trainingMatches'],
  properties: { name: str, version: int, predictor: str, fittedAsOf: { type: 'string', format: 'date-time' }, trainingMatches: int },
} as const;

export const SEASON_SCHEMA = {
  type: 'object',
  required: ['code', 'label', 'startYear', 'matches', 'firstKickoffAt', 'lastKickoffAt'],
  properties: { code: str, label: str, startYear: int, matches: int, firstKickoffAt: { type: 'string', format: 'date-time' }, lastKickoffAt: { type: 'string', format: 'date-time' } },
} as const;

export const COMPETITION_SCHEMA = {
  type: 'object',
  required: ['code', 'name', 'country', 'seasons'],
  properties: { code: str, name: str, country: { type: ['string', 'null'] }, seasons: { type: 'array', items: SEASON_SCHEMA } },
} as const;

export const MATCH_SCHEMA = {
  type: 'object',
  required: ['matchId', 'competition', 'season', 'kickoffAt', 'kickoffTimeKnown', 'homeTeam', 'awayTeam', 'state', 'homeGoals', 'awayGoals'],
  properties: {
    matchId: int,
    competition: str,
    season: str,
    kickoffAt: { type: 'string', format: 'date-time' },
    kickoffTimeKnown: { type: 'boolean', description: 'False when the source gave only the date (kickoffAt is then local midnight)' },
    homeTeam: str,
    awayTeam: str,
    state: { type: 'string', enum: ['upcoming', 'finished', 'awaiting-result'], description: 'As of the service as-of: later kick-offs are upcoming and their results hidden' },
    homeGoals: { type: ['integer', 'null'] },
    awayGoals: { type: ['integer', 'null'] },
  },
} as const;

export const AS_OF_QUERY = {
  type: 'string',
  description: 'Administrators only: serve as of this ISO date instead of the service as-of',
  examples: ['2023-03-01'],
} as const;

export const COMPETITION_CODE = { type: 'string', pattern: '^[A-Za-z0-9]{1,8}$', description: 'Division code, e.g. E0' } as const;
