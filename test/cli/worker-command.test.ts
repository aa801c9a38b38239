import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tipster } from '../support/cli-harness.js';

describe('tipster worker', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tipster-worker-cli-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('refuses a SQLite store with a catalogued error and a hint, and creates no database file', async () => {
    const file = path.join(dir, 'tipster.db');
    process.env.TIPSTER_DATABASE_URL = `sqlite:${file}`;
    const result = await tipster('worker');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`error: Pipeline workers need PostgreSQL, but the store is sqlite:${file}`);
    expect(result.stderr).toContain('hint: Point TIPSTER_DATABASE_URL at PostgreSQL');
    expect(fs.existsSync(file)).toBe(false);
  });

  it('rejects a concurrency that is not a whole number ≥ 1 as a usage error', async () => {
    process.env.TIPSTER_DATABASE_URL = 'postgres://nobody@127.0.0.1:1/none';
    const result = await tipster('worker', '--concurrency', '0');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Invalid value for --concurrency: "0" is not a whole number ≥ 1');
  });
});
