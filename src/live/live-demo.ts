import type { Logger } from 'pino';
import { silentLogger } from '../core/logger.js';
import type { Store } from '../store/store.js';
import type { LiveBus } from './live-bus.js';
import type { PreMatchRateProvider } from './live-centre.js';
import { simulateMatch } from './match-simulator.js';
import { replayEvents } from './replay-events.js';

export interface LiveDemoOptions {
  readonly store: Store;
  /** The bus the server's LiveCentre consumes (`app.live.bus` or the centre's bus). */
  readonly bus: LiveBus;
  readonly rates: PreMatchRateProvider;
  /** Pairings to play; default: pairs of the store's most recent E0 fixtures' teams. */
  readonly pairings?: readonly (readonly [string, string])[];
  /** Matches played at once (default 3). */
  readonly concurrent?: number;
  /** Match seconds per wall second (default 60: a match in about 95 seconds). */
  readonly speed?: number;
  readonly logger?: Logger;
}

/** A running demo; stop() ends the matches in progress at their current minute. */
export interface LiveDemo {
  stop(): Promise<void>;
}

async function defaultPairings(store: Store): Promise<[string, string][]> {
  const rows = await store.db
    .selectFrom('matches as m')
    .innerJoin('competitions as c', 'c.id', 'm.competition_id')
    .innerJoin('teams as h', 'h.id', 'm.home_team_id')
    .innerJoin('teams as a', 'a.id', 'm.away_team_id')
    .select(['h.name as home', 'a.name as away'])
    .where('c.code', '=', 'E0')
    .orderBy('m.kickoff_at_ms', 'desc')
    .limit(20)
    .execute();
  return rows.length > 0 ? rows.map((r) => [r.home, r.away]) : [['Arsenal', 'Chelsea'], ['Liverpool', 'Man City'], ['Tottenham', 'Man United']];
}

/**
 * Plays simulated matches on the bus for `npm start`: `concurrent` matches at a time from the
 * production model's goal rates, each followed by the next pairing, until stopped.
 */
export async function startLiveDemo(options: LiveDemoOptions): Promise<LiveDemo> {
  const logger = options.logger ?? silentLogger();
  const pairings = options.pairings ?? (await defaultPairings(options.store));
  const controller = new AbortController();
  let next = 0;
  let seed = Date.now() % 1_000_000;
  const lane = async () => {
    while (!controller.signal.aborted) {
      const [homeTeam, awayTeam] = pairings[next++ % pairings.length]!;
      const rates = await options.rates(homeTeam, awayTeam);
      const matchId = `sim-${Date.now().toString(36)}-${(seed++).toString(36)}`;
      logger.info({ matchId, homeTeam, awayTeam, modelVersion: rates.modelVersion }, 'demo match kicks off');
      const events = simulateMatch({ matchId, homeTeam, awayTeam, rates, seed });
      await replayEvents(options.bus, events, { speed: options.speed ?? 60, signal: controller.signal, stamp: Date.now });
    }
  };
  const lanes = Array.from({ length: options.concurrent ?? 3 }, () => lane().catch((error) => logger.error({ err: error }, 'demo match failed')));
  return {
    stop: async () => {
      controller.abort();
      await Promise.all(lanes);
    },
  };
}
