import { Command } from 'commander';
import { TipsterError } from '../../core/errors.js';
import type { LiveBus } from '../../live/live-bus.js';
import { LiveCentre, type LiveUpdate } from '../../live/live-centre.js';
import { simulateMatch } from '../../live/match-simulator.js';
import { openLiveBus } from '../../live/open-live-bus.js';
import { productionModelRates, requireKnownTeam } from '../../live/production-rates.js';
import { replayEvents } from '../../live/replay-events.js';
import { readStatsBombEventFile } from '../../live/statsbomb-events.js';
import type { LiveEvent } from '../../live/live-event.js';
import type { Store } from '../../store/store.js';
import { println, withStore, type CliContext } from '../cli-context.js';
import type { CommandRunner } from '../command-runner.js';

function parseSpeed(value: string): number {
  const speed = value === 'max' ? Infinity : Number(value);
  if (!(speed > 0)) throw new TipsterError('TIPSTER_ERR_CLI_INVALID_ARGUMENT', { option: '--speed', reason: `"${value}" is not a positive number (match seconds per second) or "max"` });
  return speed;
}

const pct = (p: number) => `${Math.round(p * 100)}%`.padStart(4);

/** One line per key moment, with the in-play probabilities after it. */
function formatUpdate(u: LiveUpdate): string | undefined {
  const t = u.moment;
  if (t === undefined) return undefined;
  const label = { goal: 'GOAL', 'own-goal': 'OWN GOAL', 'yellow-card': 'yellow', 'red-card': 'RED CARD', substitution: 'sub', 'half-start': 'kick-off', 'half-end': 'half end', 'match-end': 'FULL TIME' }[t.kind];
  const score = `${u.state.homeTeam} ${u.score.home}-${u.score.away} ${u.state.awayTeam}`;
  const p = u.probability;
  return `${String(t.minute).padStart(3)}' ${label.padEnd(9)} ${t.kind === 'half-start' || t.kind === 'half-end' || t.kind === 'match-end' ? '' : `${t.team}${t.player ? ` (${t.player})` : ''} `}| ${score} | H/D/A ${pct(p.home)} ${pct(p.draw)} ${pct(p.away)} | next goal H/none/A ${pct(p.nextGoalHome)} ${pct(p.nextGoalNone)} ${pct(p.nextGoalAway)}`;
}

/**
 * Plays `matches` on the configured bus. On the in-memory bus this process also runs the live
 * centre (state persisted to the store) and prints each key moment; on NATS it only publishes and a
 * server (or another `tipster live` process) consumes.
 */
async function playMatches(context: CliContext, store: Store, matches: readonly LiveEvent[][], speed: number): Promise<LiveCentre | undefined> {
  const bus: LiveBus = await openLiveBus(context.config.busUrl);
  let centre: LiveCentre | undefined;
  try {
    if (bus.kind === 'memory') {
      centre = new LiveCentre({ bus, store, rates: productionModelRates(store), logger: context.logger });
      centre.onUpdates((updates) => {
        for (const u of updates) {
          const line = formatUpdate(u);
          if (line) println(context.stdout, `[${u.matchId}] ${line}`);
        }
      });
      await centre.start();
    } else println(context.stdout, `Publishing to ${bus.target}; a server consuming that bus shows the matches.`);
    const stamp = Date.now;
    await Promise.all(matches.map((events) => replayEvents(bus, events, { speed, stamp })));
    if (centre) {
      const ids = matches.map((m) => m[0]!.matchId);
      const deadline = Date.now() + 60_000;
      while (ids.some((id) => centre!.getMatch(id)?.state.status !== 'finished') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await centre.stop();
    }
    return centre;
  } finally {
    await bus.close();
  }
}

/** `tipster live simulate|replay`: producers for the live match centre. */
export function liveCommand(context: CliContext, run: CommandRunner): Command {
  const live = new Command('live').description('Live match centre: simulate matches or replay StatsBomb event files onto the live bus');
  live
    .command('simulate')
    .description('Play simulated matches from the production model\'s goal rates (several at once: repeat --home/--away)')
    .requiredOption('--home <teams...>', 'home team(s), as football-data names them')
    .requiredOption('--away <teams...>', 'away team(s), paired with --home in order')
    .option('--speed <n>', 'match seconds per second (60 = a minute per second), or "max"', '60')
    .option('--seed <n>', 'seed of the first match (the same seed plays the same match)', String(Date.now() % 1_000_000))
    .action((options: { home: string[]; away: string[]; speed: string; seed: string }) =>
      run(async () => {
        if (options.home.length !== options.away.length) throw new TipsterError('TIPSTER_ERR_CLI_INVALID_ARGUMENT', { option: '--away', reason: `give one away team per home team (${options.home.length} home, ${options.away.length} away)` });
        const speed = parseSpeed(options.speed);
        const seed = Number(options.seed);
        await withStore(context, async (store) => {
          const rates = productionModelRates(store);
          const matches: LiveEvent[][] = [];
          for (const [i, homeTeam] of options.home.entries()) {
            const awayTeam = options.away[i]!;
            await requireKnownTeam(store, homeTeam);
            await requireKnownTeam(store, awayTeam);
            const r = await rates(homeTeam, awayTeam);
            const matchId = `sim-${Date.now().toString(36)}-${i}`;
            println(context.stdout, `[${matchId}] ${homeTeam} v ${awayTeam}: expected goals ${r.homeGoals.toFixed(2)}-${r.awayGoals.toFixed(2)} (${r.modelVersion}), seed ${seed + i}`);
            matches.push(simulateMatch({ matchId, homeTeam, awayTeam, rates: r, seed: seed + i }));
          }
          await playMatches(context, store, matches, speed);
        });
        return 0;
      }),
    );
  live
    .command('replay')
    .description('Replay a StatsBomb open-data events file (Data: StatsBomb) at a chosen speed')
    .argument('<file>', 'events/<match_id>.json from StatsBomb open-data')
    .option('--speed <n>', 'match seconds per second, or "max"', '60')
    .action((file: string, options: { speed: string }) =>
      run(async () => {
        const speed = parseSpeed(options.speed);
        const match = readStatsBombEventFile(file);
        println(context.stdout, `[${match.matchId}] ${match.homeTeam} v ${match.awayTeam}: ${match.events.length} events (Data: StatsBomb)`);
        await withStore(context, async (store) => {
          const centre = await playMatches(context, store, [[...match.events]], speed);
          const state = centre?.getMatch(match.matchId)?.state;
          if (state) println(context.stdout, `Final score: ${state.homeTeam} ${state.home.goals}-${state.away.goals} ${state.awayTeam}`);
        });
        return 0;
      }),
    );
  return live;
}
