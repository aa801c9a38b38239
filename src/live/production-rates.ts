import type { Store } from '../store/store.js';
import { loadFootballDataset } from '../store/football-dataset-repository.js';
import { TipsterError } from '../core/errors.js';
import { GoalModelPredictor } from '../football/predictors/goal-model-predictor.js';
import { predictorSpec } from '../football/predictors/predictor-catalogue.js';
import { footballModelByAlias } from '../football/training/football-model-store.js';
import { ModelRegistry } from '../tracking/model-registry.js';
import { TrackingStore } from '../tracking/tracking-store.js';
import type { PreMatchRates } from './in-play-model.js';
import { LEAGUE_AVERAGE_RATES, type PreMatchRateProvider } from './live-centre.js';

const DAY_MS = 86_400_000;

/** The league (competition code) a team plays in, by its most recent match; undefined when unknown. */
export async function leagueOfTeam(store: Store, team: string): Promise<string | undefined> {
  const row = await store.db
    .selectFrom('teams as t')
    .innerJoin('competitions as c', 'c.id', 't.competition_id')
    .innerJoin('matches as m', (join) => join.on((eb) => eb.or([eb('m.home_team_id', '=', eb.ref('t.id')), eb('m.away_team_id', '=', eb.ref('t.id'))])))
    .select(['c.code'])
    .where('t.name', '=', team)
    .orderBy('m.kickoff_at_ms', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.code;
}

/** Throws TIPSTER_ERR_LIVE_TEAM_UNKNOWN unless the store knows `team`, suggesting close names. */
export async function requireKnownTeam(store: Store, team: string): Promise<void> {
  if ((await leagueOfTeam(store, team)) !== undefined) return;
  const names = await store.db.selectFrom('teams').select('name').distinct().execute();
  const needle = team.toLowerCase().slice(0, 3);
  const close = names.map((n) => n.name).filter((n) => n.toLowerCase().includes(needle)).slice(0, 5);
  throw new TipsterError('TIPSTER_ERR_LIVE_TEAM_UNKNOWN', { team, suggestion: close.length > 0 ? ` (did you mean ${close.join(', ')}?)` : '' });
}

/**
 * Pre-match expected goals from the production football model of the teams' league: the registered
 * configuration refitted on the league's last matches before `asOfMs` (cached per league), then
 * `model.rates(home, away)`. Pairings from different leagues, unknown teams or leagues without a
 * production version get league averages.
 */
export function productionModelRates(store: Store, options: { asOfMs?: () => number } = {}): PreMatchRateProvider {
  const registry = new ModelRegistry(store);
  const tracking = new TrackingStore(store);
  const fitted = new Map<string, Promise<{ predictor: GoalModelPredictor; version: string } | undefined>>();
  const fitLeague = async (league: string) => {
    const production = await footballModelByAlias(registry, tracking, league);
    if (!production) return undefined;
    const asOfMs = options.asOfMs?.() ?? Date.now();
    const fromMs = asOfMs - production.config.trainingWindowDays * DAY_MS;
    const { played } = await loadFootballDataset(store.db, { competitions: [league], fromStartYear: new Date(fromMs).getUTCFullYear() - 1 });
    const history = played.filter((m) => m.kickoffAtMs < asOfMs && m.kickoffAtMs >= fromMs);
    const predictor = predictorSpec(production.config.predictor, { xi: 0.0019 }).create();
    if (!(predictor instanceof GoalModelPredictor)) return undefined;
    predictor.fit(history, asOfMs);
    return predictor.model ? { predictor, version: `${production.version.model}@${production.version.version}` } : undefined;
  };
  return async (homeTeam, awayTeam): Promise<PreMatchRates> => {
    const [homeLeague, awayLeague] = await Promise.all([leagueOfTeam(store, homeTeam), leagueOfTeam(store, awayTeam)]);
    if (homeLeague === undefined || homeLeague !== awayLeague) return LEAGUE_AVERAGE_RATES;
    let entry = fitted.get(homeLeague);
    if (!entry) fitted.set(homeLeague, (entry = fitLeague(homeLeague).catch(() => undefined)));
    const model = await entry;
    if (!model?.predictor.model) return LEAGUE_AVERAGE_RATES;
    const rates = model.predictor.model.rates(homeTeam, awayTeam);
    return { homeGoals: rates.home, awayGoals: rates.away, modelVersion: model.version };
  };
}
