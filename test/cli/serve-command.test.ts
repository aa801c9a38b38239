import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { describePerBackend } from '../support/backends.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const cli = ['--import', 'tsx', path.join(repo, 'test/support/run-cli.ts')];

interface Server {
  readonly child: ChildProcessWithoutNullStreams;
  readonly baseUrl: string;
  stdout(): string;
  stderr(): string;
}

/** Starts `tipster serve --port 0` and waits for its "listening" line. */
async function serve(env: NodeJS.ProcessEnv): Promise<Server> {
  const child = spawn(process.execPath, [...cli, 'serve', '--port', '0', '--host', '127.0.0.1'], { cwd: repo, env, stdio: 'pipe' });
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}\n${err}`)), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+) /.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}\n${err}`)));
  });
  return { child, baseUrl, stdout: () => out, stderr: () => err };
}

async function stop(server: Server): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => server.child.on('exit', (code) => resolve(code)));
  server.child.kill('SIGTERM');
  return exited;
}

describePerBackend('tipster serve', (backend) => {
  afterAll(() => backend.cleanup());

  it('migrates, creates the first admin once (password on stdout, never in the log), serves, and stops on SIGTERM', async () => {
    const varDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tipster-serve-'));
    const env = { ...process.env, TIPSTER_DATABASE_URL: await backend.freshUrl(), TIPSTER_VAR_DIR: varDir, TIPSTER_LOG_LEVEL: 'info' };
    try {
      const first = await serve(env);
      const password = /created administrator "admin" with password (\S+)/.exec(first.stdout())?.[1];
      expect(password, first.stdout()).toBeDefined();
      expect((await fetch(`${first.baseUrl}/healthz`)).status).toBe(200);
      expect(await (await fetch(`${first.baseUrl}/readyz`)).json()).toEqual({ status: 'ready' });
      const login = await fetch(`${first.baseUrl}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password }),
      });
      expect(login.status).toBe(200);
      const { accessToken } = (await login.json()) as { accessToken: string };
      const status = await fetch(`${first.baseUrl}/api/v1/status`, { headers: { authorization: `Bearer ${accessToken}` } });
      expect(await status.json()).toMatchObject({ store: { ok: true, backend: backend.name } });
      expect((await fetch(`${first.baseUrl}/docs/`)).status).toBe(200);
      expect(await stop(first)).toBe(0);
      expect(first.stderr()).toContain('"msg":"request completed"'); // info logs were on…
      expect(first.stderr()).not.toContain(password!); // …and the password is not in them
      expect(fs.statSync(path.join(varDir, 'jwt-secret')).mode & 0o777).toBe(0o600);

      // Second start: the admin exists, nothing is printed, the old token still works (same key).
      const second = await serve(env);
      expect(second.stdout()).not.toContain('created administrator');
      expect((await fetch(`${second.baseUrl}/api/v1/me`, { headers: { authorization: `Bearer ${accessToken}` } })).status).toBe(200);
      expect(await stop(second)).toBe(0);
    } finally {
      fs.rmSync(varDir, { recursive: true, force: true });
    }
  });
});
