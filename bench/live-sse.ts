// Event-to-client latency over SSE: N connected clients (per-match streams spread over 10 matches,
// or all on the all-matches stream with --all), events published at a fixed rate with emittedAtMs,
// each client measuring arrival − emittedAtMs. The clients run in a worker thread: server and clients
// share this machine's 2 cores, so the figures are pessimistic. Prints figures; never fails a build.
// Usage: npx tsx bench/live-sse.ts [--clients 500] [--rate 1000] [--seconds 10] [--all]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { buildApp } from '../src/api/build-app.js';
import { loadConfig } from '../src/core/config.js';
import type { LiveEvent } from '../src/live/live-event.js';
import { simulateMatch } from '../src/live/match-simulator.js';
import { migrateStore } from '../src/store/migrate-store.js';
import { openStore } from '../src/store/open-store.js';
import { describeMachine } from './machine.js';

const { values } = parseArgs({ options: { clients: { type: 'string', default: '500' }, rate: { type: 'string', default: '1000' }, seconds: { type: 'string', default: '10' }, all: { type: 'boolean', default: false } } });
const CLIENTS = Number(values.clients);
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const MATCHES = 10;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tipster-bench-sse-'));
const store = await openStore(`sqlite:${path.join(dir, 'bench.db')}`);
await migrateStore(store);
const app = await buildApp({ store, config: loadConfig({ TIPSTER_VAR_DIR: dir }, process.cwd()), defaultMetrics: false, rateLimit: false, passwordHashCost: { memoryKiB: 256, timeCost: 1, parallelism: 1 } });
const address = await app.listen({ port: 0, host: '127.0.0.1' });
const port = Number(new URL(address).port);
const signup = await app.inject({ method: 'POST', url: '/api/v1/auth/signup', payload: { username: 'bench-user', password: 'correct horse battery staple', bankroll: { amount: '1000.00' }, riskLevel: 'medium' } });
const userId = signup.json<{ user: { id: number } }>().user.id;
await app.tipster.accounts.admin.updateUser({ userId: null, name: 'bench' }, userId, { role: 'premium' });
const token = signup.json<{ accessToken: string }>().accessToken;

const rates = { homeGoals: 1.6, awayGoals: 1.2, modelVersion: 'bench' };
const matches = Array.from({ length: MATCHES }, (_, i) => simulateMatch({ matchId: `sse-${i}`, homeTeam: `Home ${i}`, awayTeam: `Away ${i}`, rates, seed: i + 1 }));
// Kick every match off first, so the per-match streams have a match to follow.
await app.live.bus.publish(matches.map((m) => m[0]!));
while (app.live.listMatches().length < MATCHES) await new Promise((r) => setTimeout(r, 10));

// The clients run in a worker thread (the second core), as they would on other machines.
const CLIENT_CODE = `
const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const { port, token, paths } = workerData;
const latencies = [];
let measuring = false, connected = 0;
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const requests = paths.map((path) => {
  const req = http.get({ host: '127.0.0.1', port, path, agent, headers: { accept: 'text/event-stream', authorization: 'Bearer ' + token } }, (res) => {
    if (++connected === paths.length) parentPort.postMessage({ connected });
    res.setEncoding('utf8');
    // A read can end inside a frame (and inside a number): only complete frames are parsed.
    let tail = '';
    res.on('data', (chunk) => {
      const text = tail + chunk;
      const cut = text.lastIndexOf('\\n\\n');
      tail = cut < 0 ? text : text.slice(cut + 2);
      if (!measuring || cut < 0) return;
      const now = Date.now();
      for (const m of text.slice(0, cut).matchAll(/"emittedAtMs":(\\d+)/g)) latencies.push(now - Number(m[1]));
    });
  });
  req.on('error', () => undefined);
  return req;
});
parentPort.on('message', (m) => {
  if (m === 'measure') measuring = true;
  if (m === 'count') parentPort.postMessage({ count: latencies.length });
  if (m === 'stop') { for (const r of requests) r.destroy(); agent.destroy(); parentPort.postMessage({ latencies }); }
});
`;
const paths = Array.from({ length: CLIENTS }, (_, c) => (values.all ? '/api/v1/live/stream' : `/api/v1/live/matches/sse-${c % MATCHES}/stream`));
const worker = new Worker(CLIENT_CODE, { eval: true, workerData: { port, token, paths } });
const ask = <T>(message: string, key: string): Promise<T> =>
  new Promise((resolve) => {
    const on = (m: Record<string, unknown>) => {
      if (key in m) (worker.off('message', on), resolve(m[key] as T));
    };
    worker.on('message', on);
    if (message) worker.postMessage(message);
  });
await ask<number>('', 'connected');
worker.postMessage('measure');
// How many fan-outs the events arrived in: each is one socket write per client that follows a match in it.
let fanOuts = 0;
app.live.onUpdates(() => fanOuts++);

// Publish RATE events/s in 10 ms ticks, round-robin over the matches, each stamped when sent.
const queue: LiveEvent[] = [];
for (let i = 1; ; i++) {
  let any = false;
  for (const m of matches) if (m[i]) (queue.push(m[i]!), (any = true));
  if (!any) break;
}
const total = Math.min(queue.length, RATE * SECONDS);
const startedMs = Date.now();
// The server's thread (this one: API, centre, store, fan-out; the publisher is a small part): how busy it is.
const eluStart = performance.eventLoopUtilization();
let sent = 0;
while (sent < total) {
  const due = Math.min(total, Math.floor(((Date.now() - startedMs) / 1000) * RATE) + 1);
  if (due > sent) {
    const stamp = Date.now();
    await app.live.bus.publish(queue.slice(sent, due).map((e) => ({ ...e, emittedAtMs: stamp })));
    sent = due;
  }
  await new Promise((r) => setTimeout(r, 10));
}
const expected = values.all ? total * CLIENTS : total * (CLIENTS / MATCHES);
const deadline = Date.now() + 30_000;
while ((await ask<number>('count', 'count')) < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
const elapsed = (Date.now() - startedMs) / 1000;
const elu = performance.eventLoopUtilization(eluStart);
const latencies = (await ask<number[]>('stop', 'latencies')).sort((a, b) => a - b);
await worker.terminate();
const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
console.log(`machine: ${describeMachine()}`);
console.log(`${CLIENTS} SSE clients on ${values.all ? 'the all-matches stream' : `per-match streams (${MATCHES} matches, ${CLIENTS / MATCHES} clients each)`}, ${total} events at ${RATE}/s (${(total / elapsed).toFixed(0)}/s achieved incl. drain)`);
console.log(`deliveries ${latencies.length}/${expected}; event-to-client latency ms: p50 ${q(0.5)}, p90 ${q(0.9)}, p99 ${q(0.99)}, max ${latencies.at(-1)}`);
console.log(`server thread busy ${(elu.utilization * 100).toFixed(0)}% of ${elapsed.toFixed(1)} s; fan-outs ${fanOuts} (${(total / Math.max(1, fanOuts)).toFixed(1)} events each); load average at the end ${os.loadavg()[0]!.toFixed(2)}`);
await app.close();
await store.close();
fs.rmSync(dir, { recursive: true, force: true });
