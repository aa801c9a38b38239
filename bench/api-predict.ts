/**
 * Authenticated match prediction through a production build, against a minimal Fastify route in
 * the same run (`npm run build` first, or pass --build-dir to a built checkout).
 *
 *   npx tsx bench/api-predict.ts [--seconds 10] [--connections 50] [--build-dir .]
 *
 * The API runs as its own process (`node bin/tipster.js serve`), on a store holding three Premier
 * League seasons and a registered production model, with TIPSTER_AS_OF=2023-03-01. autocannon runs
 * in this process, so on 2 cores each side has one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { FOOTBALL_1X2_TASK, football1x2ModelName } from '../src/football/training/football-1x2-task.js';
import { MODEL_CONFIG_ARTIFACT } from '../src/football/training/football-model-store.js';
import { resolveFootballDataSources } from '../src/ingest/football-data/football-data-sources.js';
import { loadFootballData } from '../src/ingest/football-data/load-football-data.js';
import { migrateStore } from '../src/store/migrate-store.js';
import { openStore } from '../src/store/open-store.js';
import { ModelRegistry } from '../src/tracking/model-registry.js';
import { TrackingStore } from '../src/tracking/tracking-store.js';
import { describeMachine } from './machine.js';

const repo = fileURLToPath(new URL('../', import.meta.url));
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
};
const seconds = Number(option('seconds', '10'));
const connections = Number(option('connections', '50'));
const buildDir = path.resolve(option('build-dir', repo));

async function prepareStore(dir: string): Promise<string> {
  const url = `sqlite:${path.join(dir, 'bench.db')}`;
  const store = await openStore(url);
  try {
    await migrateStore(store);
    const files = ['2021', '2122', '2223'].map((s) => path.join(repo, 'data/football-data/E0', `${s}.csv`));
    await loadFootballData(store, await resolveFootballDataSources(files, repo));
    const tracking = new TrackingStore(store);
    const registry = new ModelRegistry(store);
    const model = football1x2ModelName('E0');
    await registry.registerModel({ name: model, task: FOOTBALL_1X2_TASK.task, primaryMetric: 'rps', higherIsBetter: false });
    const runId = await tracking.createRun({ experiment: model, name: 'bench' });
    const config = { task: FOOTBALL_1X2_TASK.task, league: 'E0', predictor: 'dixon-coles-xi0.0019', trainingWindowDays: FOOTBALL_1X2_TASK.trainingWindowDays, trainedThroughMs: Date.UTC(2023, 0, 1) };
    await tracking.logArtifact(runId, MODEL_CONFIG_ARTIFACT, Buffer.from(JSON.stringify(config)), 'application/json');
    await tracking.endRun(runId);
    const version = await registry.createModelVersion(model, runId);
    await registry.setModelAlias(model, 'production', version.version, { actor: 'bench', reason: 'benchmark' });
  } finally {
    await store.close();
  }
  return url;
}

/** Spawns a process and resolves with it once `pattern` appears on its stdout (first group = URL). */
function startProcess(command: string, argv: string[], env: NodeJS.ProcessEnv, pattern: RegExp): Promise<{ child: ChildProcess; match: RegExpExecArray; stdout: () => string }> {
  const child = spawn(command, argv, { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = pattern.exec(out);
      if (match) resolve({ child, match, stdout: () => out });
    });
    child.on('exit', (code) => reject(new Error(`${command} exited with ${code}: ${out}`)));
  });
}

interface Figures {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  readonly errors: number;
}

async function load(url: string, headers: Record<string, string>): Promise<Figures> {
  // A short warm-up so JIT and caches are hot before measuring.
  await autocannon({ url, headers, connections, duration: 2 });
  const result = await autocannon({ url, headers, connections, duration: seconds });
  return { requestsPerSecond: result.requests.average, p50Ms: result.latency.p50, p99Ms: result.latency.p99, non2xx: result.non2xx, errors: result.errors };
}

async function main(): Promise<void> {
  const cli = path.join(buildDir, 'bin/tipster.js');
  if (!fs.existsSync(path.join(buildDir, 'dist/cli/main.js'))) throw new Error(`no production build in ${buildDir}: run npm run build first`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tipster-bench-api-'));
  const children: ChildProcess[] = [];
  try {
    const databaseUrl = await prepareStore(dir);
    const env = { ...process.env, NODE_ENV: 'production', TIPSTER_DATABASE_URL: databaseUrl, TIPSTER_VAR_DIR: dir, TIPSTER_AS_OF: '2023-03-01', TIPSTER_LOG_LEVEL: 'warn' };
    const api = await startProcess(process.execPath, [cli, 'serve', '--port', '0'], env, /listening on (http:\/\/\S+) /);
    children.push(api.child);
    const base = api.match[1]!;
    const password = /created administrator "admin" with password (\S+)/.exec(api.stdout())?.[1];
    if (!password) throw new Error(`no admin password printed: ${api.stdout()}`);
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const predictUrl = `${base}/api/v1/football/competitions/E0/predict?home=Arsenal&away=Chelsea`;
    const check = await fetch(predictUrl, { headers: { authorization: `Bearer ${accessToken}` } });
    if (check.status !== 200) throw new Error(`prediction route answered ${check.status}: ${await check.text()}`);

    const minimalSource = `
      const Fastify = require(${JSON.stringify(path.join(repo, 'node_modules/fastify'))});
      const app = Fastify({ logger: false });
      app.get('/constant', async () => ({ hello: 'world' }));
      app.listen({ port: 0, host: '127.0.0.1' }).then((address) => console.log('listening on ' + address + ' '));`;
    const minimal = await startProcess(process.execPath, ['-e', minimalSource], env, /listening on (http:\/\/\S+) /);
    children.push(minimal.child);

    console.log(describeMachine());
    console.log(`autocannon: ${connections} connections, ${seconds} s per route after a 2 s warm-up`);
    const baseline = await load(`${minimal.match[1]!}/constant`, {});
    const predict = await load(predictUrl, { authorization: `Bearer ${accessToken}` });
    const row = (name: string, f: Figures) =>
      `| ${name} | ${Math.round(f.requestsPerSecond).toLocaleString('en')} | ${f.p50Ms} ms | ${f.p99Ms} ms | ${f.non2xx + f.errors} |`;
    console.log('| route | requests/s | p50 | p99 | errors |');
    console.log('|---|---:|---:|---:|---:|');
    console.log(row('minimal Fastify route (constant JSON)', baseline));
    console.log(row('GET /api/v1/football/competitions/E0/predict (JWT, every market)', predict));
    console.log(`ratio (prediction / minimal): ${(predict.requestsPerSecond / baseline.requestsPerSecond).toFixed(2)}`);
    console.log(`target > 5,000 req/s with p99 < 20 ms: ${predict.requestsPerSecond > 5000 && predict.p99Ms < 20 ? 'met' : 'NOT met'}`);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
