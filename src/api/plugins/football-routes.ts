import { roleAtLeast } from '../../accounts/roles.js';
import { TipsterError } from '../../core/errors.js';
import { parseAsOfParam } from '../../football/serving/as-of.js';
import type { ServingModel } from '../../football/serving/football-model-cache.js';
import {
  computeStandings,
  listCompetitions,
  listMatches,
  listSeasonTeams,
  requireCompetition,
  seasonAt,
  teamExists,
  type CompetitionSummary,
  type MatchView,
  type SeasonSummary,
} from '../../football/serving/football-queries.js';
import { marketsFromGrid } from '../../football/serving/grid-markets.js';
import { definePlugin } from '../define-plugin.js';
import { requirePrincipal } from '../route-access.js';
import { footballServing } from './football-serving.js';
import {
  AS_OF_QUERY,
  COMPETITION_CODE,
  COMPETITION_SCHEMA,
  MARKETS_SCHEMA,
  MATCH_SCHEMA,
  MODEL_REF_SCHEMA,
  ONE_X_TWO_SCHEMA,
  SEASON_SCHEMA,
} from './football-schemas.js';

const DAY_MS = 86_400_000;
/** Fixtures within this many days of the first upcoming one make up "the next matchday" (Friday to Monday). */
const MATCHDAY_SPAN_DAYS = 4;
const MAX_CALENDAR_DAYS = 62;

const iso = (ms: number) => new Date(ms).toISOString();

function seasonJson(s: SeasonSummary) {
  return { code: s.code, label: s.label, startYear: s.startYear, matches: s.matches, firstKickoffAt: iso(s.firstKickoffAtMs), lastKickoffAt: iso(s.lastKickoffAtMs) };
}
function competitionJson(c: CompetitionSummary) {
  return { code: c.code, name: c.name, country: c.country, seasons: c.seasons.map(seasonJson) };
}
/** A match as the API shows it. */
export function matchJson(m: MatchView) {
  return {
    matchId: m.matchId,
    competition: m.competition,
    season: m.season,
    kickoffAt: iso(m.kickoffAtMs),
    kickoffTimeKnown: m.kickoffTimeKnown,
    homeTeam: m.homeTeam,
    awayTeam: m.awayTeam,
    state: m.state,
    homeGoals: m.homeGoals,
    awayGoals: m.awayGoals,
  };
}
/** The model reference attached to served figures. */
export function modelJson(m: ServingModel) {
  return { name: m.modelName, version: m.version, predictor: m.predictor, fittedAsOf: iso(m.fittedAsOfMs), trainingMatches: m.trainingMatches };
}

function resolveSeason(competition: CompetitionSummary, code: string | undefined, asOfMs: number): SeasonSummary {
  const season = code === undefined ? seasonAt(competition, asOfMs) : competition.seasons.find((s) => s.code === code);
  if (!season) {
    throw new TipsterError('TIPSTER_ERR_API_VALIDATION_FAILED', {
      location: 'querystring',
      detail: `season ${code ?? '(current)'} is not one of ${competition.seasons.map((s) => s.code).join(', ') || 'none'}`,
    });
  }
  return season;
}

interface CodeParams {
  code: string;
}

/**
 * /api/v1/football: competitions with seasons and teams, league tables as of any date, the fixtures
 * calendar with the production model's predictions, and predictions for any pairing with every market.
 */
export const footballRoutesPlugin = definePlugin(
  { name: 'tipster-football-routes', dependencies: ['tipster-access-control', 'tipster-metrics'] },
  async (app) => {
    const { store } = app.tipster;
    const serving = footballServing(app);

    app.get(
      '/football/competitions',
      {
        config: { access: 'free' },
        schema: {
          tags: ['football'],
          summary: 'Competitions with their seasons (newest first)',
          response: { 200: { type: 'object', required: ['asOf', 'competitions'], properties: { asOf: { type: 'string', format: 'date-time' }, competitions: { type: 'array', items: COMPETITION_SCHEMA } } } },
        },
      },
      async () => {
        return { asOf: iso(serving.clock.nowMs()), competitions: (await listCompetitions(store)).map(competitionJson) };
      },
    );

    app.get<{ Params: CodeParams; Querystring: { season?: string } }>(
      '/football/competitions/:code',
      {
        config: { access: 'free' },
        schema: {
          tags: ['football'],
          summary: 'One competition: its seasons, the teams of a season (default: the one in play) and its production model',
          params: { type: 'object', required: ['code'], properties: { code: COMPETITION_CODE } },
          querystring: { type: 'object', additionalProperties: false, properties: { season: { type: 'string', pattern: '^\\d{4}$', description: 'Season code, e.g. 2223' } } },
          response: {
            200: {
              type: 'object',
              required: ['competition', 'season', 'teams', 'model'],
              properties: {
                competition: COMPETITION_SCHEMA,
                season: SEASON_SCHEMA,
                teams: { type: 'array', items: { type: 'string' } },
                model: { anyOf: [MODEL_REF_SCHEMA, { type: 'null' }] },
              },
            },
          },
        },
      },
      async (request) => {
        const asOfMs = serving.clock.nowMs();
        const competition = await requireCompetition(store, request.params.code);
        const season = resolveSeason(competition, request.query.season, asOfMs);
        const teams = await listSeasonTeams(store, competition.code, season.code);
        const model = await serving.models.forLeague(competition.code, asOfMs).catch(() => undefined);
        return { competition: competitionJson(competition), season: seasonJson(season), teams, model: model ? modelJson(model) : null };
      },
    );

    app.get<{ Params: CodeParams; Querystring: { season?: string; date?: string } }>(
      '/football/competitions/:code/standings',
      {
        config: { access: 'free' },
        schema: {
          tags: ['football'],
          summary: 'League table as of a date (default: the service as-of); results after the service as-of are never counted',
          params: { type: 'object', required: ['code'], properties: { code: COMPETITION_CODE } },
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: { season: { type: 'string', pattern: '^\\d{4}$' }, date: { type: 'string', description: 'ISO date, e.g. 2022-12-31' } },
          },
          response: {
            200: {
              type: 'object',
              required: ['competition', 'season', 'asOf', 'table'],
              properties: {
                competition: { type: 'string' },
                season: { type: 'string' },
                asOf: { type: 'string', format: 'date-time' },
                table: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['position', 'team', 'played', 'won', 'drawn', 'lost', 'goalsFor', 'goalsAgainst', 'goalDifference', 'points'],
                    properties: {
                      position: { type: 'integer' },
                      team: { type: 'string' },
                      played: { type: 'integer' },
                      won: { type: 'integer' },
                      drawn: { type: 'integer' },
                      lost: { type: 'integer' },
                      goalsFor: { type: 'integer' },
                      goalsAgainst: { type: 'integer' },
                      goalDifference: { type: 'integer' },
                      points: { type: 'integer' },
                    },
                  },
                },
              },
            },
          },
        },
      },
      async (request) => {
        const serviceAsOf = serving.clock.nowMs();
        // Any date may be asked for, but never past the service's as-of: later results are hidden.
        const asOfMs = request.query.date === undefined ? serviceAsOf : Math.min(parseAsOfParam(request.query.date), serviceAsOf);
        const competition = await requireCompetition(store, request.params.code);
        const season = resolveSeason(competition, request.query.season, asOfMs);
        const teams = await listSeasonTeams(store, competition.code, season.code);
        const matches = await listMatches(store, { competition: competition.code, season: season.code, toMs: asOfMs }, asOfMs);
        return { competition: competition.code, season: season.code, asOf: iso(asOfMs), table: computeStandings(teams, matches) };
      },
    );

    app.get<{ Params: CodeParams; Querystring: { from?: string; to?: string; markets?: boolean; asOf?: string } }>(
      '/football/competitions/:code/fixtures',
      {
        config: { access: 'free' },
        schema: {
          tags: ['football'],
          summary: "Fixtures calendar with the production model's predictions (default: the next matchday)",
          description:
            'Free accounts get the next matchday with 1X2 probabilities. Premium accounts may choose the window (from/to, at most 62 days) and ask for every market (markets=true).',
          params: { type: 'object', required: ['code'], properties: { code: COMPETITION_CODE } },
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              from: { type: 'string', description: 'ISO date (premium)' },
              to: { type: 'string', description: 'ISO date, exclusive (premium)' },
              markets: { type: 'boolean', description: 'Every market for each upcoming fixture (premium)' },
              asOf: AS_OF_QUERY,
            },
          },
          response: {
            200: {
              type: 'object',
              required: ['competition', 'asOf', 'from', 'to', 'model', 'fixtures'],
              properties: {
                competition: { type: 'string' },
                asOf: { type: 'string', format: 'date-time' },
                from: { type: 'string', format: 'date-time' },
                to: { type: 'string', format: 'date-time' },
                model: { anyOf: [MODEL_REF_SCHEMA, { type: 'null' }] },
                fixtures: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: [...MATCH_SCHEMA.required, 'prediction'],
                    properties: {
                      ...MATCH_SCHEMA.properties,
                      prediction: {
                        anyOf: [
                          {
                            type: 'object',
                            required: ['model', 'version', 'oneXTwo'],
                            properties: { model: { type: 'string' }, version: { type: 'integer' }, oneXTwo: ONE_X_TWO_SCHEMA, markets: MARKETS_SCHEMA },
                          },
                          { type: 'null' },
                        ],
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
      async (request) => {
        const principal = requirePrincipal(request);
        const premium = roleAtLeast(principal.role, 'premium');
        const { from, to, markets } = request.query;
        if (!premium && (from !== undefined || to !== undefined || markets === true)) {
          throw new TipsterError('TIPSTER_ERR_FOOTBALL_PREMIUM_REQUIRED', { detail: 'from, to and markets are premium options' });
        }
        const asOfMs = serving.asOfFor(principal, request.query.asOf);
        const competition = await requireCompetition(store, request.params.code);
        let fromMs: number;
        let toMs: number;
        let matches: MatchView[];
        if (from === undefined && to === undefined) {
          const ahead = await listMatches(store, { competition: competition.code, fromMs: asOfMs, toMs: asOfMs + MAX_CALENDAR_DAYS * DAY_MS }, asOfMs);
          fromMs = asOfMs;
          toMs = ahead.length === 0 ? asOfMs : ahead[0]!.kickoffAtMs + MATCHDAY_SPAN_DAYS * DAY_MS;
          matches = ahead.filter((m) => m.kickoffAtMs < toMs);
        } else {
          fromMs = from === undefined ? asOfMs : parseAsOfParam(from);
          toMs = to === undefined ? fromMs + 7 * DAY_MS : parseAsOfParam(to);
          if (!(toMs > fromMs) || toMs - fromMs > MAX_CALENDAR_DAYS * DAY_MS) {
            throw new TipsterError('TIPSTER_ERR_API_VALIDATION_FAILED', { location: 'querystring', detail: `to must be after from and at most ${MAX_CALENDAR_DAYS} days later` });
          }
          matches = await listMatches(store, { competition: competition.code, fromMs, toMs }, asOfMs);
        }
        const model = await serving.models.forLeague(competition.code, asOfMs);
        let predicted = 0;
        const fixtures = matches.map((m) => {
          if (!model || m.state !== 'upcoming') return { ...matchJson(m), prediction: null };
          const grid = model.grid(m.homeTeam, m.awayTeam);
          predicted++;
          return {
            ...matchJson(m),
            prediction: { model: model.modelName, version: model.version, oneXTwo: grid.oneXTwo(), ...(markets === true ? { markets: marketsFromGrid(grid) } : {}) },
          };
        });
        if (model && predicted > 0) serving.countServed(model, predicted);
        return { competition: competition.code, asOf: iso(asOfMs), from: iso(fromMs), to: iso(toMs), model: model ? modelJson(model) : null, fixtures };
      },
    );

    app.get<{ Params: CodeParams; Querystring: { home: string; away: string; neutral?: boolean; asOf?: string } }>(
      '/football/competitions/:code/predict',
      {
        config: { access: 'premium' },
        schema: {
          tags: ['football'],
          summary: 'Predict any pairing of teams of a competition (home/away or neutral venue) with every market',
          params: { type: 'object', required: ['code'], properties: { code: COMPETITION_CODE } },
          querystring: {
            type: 'object',
            additionalProperties: false,
            required: ['home', 'away'],
            properties: {
              home: { type: 'string', minLength: 1, maxLength: 80 },
              away: { type: 'string', minLength: 1, maxLength: 80 },
              neutral: { type: 'boolean', description: 'Neutral venue: no home advantage' },
              asOf: AS_OF_QUERY,
            },
          },
          response: {
            200: {
              type: 'object',
              required: ['competition', 'homeTeam', 'awayTeam', 'neutral', 'asOf', 'model', 'markets'],
              properties: {
                competition: { type: 'string' },
                homeTeam: { type: 'string' },
                awayTeam: { type: 'string' },
                neutral: { type: 'boolean' },
                asOf: { type: 'string', format: 'date-time' },
                model: MODEL_REF_SCHEMA,
                markets: MARKETS_SCHEMA,
              },
            },
          },
        },
      },
      async (request) => {
        const principal = requirePrincipal(request);
        const { home, away, neutral = false } = request.query;
        const code = request.params.code;
        const asOfMs = serving.asOfFor(principal, request.query.asOf);
        const model = await serving.models.forLeague(code, asOfMs);
        if (!model) {
          await requireCompetition(store, code);
          throw new TipsterError('TIPSTER_ERR_FOOTBALL_NO_PRODUCTION_MODEL', { competition: code });
        }
        if (home === away) throw new TipsterError('TIPSTER_ERR_API_VALIDATION_FAILED', { location: 'querystring', detail: 'home and away must be different teams' });
        for (const team of [home, away]) {
          if (!(await teamKnown(code, team))) throw new TipsterError('TIPSTER_ERR_FOOTBALL_TEAM_NOT_FOUND', { team, competition: code });
        }
        const grid = model.grid(home, away, { neutral });
        serving.countServed(model);
        return { competition: code, homeTeam: home, awayTeam: away, neutral, asOf: iso(asOfMs), model: modelJson(model), markets: marketsFromGrid(grid) };
      },
    );

    // Team names change only on ingest; remembering the known ones keeps the prediction route off the store.
    const knownTeams = new Set<string>();
    async function teamKnown(competition: string, team: string): Promise<boolean> {
      const key = `${competition}\u0000${team}`;
      if (knownTeams.has(key)) return true;
      const exists = await teamExists(store, competition, team);
      if (exists && knownTeams.size < 10_000) knownTeams.add(key);
      return exists;
    }
  },
);
