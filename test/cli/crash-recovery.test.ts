import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { summarizeStore } from '../../src/store/store-status.js';
import { describePerBackend } from '../support/backends.js';
import { footballDataManifest } from '../support/shared-data.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const cli = ['--import', 'tsx', path.join(repo, 'test/support/run-cli.ts')];

describePerBackend('crash safety', (backend) => {
  afterAll(() => backend.cleanup());

  it('a start killed mid-load leaves a consistent store that the next start completes', async () => {
    const url = await backend.freshUrl();
    const env = { ...process.env, TIPSTER_DATABASE_URL: url, TIPSTER_DATA_DIR: path.join(repo, 'data') };
    const child = spawn(process.execPath, [...cli, 'start', '--no-serve'], { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
    // Kill it hard once a few files are in: no chance to clean up.
    await new Promise<void>((resolve, reject) => {
      let seen = 0;
      child.stderr.on('data', (chunk: Buffer) => {
        seen += (chunk.toString().match(/\]\s/g) ?? []).length;
        if (seen >= 5 && child.exitCode === null) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', () => resolve());
      child.on('error', reject);
    });
    await new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.on('exit', resolve)));
    expect(child.signalCode).toBe('SIGKILL');

    // Whatever was committed is whole: every season present has all its matches.
    const expected = new Map(footballDataManifest().filter((m) => m.complete === 'yes').map((m) => [`${m.div}/${m.season}`, Number(m.matches)]));
    const store = await openStore(url);
    try {
      const partial = await summarizeStore(store.db);
      expect(partial.seasons.length).toBeGreaterThan(0);
      expect(partial.seasons.length).toBeLessThan(expected.size);
      for (const s of partial.seasons) expect(s.matches, `${s.competition}/${s.season}`).toBe(expected.get(`${s.competition}/${s.season}`));
    } finally {
      await store.close();
    }

    const again = spawnSync(process.execPath, [...cli, 'start', '--no-serve'], { cwd: repo, env, encoding: 'utf8' });
    expect(again.status, again.stderr).toBe(0);
    const recovered = await openStore(url);
    try {
      const status = await summarizeStore(recovered.db);
      expect(status.seasons).toHaveLength(expected.size);
      for (const s of status.seasons) expect(s.matches).toBe(expected.get(`${s.competition}/${s.season}`));
    } finally {
      await recovered.close();
    }
    // The second start loads everything (75 football files, 48,622 NBA shots) and trains both sports.
  }, 240_000);
});

describePerBackend('crash safety of the first training', (backend) => {
  afterAll(() => backend.cleanup());

  it('a start killed mid-training is recovered by the next start, which trains and registers every league once', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tipster-crash-'));
    fs.mkdirSync(path.join(dataDir, 'football-data', 'E0'), { recursive: true });
    for (const season of ['1819', '1920', '2021', '2122', '2223']) {
      fs.copyFileSync(path.join(repo, 'data/football-data/E0', `${season}.csv`), path.join(dataDir, 'football-data/E0', `${season}.csv`));
    }
    const url = await backend.freshUrl();
    const env = { ...process.env, TIPSTER_DATABASE_URL: url, TIPSTER_DATA_DIR: dataDir };
    try {
      const child = spawn(process.execPath, [...cli, 'start', '--no-serve'], { cwd: repo, env, stdio: ['ignore', 'ignore', 'ignore'] });
      const exited = new Promise((resolve) => child.on('exit', resolve));
      // Killed hard while the candidates are being backtested (watched from here, through the store).
      const watcher = await openStore(url);
      try {
        const deadline = Date.now() + 45_000;
        while (child.exitCode === null && Date.now() < deadline) {
          const backtesting = await watcher.db
            .selectFrom('task_runs')
            .select('status')
            .where('task', '=', 'backtest-candidates')
            .where('status', '=', 'running')
            .executeTakeFirst()
            .catch(() => undefined);
          if (backtesting) {
            child.kill('SIGKILL');
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      } finally {
        await watcher.close();
      }
      await exited;
      expect(child.signalCode).toBe('SIGKILL');

      const store = await openStore(url);
      try {
        const runs = await store.db.selectFrom('pipeline_runs').select(['status']).execute();
        expect(runs).toEqual([{ status: 'running' }]);
        expect(await store.db.selectFrom('model_versions').selectAll().execute()).toEqual([]);
      } finally {
        await store.close();
      }

      // Restarted at once: the dead owner is recognised without waiting for its heartbeat to go stale.
      const again = spawnSync(process.execPath, [...cli, 'start', '--no-serve'], { cwd: repo, env, encoding: 'utf8' });
      expect(again.status, again.stderr).toBe(0);
      expect(again.stdout).toMatch(/Recovered interrupted football-weekly run .*: marked failed/);
      expect(again.stdout).toMatch(/football-weekly run .*: succeeded/);
      expect(again.stdout).toMatch(/football-1x2-E0 +1 +v1 +dixon-coles/);
      const after = await openStore(url);
      try {
        const runs = await after.db.selectFrom('pipeline_runs').select(['status', 'trigger']).orderBy('created_at_ms').execute();
        expect(runs).toEqual([{ status: 'failed', trigger: 'startup' }, { status: 'succeeded', trigger: 'startup' }]);
        const versions = await after.db.selectFrom('model_versions').select(['model_name', 'version']).execute();
        expect(versions).toEqual([{ model_name: 'football-1x2-E0', version: 1 }]);
        // Candidate runs of the killed attempt never became versions and were failed by recovery.
        const unfinished = await after.db.selectFrom('runs').select('status').where('status', '=', 'running').execute();
        expect(unfinished).toEqual([]);
      } finally {
        await after.close();
      }
      // A third start does not train again: it reports the registry.
      const third = spawnSync(process.execPath, [...cli, 'start', '--no-serve'], { cwd: repo, env, encoding: 'utf8' });
      expect(third.status, third.stderr).toBe(0);
      expect(third.stdout).not.toMatch(/First start/);
      expect(third.stdout).toMatch(/football-1x2-E0 +1 +v1/);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
