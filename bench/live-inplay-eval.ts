// In-play evaluation on every bundled football-data match: predict the full-time result from the
// half-time score with the in-play model, pre-match rates implied by the bet365 1X2 odds (margin
// removed, then the two Poisson means whose 1X2 matches them). The score-state constant is chosen on
// seasons before 2012/13 and evaluated on 2012/13 onwards. Prints RPS and log loss, then calibration
// per minute bucket: on football-data only kick-off and half-time states exist; on the StatsBomb
// matches (../shared/data/statsbomb, only 2 of them) the state at every match minute from the replayed
// events, pre-match rates from the same bet365 odds. Never fails a build.
// Usage: npx tsx bench/live-inplay-eval.ts
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { InPlayModel, type InPlayProbability, type InPlaySituation } from '../src/live/in-play-model.js';
import { situationOf } from '../src/live/live-centre.js';
import { applyLiveEvent, newLiveMatchState } from '../src/live/live-match-state.js';
import { readStatsBombEventFile } from '../src/live/statsbomb-events.js';
import { describeMachine } from './machine.js';

interface Row {
  league: string;
  startYear: number;
  fthg: number;
  ftag: number;
  hthg: number;
  htag: number;
  odds: [number, number, number];
  date: string;
  homeTeam: string;
  awayTeam: string;
}

const root = path.resolve('data/football-data');
const rows: Row[] = [];
for (const league of fs.readdirSync(root).filter((d) => fs.statSync(path.join(root, d)).isDirectory())) {
  for (const file of fs.readdirSync(path.join(root, league)).filter((f) => f.endsWith('.csv'))) {
    const season = /(\d{4})/.exec(file)?.[1];
    if (!season) continue;
    const startYear = 2000 + Number(season.slice(0, 2));
    const records = parse(fs.readFileSync(path.join(root, league, file)), { columns: true, skip_empty_lines: true, relax_column_count: true, bom: true }) as Record<string, string>[];
    for (const r of records) {
      const n = (k: string) => Number(r[k]);
      const odds: [number, number, number] = [n('B365H'), n('B365D'), n('B365A')];
      if (![n('FTHG'), n('FTAG'), n('HTHG'), n('HTAG')].every(Number.isInteger) || !odds.every((o) => o > 1)) continue;
      rows.push({ league, startYear, fthg: n('FTHG'), ftag: n('FTAG'), hthg: n('HTHG'), htag: n('HTAG'), odds, date: r.Date ?? '', homeTeam: r.HomeTeam ?? '', awayTeam: r.AwayTeam ?? '' });
    }
  }
}

const kickOff: InPlaySituation = { elapsedSeconds: 0, period: 1, homeScore: 0, awayScore: 0, homeRedCards: 0, awayRedCards: 0, homeXg: 0, awayXg: 0, halfTime: false, finished: false };
const base = new InPlayModel({ scoreStateEffect: 0 });

/** Poisson means whose 90-minute 1X2 matches the margin-free odds (multiplicative fixed point). */
function impliedRates(odds: [number, number, number]): { homeGoals: number; awayGoals: number; modelVersion: string } {
  const inv = odds.map((o) => 1 / o);
  const sum = inv[0]! + inv[1]! + inv[2]!;
  const [ph, , pa] = inv.map((x) => x / sum) as [number, number, number];
  let h = 1.4;
  let a = 1.1;
  for (let i = 0; i < 60; i++) {
    const p = base.predict({ homeGoals: h, awayGoals: a, modelVersion: 'odds' }, kickOff);
    h *= Math.sqrt(ph / p.home);
    a *= Math.sqrt(pa / p.away);
    h = Math.min(Math.max(h, 0.05), 6);
    a = Math.min(Math.max(a, 0.05), 6);
  }
  return { homeGoals: h, awayGoals: a, modelVersion: 'odds' };
}

const rated = rows.map((r) => ({ ...r, rates: impliedRates(r.odds), outcome: r.fthg > r.ftag ? 0 : r.fthg === r.ftag ? 1 : 2 }));

function score(model: InPlayModel, subset: typeof rated, halfTime: boolean): { rps: number; logLoss: number; n: number } {
  let rps = 0;
  let ll = 0;
  for (const r of subset) {
    const p = model.predict(r.rates, halfTime ? { ...kickOff, elapsedSeconds: 45 * 60, halfTime: true, homeScore: r.hthg, awayScore: r.htag } : kickOff);
    const probs = [p.home, p.draw, p.away];
    const c1 = probs[0]! - (r.outcome === 0 ? 1 : 0);
    const c2 = probs[0]! + probs[1]! - (r.outcome <= 1 ? 1 : 0);
    rps += (c1 * c1 + c2 * c2) / 2;
    ll -= Math.log(Math.max(probs[r.outcome]!, 1e-12));
  }
  return { rps: rps / subset.length, logLoss: ll / subset.length, n: subset.length };
}

const SPLIT = 2012;
const early = rated.filter((r) => r.startYear < SPLIT);
const late = rated.filter((r) => r.startYear >= SPLIT);
let best = { k: 0, rps: Infinity };
for (const k of [0, 0.05, 0.1, 0.15, 0.2, 0.25]) {
  const s = score(new InPlayModel({ scoreStateEffect: k }), early, true);
  console.log(`tune (seasons < ${SPLIT}/${(SPLIT + 1) % 100}, ${s.n} matches): k=${k.toFixed(2)} half-time RPS ${s.rps.toFixed(4)}`);
  if (s.rps < best.rps) best = { k, rps: s.rps };
}
const chosen = new InPlayModel({ scoreStateEffect: best.k });
console.log(`machine: ${describeMachine()}`);
console.log(`chosen score-state k = ${best.k} on early seasons; evaluation on seasons ≥ ${SPLIT}/${(SPLIT + 1) % 100}:`);
console.log('league | matches | pre-match (odds) RPS | log loss | half-time in-play RPS | log loss | half-time, default k=0.1 RPS');
for (const league of [...new Set(late.map((r) => r.league))].sort().concat('all')) {
  const subset = league === 'all' ? late : late.filter((r) => r.league === league);
  const pre = score(chosen, subset, false);
  const ht = score(chosen, subset, true);
  const def = score(new InPlayModel(), subset, true);
  console.log(`${league} | ${subset.length} | ${pre.rps.toFixed(4)} | ${pre.logLoss.toFixed(4)} | ${ht.rps.toFixed(4)} | ${ht.logLoss.toFixed(4)} | ${def.rps.toFixed(4)}`);
}

// ---- Calibration per minute bucket ----

/** RPS, log loss and reliability of 1X2 forecasts against outcomes (0 home, 1 draw, 2 away). */
class Scorecard {
  n = 0;
  #rps = 0;
  #ll = 0;
  /** Per probability decile, pooled over the three outcomes: forecasts, sum of p, hits. */
  readonly bins = Array.from({ length: 10 }, () => ({ n: 0, p: 0, hits: 0 }));

  add(p: Pick<InPlayProbability, 'home' | 'draw' | 'away'>, outcome: number): void {
    const probs = [p.home, p.draw, p.away];
    const c1 = probs[0]! - (outcome === 0 ? 1 : 0);
    const c2 = probs[0]! + probs[1]! - (outcome <= 1 ? 1 : 0);
    this.#rps += (c1 * c1 + c2 * c2) / 2;
    this.#ll -= Math.log(Math.max(probs[outcome]!, 1e-12));
    this.n++;
    for (let k = 0; k < 3; k++) {
      const bin = this.bins[Math.min(9, Math.floor(probs[k]! * 10))]!;
      bin.n++;
      bin.p += probs[k]!;
      if (k === outcome) bin.hits++;
    }
  }

  get rps(): number {
    return this.#rps / this.n;
  }

  get logLoss(): number {
    return this.#ll / this.n;
  }

  /** Expected calibration error: forecast-weighted |mean p − hit rate| over the deciles. */
  get ece(): number {
    let total = 0;
    let err = 0;
    for (const b of this.bins) {
      total += b.n;
      if (b.n > 0) err += Math.abs(b.p - b.hits);
    }
    return err / total;
  }

  reliability(): string {
    return this.bins
      .map((b, i) => (b.n === 0 ? null : `${i / 10}-${(i + 1) / 10}: ${(b.p / b.n).toFixed(2)}→${(b.hits / b.n).toFixed(2)} (${b.n})`))
      .filter((x) => x !== null)
      .join('; ');
  }
}

console.log('');
console.log(`football-data per minute bucket (seasons ≥ ${SPLIT}/${(SPLIT + 1) % 100}, k = ${best.k}; only kick-off and half-time states are in the data):`);
console.log('bucket | forecasts | RPS | log loss | ECE | reliability, pooled over H/D/A: decile: mean p→observed (forecasts)');
for (const [label, halfTime] of [["0' (kick-off, odds-implied rates)", false], ["45' (half-time score)", true]] as const) {
  const card = new Scorecard();
  for (const r of late) card.add(chosen.predict(r.rates, halfTime ? { ...kickOff, elapsedSeconds: 45 * 60, halfTime: true, homeScore: r.hthg, awayScore: r.htag } : kickOff), r.outcome);
  console.log(`${label} | ${card.n} | ${card.rps.toFixed(4)} | ${card.logLoss.toFixed(4)} | ${card.ece.toFixed(4)} | ${card.reliability()}`);
}

// StatsBomb: replay each match's events into a live state and price it at the first event of every
// (period, minute), as the live centre would; pre-match rates from the match's bet365 odds.
const statsBombDir = path.resolve('../shared/data/statsbomb/data/events');
const statsBombFiles = fs.existsSync(statsBombDir) ? fs.readdirSync(statsBombDir).filter((f) => f.endsWith('.json')).sort() : [];
if (statsBombFiles.length === 0) {
  console.log(`\nStatsBomb: no event files under ${statsBombDir}; skipped.`);
} else {
  const BUCKETS = [0, 15, 30, 45, 60, 75] as const;
  const bucketLabel = (i: number) => (i === 2 ? "30-45+'" : i === 5 ? "75-90+'" : `${BUCKETS[i]}-${BUCKETS[i]! + 15}'`);
  const variants = [
    { name: `in-play (k = ${best.k})`, model: chosen },
    { name: 'in-play + live xG (prior 2 matches)', model: new InPlayModel({ scoreStateEffect: best.k, xgPriorMatches: 2 }) },
  ];
  const cards = variants.map(() => BUCKETS.map(() => new Scorecard()));
  const overall = variants.map(() => new Scorecard());
  console.log('');
  for (const file of statsBombFiles) {
    const match = readStatsBombEventFile(path.join(statsBombDir, file));
    // football-data names clubs more briefly ("Alaves" for "Deportivo Alavés"): match on the date's home-team row.
    const fold = (x: string) => x.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
    const row = rated.find((r) => r.league === 'SP1' && fold(match.homeTeam).includes(fold(r.homeTeam)) && fold(match.awayTeam).includes(fold(r.awayTeam)) && r.fthg === match.finalScore.home && r.ftag === match.finalScore.away);
    const rates = row?.rates ?? { homeGoals: 1.5, awayGoals: 1.2, modelVersion: 'league-average' };
    const outcome = match.finalScore.home > match.finalScore.away ? 0 : match.finalScore.home === match.finalScore.away ? 1 : 2;
    const state = newLiveMatchState(match.matchId, match.homeTeam, match.awayTeam);
    const seen = new Set<string>();
    let forecasts = 0;
    for (const event of match.events) {
      const key = `${event.period}:${event.minute}`;
      if (event.period <= 2 && !seen.has(key)) {
        seen.add(key);
        forecasts++;
        const bucket = Math.min(BUCKETS.length - 1, event.period === 1 ? Math.min(2, Math.floor(event.minute / 15)) : Math.max(3, Math.floor(event.minute / 15)));
        const situation = { ...situationOf(state), elapsedSeconds: event.minute * 60 };
        variants.forEach((v, i) => {
          const p = v.model.predict(rates, situation);
          cards[i]![bucket]!.add(p, outcome);
          overall[i]!.add(p, outcome);
        });
      }
      applyLiveEvent(state, event);
    }
    console.log(`StatsBomb ${file}: ${match.homeTeam} ${match.finalScore.home}-${match.finalScore.away} ${match.awayTeam}, pre-match rates ${rates.homeGoals.toFixed(2)}/${rates.awayGoals.toFixed(2)} (${row ? `bet365 ${row.odds.join('/')}` : 'league average: no odds row found'}), ${forecasts} minute forecasts`);
  }
  console.log(`StatsBomb per minute bucket (${statsBombFiles.length} matches only: every forecast of a match shares one outcome, so this shows behaviour, not calibration):`);
  console.log('model | bucket | forecasts | RPS | log loss | ECE | reliability (decile: mean p→observed (forecasts))');
  variants.forEach((v, i) => {
    BUCKETS.forEach((_, b) => {
      const card = cards[i]![b]!;
      console.log(`${v.name} | ${bucketLabel(b)} | ${card.n} | ${card.rps.toFixed(4)} | ${card.logLoss.toFixed(4)} | ${card.ece.toFixed(4)} | ${card.reliability()}`);
    });
    const card = overall[i]!;
    console.log(`${v.name} | all minutes | ${card.n} | ${card.rps.toFixed(4)} | ${card.logLoss.toFixed(4)} | ${card.ece.toFixed(4)} | ${card.reliability()}`);
  });
}
