import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SHARED_FOOTBALL_DATA } from '../support/shared-data.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tipster-threads-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Runs the CLI from source in a child process (tsx in execArgv, so worker threads load TypeScript too). */
function tipster(...args: string[]) {
  const env = { ...process.env, TIPSTER_DATABASE_URL: `sqlite:${path.join(tmp, 'store.db')}`, TIPSTER_VAR_DIR: tmp };
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(repo, 'test/support/run-cli.ts'), ...args], { cwd: repo, env, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('backtest across worker threads', () => {
  it('gives exactly the same figures on one thread and on two', () => {
    expect(tipster('db', 'migrate').code).toBe(0);
    const files = ['E0/2021.csv', 'E0/2122.csv', 'E0/2223.csv', 'SP1/2021.csv', 'SP1/2122.csv', 'SP1/2223.csv'];
    expect(tipster('ingest', 'football-data', ...files.map((f) => path.join(SHARED_FOOTBALL_DATA, f))).code).toBe(0);
    const run = (threads: string) => {
      const result = tipster('backtest', 'football', '--league', 'E0,SP1', '--from', '2223', '--models', 'market-bet365,dixon-coles,elo', '--threads', threads, '--json', '--report', path.join(tmp, `r${threads}.html`));
      expect(result.code, result.stderr).toBe(0);
      const json = JSON.parse(result.stdout);
      return { overall: json.overall, bySeason: json.bySeason, matches: json.matches };
    };
    const one = run('1');
    const two = run('2');
    expect(one.matches).toBe(760);
    expect(two).toEqual(one);
  });
});
