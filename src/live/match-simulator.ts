import type { LiveEvent, ShotOutcome } from './live-event.js';
import type { PreMatchRates } from './in-play-model.js';
import { mulberry32 } from '../numeric/mulberry32.js';

export interface SimulateOptions {
  readonly matchId: string;
  readonly homeTeam: string;
  readonly awayTeam: string;
  readonly rates: PreMatchRates;
  readonly seed: number;
  /** Pass events per match minute, both sides together (default 10; possession share follows team strength). */
  readonly passesPerMinute?: number;
}

// Average chance quality: shots per match = expected goals / MEAN_XG (≈ 12-14 per side in the top flights).
const MEAN_XG = 0.105;
const FOULS_PER_TEAM = 11;
const YELLOW_PER_FOUL = 0.16;
const STRAIGHT_RED_PER_TEAM = 0.06;
const CORNERS_PER_TEAM = 5;

/**
 * Plays a whole match minute by minute from the pre-match goal rates: shots arrive as Poisson
 * processes whose xG (an exponential draw around 0.105) is scored with probability xG, so goals
 * per side average the model's expected goals; the trailing side pushes (+10 %) and a red card
 * costs 30 %; fouls, cards (second yellows become reds), corners, three substitutions per side
 * after the hour, added time (1-3 and 2-6 minutes) and passes for possession. Deterministic per seed.
 */
export function simulateMatch(options: SimulateOptions): LiveEvent[] {
  const rnd = mulberry32(options.seed);
  const { matchId, homeTeam, awayTeam } = options;
  const events: LiveEvent[] = [];
  let index = 0;
  const push = (partial: Omit<LiveEvent, 'matchId' | 'homeTeam' | 'awayTeam' | 'id' | 'index'>) => {
    index++;
    events.push({ matchId, homeTeam, awayTeam, id: `${matchId}-${index}`, index, ...partial });
  };
  const sides = [
    { team: homeTeam, rate: options.rates.homeGoals, goals: 0, reds: 0, booked: new Set<number>(), subs: 0, sentOff: new Set<number>() },
    { team: awayTeam, rate: options.rates.awayGoals, goals: 0, reds: 0, booked: new Set<number>(), subs: 0, sentOff: new Set<number>() },
  ];
  const passes = options.passesPerMinute ?? 10;
  const homeShare = 0.5 + 0.25 * ((options.rates.homeGoals - options.rates.awayGoals) / (options.rates.homeGoals + options.rates.awayGoals));
  const player = (side: number) => {
    let shirt = 2 + Math.floor(rnd() * 10);
    while (sides[side]!.sentOff.has(shirt)) shirt = 2 + Math.floor(rnd() * 10);
    return shirt;
  };
  const subMinutes = [0, 1].map(() => [58 + Math.floor(rnd() * 12), 66 + Math.floor(rnd() * 12), 75 + Math.floor(rnd() * 12)]);
  const added = [1 + Math.floor(rnd() * 3), 2 + Math.floor(rnd() * 5)];
  for (const period of [1, 2]) {
    const startMinute = period === 1 ? 0 : 45;
    const endMinute = startMinute + 45 + added[period - 1]!;
    for (const side of [0, 1]) push({ period, minute: startMinute, second: 0, type: 'Half Start', team: sides[side]!.team });
    for (let minute = startMinute; minute < endMinute; minute++) {
      // Goal rate per minute over ~95 played minutes.
      const multipliers = [0, 1].map((s) => {
        const me = sides[s]!;
        const other = sides[1 - s]!;
        return (me.goals < other.goals ? 1.1 : me.goals > other.goals ? 0.9 : 1) * 0.7 ** me.reds * 1.2 ** other.reds;
      });
      const moments: { second: number; make: () => void }[] = [];
      for (let p = 0; p < passes; p++) {
        const side = rnd() < homeShare ? 0 : 1;
        moments.push({ second: Math.floor(rnd() * 60), make: () => undefined });
        const second = moments[moments.length - 1]!.second;
        moments[moments.length - 1]!.make = () => push({ period, minute, second, type: 'Pass', team: sides[side]!.team, player: `${sides[side]!.team} #${player(side)}` });
      }
      for (const s of [0, 1]) {
        const me = sides[s]!;
        const shotRate = (me.rate * multipliers[s]!) / MEAN_XG / 95;
        if (rnd() < shotRate) {
          const second = Math.floor(rnd() * 60);
          moments.push({
            second,
            make: () => {
              const xg = Math.min(0.95, Math.max(0.01, -Math.log(1 - rnd()) * MEAN_XG));
              const scored = rnd() < xg;
              const outcome: ShotOutcome = scored ? 'Goal' : (['Saved', 'Off T', 'Blocked', 'Wayward', 'Post'] as const)[Math.floor(rnd() * 5)]!;
              if (scored) me.goals++;
              push({ period, minute, second, type: 'Shot', team: me.team, player: `${me.team} #${player(s)}`, location: [100 + rnd() * 18, 25 + rnd() * 30], shot: { outcome, xg: Math.round(xg * 1000) / 1000, kind: 'Open Play' } });
            },
          });
        }
        if (rnd() < CORNERS_PER_TEAM / 95) {
          const second = Math.floor(rnd() * 60);
          moments.push({ second, make: () => push({ period, minute, second, type: 'Pass', team: me.team, corner: true, location: [120, rnd() < 0.5 ? 0 : 80] }) });
        }
        if (rnd() < FOULS_PER_TEAM / 95) {
          const second = Math.floor(rnd() * 60);
          moments.push({
            second,
            make: () => {
              const shirt = player(s);
              let card: LiveEvent['card'];
              if (rnd() < STRAIGHT_RED_PER_TEAM / FOULS_PER_TEAM) card = 'Red Card';
              else if (rnd() < YELLOW_PER_FOUL) card = me.booked.has(shirt) ? 'Second Yellow' : 'Yellow Card';
              if (card === 'Yellow Card') me.booked.add(shirt);
              if (card === 'Red Card' || card === 'Second Yellow') {
                me.reds++;
                me.sentOff.add(shirt);
              }
              push({ period, minute, second, type: 'Foul Committed', team: me.team, player: `${me.team} #${shirt}`, ...(card ? { card } : {}) });
            },
          });
        }
        if (subMinutes[s]!.includes(minute) && me.subs < 3) {
          moments.push({
            second: 30,
            make: () => {
              me.subs++;
              push({ period, minute, second: 30, type: 'Substitution', team: me.team, player: `${me.team} #${player(s)}`, substitution: { replacement: `${me.team} #${12 + me.subs}` } });
            },
          });
        }
      }
      moments.sort((a, b) => a.second - b.second);
      for (const m of moments) m.make();
    }
    for (const side of [0, 1]) push({ period, minute: endMinute, second: 0, type: 'Half End', team: sides[side]!.team });
  }
  const last = events[events.length - 1]!;
  push({ period: 2, minute: last.minute, second: 1, type: 'Match End', team: homeTeam });
  return events;
}
