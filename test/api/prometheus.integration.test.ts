import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const PROMETHEUS = process.env.TIPSTER_TEST_PROMETHEUS ?? '/usr/bin/prometheus';
const available = fs.existsSync(PROMETHEUS);
if (!available) {
  process.stderr.write(`[tipster] Prometheus integration test NOT RUN: ${PROMETHEUS} is missing (Debian package "prometheus"; .ci/run installs it).\n`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function stopped(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Polls `probe` until it returns a value (not undefined) or `attempts` × 250 ms have passed. */
async function eventually<T>(probe: () => Promise<T | undefined>, attempts = 240): Promise<T | undefined> {
  for (let i = 0; i < attempts; i++) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
  return undefined;
}

describe.skipIf(!available)('a real Prometheus scrapes a running tipster serve', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tipster-prometheus-'));
  let tipster: ChildProcess;
  let prometheus: ChildProcess;
  let tipsterUrl = '';
  let prometheusUrl = '';
  let prometheusLog = '';

  beforeAll(async () => {
    const env = { ...process.env, TIPSTER_DATABASE_URL: `sqlite:${path.join(dir, 'tipster.db')}`, TIPSTER_VAR_DIR: dir, TIPSTER_LOG_LEVEL: 'warn' };
    tipster = spawn(process.execPath, ['--import', 'tsx', path.join(repo, 'test/support/run-cli.ts'), 'serve', '--port', '0', '--host', '127.0.0.1'], { cwd: repo, env, stdio: 'pipe' });
    let out = '';
    tipsterUrl = await new Promise<string>((resolve, reject) => {
      tipster.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /listening on (http:\/\/\S+) /.exec(out);
        if (match) resolve(match[1]!);
      });
      tipster.on('exit', (code) => reject(new Error(`tipster serve exited with ${code}: ${out}`)));
    });

    // The shipped scrape config and alert rules, pointed at this server and scraping every second.
    const target = new URL(tipsterUrl).host;
    const shipped = fs.readFileSync(path.join(repo, 'monitoring/prometheus/prometheus.yml'), 'utf8');
    const config = shipped.replace("'127.0.0.1:8080'", `'${target}'`).replace(/scrape_interval: 15s/, 'scrape_interval: 1s').replace(/evaluation_interval: 15s/, 'evaluation_interval: 1s');
    expect(config).toContain(target);
    fs.writeFileSync(path.join(dir, 'prometheus.yml'), config);
    fs.copyFileSync(path.join(repo, 'monitoring/prometheus/alerts.yml'), path.join(dir, 'alerts.yml'));
    const port = await freePort();
    prometheusUrl = `http://127.0.0.1:${port}`;
    prometheus = spawn(
      PROMETHEUS,
      [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`],
      { stdio: 'pipe' },
    );
    prometheus.stderr!.on('data', (chunk: Buffer) => (prometheusLog += chunk.toString()));
  }, 60_000);

  afterAll(async () => {
    if (prometheus) await stopped(prometheus);
    if (tipster) await stopped(tipster);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('finds the target up and Tipster metrics in its database, with the shipped alert rules loaded', async () => {
    interface Target {
      health: string;
      scrapeUrl: string;
      lastError: string;
    }
    const target = await eventually(async () => {
      const body = (await (await fetch(`${prometheusUrl}/api/v1/targets`)).json()) as { data: { activeTargets: Target[] } };
      const t = body.data.activeTargets.find((x) => x.scrapeUrl.endsWith('/metrics'));
      return t?.health === 'up' ? t : undefined;
    });
    expect(target, `no healthy target; Prometheus said:\n${prometheusLog.slice(-2000)}`).toMatchObject({ health: 'up', scrapeUrl: `${tipsterUrl}/metrics` });

    const query = async (promql: string) => {
      const body = (await (await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(promql)}`)).json()) as {
        data: { result: { metric: Record<string, string>; value: [number, string] }[] };
      };
      return body.data.result;
    };
    const up = await eventually(async () => ((await query('up{job="tipster"}')).length > 0 ? query('up{job="tipster"}') : undefined));
    expect(up?.[0]?.value[1]).toBe('1');
    const served = await eventually(async () => {
      const result = await query('tipster_serving_models_loaded');
      return result.length > 0 ? result : undefined;
    });
    expect(served?.[0]?.metric).toMatchObject({ job: 'tipster', service: 'tipster' });
    const latency = await eventually(async () => {
      const result = await query('http_request_duration_seconds_count{route="/metrics"}');
      return result.length > 0 ? result : undefined;
    });
    expect(Number(latency?.[0]?.value[1])).toBeGreaterThan(0);

    const rules = (await (await fetch(`${prometheusUrl}/api/v1/rules`)).json()) as { data: { groups: { name: string; rules: { name: string; health: string }[] }[] } };
    const names = rules.data.groups.flatMap((g) => g.rules.map((r) => r.name));
    expect(names).toEqual(expect.arrayContaining(['TipsterDown', 'TipsterHighErrorRate', 'TipsterPipelineFailed', 'TipsterFootballWeeklyStale']));
  }, 90_000);
});
