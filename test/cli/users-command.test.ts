import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import { buildApp } from '../../src/api/build-app.js';
import { loadConfig } from '../../src/core/config.js';
import { openStore } from '../../src/store/open-store.js';
import { describePerBackend } from '../support/backends.js';
import { tipster } from '../support/cli-harness.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const cli = ['--import', 'tsx', path.join(repo, 'test/support/run-cli.ts')];

describePerBackend('tipster users', (backend) => {
  let url: string;
  let varDir: string;
  const saved = { db: process.env.TIPSTER_DATABASE_URL, varDir: process.env.TIPSTER_VAR_DIR };
  beforeEach(async () => {
    url = await backend.freshUrl();
    varDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tipster-users-'));
    process.env.TIPSTER_DATABASE_URL = url;
    process.env.TIPSTER_VAR_DIR = varDir;
    expect((await tipster('db', 'migrate')).code).toBe(0);
  });
  afterEach(() => {
    process.env.TIPSTER_DATABASE_URL = saved.db;
    process.env.TIPSTER_VAR_DIR = saved.varDir;
    if (saved.db === undefined) delete process.env.TIPSTER_DATABASE_URL;
    if (saved.varDir === undefined) delete process.env.TIPSTER_VAR_DIR;
    fs.rmSync(varDir, { recursive: true, force: true });
  });
  afterAll(() => backend.cleanup());

  /** Signs in through the real API on the same store. */
  async function logIn(username: string, password: string): Promise<{ status: number; role?: string }> {
    const store = await openStore(url);
    const app = await buildApp({ store, config: loadConfig({ TIPSTER_VAR_DIR: varDir }, process.cwd()), defaultMetrics: false });
    try {
      const response = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
      return { status: response.statusCode, role: response.json<{ user?: { role: string } }>().user?.role };
    } finally {
      await app.close();
      await store.close();
    }
  }

  it('create-admin generates a strong password, prints it once, and it signs in as admin (audited)', async () => {
    const result = await tipster('users', 'create-admin', '--username', 'chief');
    expect(result.code, result.stderr).toBe(0);
    const password = /Password \(shown only this once, store it now\): (\S+)/.exec(result.stdout)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}$/);
    expect(result.stdout.split(password!).length - 1).toBe(1);
    expect(result.stderr).not.toContain(password!);
    expect(await logIn('chief', password!)).toEqual({ status: 200, role: 'admin' });

    const listing = await tipster('users', 'list', '--json');
    expect(JSON.parse(listing.stdout)).toMatchObject([{ username: 'chief', role: 'admin' }]);
    const store = await openStore(url);
    try {
      const events = await store.db.selectFrom('audit_events').selectAll().execute();
      expect(events).toMatchObject([{ action: 'user.create-admin', target: 'chief', actor: `cli:${os.userInfo().username}` }]);
    } finally {
      await store.close();
    }
  });

  it('create-admin refuses a taken username and a bad one, with a hint', async () => {
    expect((await tipster('users', 'create-admin', '--username', 'chief')).code).toBe(0);
    const again = await tipster('users', 'create-admin', '--username', 'CHIEF');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('The username CHIEF is already taken');
    const bad = await tipster('users', 'create-admin', '--username', '-x');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/hint: Use 3 to 32 letters/);
  });

  it('create-admin --password-stdin takes the password from standard input, and applies the policy', () => {
    const env = { ...process.env, TIPSTER_DATABASE_URL: url, TIPSTER_VAR_DIR: varDir };
    const weak = spawnSync(process.execPath, [...cli, 'users', 'create-admin', '--username', 'piped', '--password-stdin'], { cwd: repo, env, input: 'password123\n', encoding: 'utf8' });
    expect(weak.status).toBe(2);
    expect(weak.stderr).toContain('The password is too weak');
    const strong = spawnSync(process.execPath, [...cli, 'users', 'create-admin', '--username', 'piped', '--password-stdin'], {
      cwd: repo,
      env,
      input: 'a long passphrase from the vault\n',
      encoding: 'utf8',
    });
    expect(strong.status, strong.stderr).toBe(0);
    expect(strong.stdout).not.toContain('Password');
    expect(strong.stdout).not.toContain('passphrase from the vault');
    return logIn('piped', 'a long passphrase from the vault').then((r) => expect(r).toEqual({ status: 200, role: 'admin' }));
  });
});
