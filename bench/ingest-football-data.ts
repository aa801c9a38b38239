/**
 * Loading every bundled football-data league and season from scratch, on SQLite and (when
 * TIPSTER_BENCH_POSTGRES_URL is set, a role that may CREATE DATABASE) on PostgreSQL.
 * Target (issue 2): under 10 s on SQLite for all ~31,000 matches with all their odds.
 * Prints figures; never fails a build.  Usage: npm run bench:ingest [-- --runs 3]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { resolveFootballDataSources } from '../src/ingest/football-data/football-data-sources.js';
import { loadFootballData } from '../src/ingest/football-data/load-football-data.js';
import { parseFootballData } from '../src/ingest/football-data/parse-football-data.js';
import { migrateStore } from '../src/store/migrate-store.js';
import { openStore } from '../src/store/open-store.js';
import { summarizeStore } from '../src/store/store-status.js';
import { describeMachine, median } from './machine.js';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 3;
const dataDir = fileURLToPath(new URL('../data/football-data/', import.meta.url));
const postgresUrl = process.env.TIPSTER_BENCH_POSTGRES_URL;

const sources = await resolveFootballDataSources([dataDir], process.cwd());
const bytes = sources.map((s) => fs.readFileSync(s.location));
const megabytes = bytes.reduce((n, b) => n + b.byteLength, 0) / 2 ** 20;

console.log(`machine: ${describeMachine()}`);
console.log(`data: ${sources.length} files, ${megabytes.toFixed(1)} MiB from data/football-data; median of ${runs} run(s)\n`);

// Parsing alone, to separate reading from writing.
const parseMs: number[] = [];
let matches = 0;
let quotes = 0;
for (let run = 0; run < runs; run++) {
  const started = performance.now();
  matches = 0;
  quotes = 0;
  for (let i = 0; i < sources.length; i++) {
    const parsed = parseFootballData(bytes[i]!, { file: sources[i]!.label, ...(sources[i]!.seasonCode ? { seasonCode: sources[i]!.seasonCode } : {}) });
    matches += parsed.records.length;
    for (const r of parsed.records) quotes += r.odds.length;
  }
  parseMs.push(performance.now() - started);
}
console.log(`parse only: ${(median(parseMs) / 1000).toFixed(2)} s for ${matches.toLocaleString('en-GB')} matches, ${quotes.toLocaleString('en-GB')} prices`);

async function freshPostgres(adminUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(`drop database if exists ${name} with (force)`);
  await client.query(`create database ${name}`);
  await client.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function bench(label: string, freshUrl: () => Promise<string>): Promise<void> {
  const scratch: number[] = [];
  const unchanged: number[] = [];
  const forced: number[] = [];
  let totals = { matches: 0, odds: 0 };
  for (let run = 0; run < runs; run++) {
    const store = await openStore(await freshUrl());
    try {
      await migrateStore(store);
      let started = performance.now();
      const reports = await loadFootballData(store, sources);
      scratch.push(performance.now() - started);
      if (reports.some((r) => r.status !== 'loaded')) throw new Error('a file did not load');
      started = performance.now();
      await loadFootballData(store, sources);
      unchanged.push(performance.now() - started);
      started = performance.now();
      await loadFootballData(store, sources, { force: true });
      forced.push(performance.now() - started);
      const status = await summarizeStore(store.db);
      totals = { matches: status.totals.matches, odds: status.totals.odds };
      if (run === 0) {
        const version = await sql<{ v: string }>`select ${sql.raw(store.target.backend === 'sqlite' ? 'sqlite_version()' : 'version()')} as v`.execute(store.db);
        console.log(`\n${label}: ${version.rows[0]!.v.split(' on ')[0]}`);
      }
    } finally {
      await store.close();
    }
  }
  const s = (ms: number[]) => `${(median(ms) / 1000).toFixed(2)} s`;
  const odds = totals.odds.toLocaleString('en-GB');
  console.log(`  from scratch:        ${s(scratch)}  (${totals.matches.toLocaleString('en-GB')} matches, ${odds} odds; ${Math.round(totals.odds / (median(scratch) / 1000)).toLocaleString('en-GB')} odds/s)`);
  console.log(`  reload, same bytes:  ${s(unchanged)}  (skipped by content hash)`);
  console.log(`  reload with --force: ${s(forced)}  (parsed and upserted again; nothing changes)`);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tipster-bench-'));
let n = 0;
await bench('SQLite', async () => `sqlite:${path.join(tmp, `bench-${++n}.db`)}`);
fs.rmSync(tmp, { recursive: true, force: true });
if (postgresUrl) {
  await bench('PostgreSQL', () => freshPostgres(postgresUrl, 'tipster_bench'));
} else {
  console.log('\nPostgreSQL: not run (set TIPSTER_BENCH_POSTGRES_URL=postgres://user:pass@host:5432/postgres)');
}
