import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { tipster } from '../support/cli-harness.js';
import { SHARED_FOOTBALL_DATA } from '../support/shared-data.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tipster-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));



let n = 0;
beforeEach(() => {
  process.env.TIPSTER_DATABASE_URL = `sqlite:${path.join(tmp, `cli-${++n}.db`)}`;
  delete process.env.TIPSTER_LOG_LEVEL;
});

describe('tipster CLI', () => {
  it('has --help on every command', async () => {
    const top = await tipster('--help');
    expect(top.code).toBe(0);
    for (const command of ['start', 'db', 'ingest', 'status']) expect(top.stdout).toContain(command);
    for (const args of [['db', 'migrate'], ['ingest', 'football-data'], ['status'], ['start'], ['db'], ['ingest']]) {
      const help = await tipster(...args, '--help');
      expect(help.code, args.join(' ')).toBe(0);
      expect(help.stdout, args.join(' ')).toMatch(/Usage: tipster/);
    }
    expect((await tipster('ingest', 'football-data', '--help')).stdout).toContain('--strict');
  });

  it('tells the user to migrate instead of failing obscurely on a fresh store', async () => {
    const result = await tipster('status');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('tipster db migrate');
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace for a user mistake
  });

  it('migrates, ingests a file and reports the store per league and season, as text and JSON', async () => {
    expect((await tipster('db', 'migrate')).stdout).toContain('applied 0001-football');
    expect((await tipster('db', 'migrate')).stdout).toContain('already up to date');
    const ingest = await tipster('ingest', 'football-data', path.join(SHARED_FOOTBALL_DATA, 'E0', '1516.csv'));
    expect(ingest.code).toBe(0);
    expect(ingest.stdout).toContain('1 file(s) loaded');
    const again = await tipster('ingest', 'football-data', path.join(SHARED_FOOTBALL_DATA, 'E0', '1516.csv'));
    expect(again.stdout).toContain('1 unchanged');

    const text = await tipster('status');
    expect(text.stdout).toMatch(/E0\s+Premier League\s+2015\/16\s+380\s+380\s+0\s+20/);
    const json = JSON.parse((await tipster('status', '--json')).stdout);
    expect(json.seasons).toEqual([
      expect.objectContaining({ competition: 'E0', season: '1516', matches: 380, finished: 380, teams: 20 }),
    ]);
    expect(json.totals.odds).toBeGreaterThan(10_000);
  });

  it('reports bad rows with file, line and column, and fails with --strict', async () => {
    await tipster('db', 'migrate');
    const lines = fs.readFileSync(path.join(SHARED_FOOTBALL_DATA, 'E0', '1617.csv'), 'latin1').split('\n');
    lines[2] = lines[2]!.replace(/^(E0,[^,]*,[^,]*,[^,]*,)\d+,/, '$1x,');
    const file = path.join(tmp, 'E0', '1617.csv');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, lines.join('\n'));

    const strict = await tipster('ingest', 'football-data', file, '--strict');
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/1617\.csv:3 \[FTHG\]/);
    expect(strict.stderr).toContain('nothing from this file was written');
    const lenient = await tipster('ingest', 'football-data', file);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toContain('1 bad row(s) skipped');
  });

  it('explains usage mistakes and configuration errors in one line each', async () => {
    const noSource = await tipster('ingest', 'football-data');
    expect(noSource.code).toBe(2);
    expect(noSource.stderr).toContain('--base-url');
    const missing = await tipster('ingest', 'football-data', path.join(tmp, 'nope'));
    expect(missing.stderr).toMatch(/No football-data CSV found at .*nope/);
    process.env.TIPSTER_DATABASE_URL = 'mysql://root:hunter2@db/x';
    const badUrl = await tipster('status');
    expect(badUrl.code).toBe(1);
    expect(badUrl.stderr).toContain('TIPSTER_DATABASE_URL');
    expect(badUrl.stderr).not.toContain('hunter2');
    const unknown = await tipster('frobnicate');
    expect(unknown.code).toBe(2);
  });
});
