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
    const child = spawn(process.execPath, [...cli, 'start'], { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
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

    const again = spawnSync(process.execPath, [...cli, 'start'], { cwd: repo, env, encoding: 'utf8' });
    expect(again.status, again.stderr).toBe(0);
    const recovered = await openStore(url);
    try {
      const status = await summarizeStore(recovered.db);
      expect(status.seasons).toHaveLength(expected.size);
      for (const s of status.seasons) expect(s.matches).toBe(expected.get(`${s.competition}/${s.season}`));
    } finally {
      await recovered.close();
    }
  });
});
