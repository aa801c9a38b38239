// In-play evaluation on every bundled football-data match: predict the full-time result from the
// half-time score with the in-play model, pre-match rates implied by the bet365 1X2 odds (margin
// removed, then the two Poisson means whose 1X2 matches them). The score-state constant is chosen on
// seasons before 2012/13 and evaluated on 2012/13 onwards. Prints RPS and log loss; never fails a build.
// Usage: npx tsx bench/live-inplay-eval.ts
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { InPlayModel, type InPlaySituation } from '../src/live/in-play-model.js';
import { describeMachine } from './machine.js';

interface Row {
  league: string;
  startYear: number;
  fthg: number;
  ftag: number;
  hthg: number;
  htag: number;
  odds: [number, number, number];
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
      rows.push({ league, startYear, fthg: n('FTHG'), ftag: n('FTAG'), hthg: n('HTHG'), htag: n('HTAG'), odds });
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
