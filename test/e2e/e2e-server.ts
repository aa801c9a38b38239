import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const BIN = path.join(REPO, 'bin', 'tipster.js');

/** A running `tipster start` on a store prepared from a small copy of the bundled data. */
export interface E2eServer {
  readonly url: string;
  readonly adminPassword: string;
  stop(): Promise<void>;
}

/** Premier League 2019/20 to 2022/23 and eight days of NBA shots: enough to train both tasks in seconds. */
function smallDataDir(dir: string): string {
  const data = path.join(dir, 'data');
  fs.mkdirSync(path.join(data, 'football-data', 'E0'), { recursive: true });
  for (const season of ['1920', '2021', '2122', '2223']) {
    fs.copyFileSync(path.join(REPO, 'data', 'football-data', 'E0', `${season}.csv`), path.join(data, 'football-data', 'E0', `${season}.csv`));
  }
  fs.mkdirSync(path.join(data, 'nba-shots'));
  const [header, ...lines] = fs.readFileSync(path.join(REPO, 'data', 'nba-shots', 'NBA_2024_Shots_2023-10_to_2023-11.csv'), 'utf8').trimEnd().split('\n');
  const days = new Set(['10-24', '10-25', '10-26', '10-27', '10-28', '10-29', '10-30', '10-31'].map((d) => `${d}-2023`));
  fs.writeFileSync(path.join(data, 'nba-shots', 'oct-2023.csv'), `${header}\n${lines.filter((l) => days.has(l.split(',')[8]!)).join('\n')}\n`);
  return data;
}

/**
 * Prepares a store (migrate, load, train on first start, then a second football-weekly run so the
 * model has two versions) and serves it with `tipster start --port 0`, as of 1 March 2023 so the
 * season looks live (upcoming fixtures with bookmaker odds).
 */
export async function startE2eServer(): Promise<E2eServer> {
  if (!fs.existsSync(path.join(REPO, 'dist', 'web', 'index.html'))) throw new Error('dist/web is missing: run `npm run build` before the end-to-end suite');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tipster-e2e-'));
  const env = {
    ...process.env,
    TIPSTER_VAR_DIR: path.join(dir, 'var'),
    TIPSTER_DATABASE_URL: `sqlite:${path.join(dir, 'var', 'tipster.db')}`,
    TIPSTER_DATA_DIR: smallDataDir(dir),
    TIPSTER_AS_OF: '2023-03-01',
    TIPSTER_LOG_LEVEL: 'warn',
  };
  const prepare = spawnSync(process.execPath, [BIN, 'start', '--no-serve'], { env, encoding: 'utf8', timeout: 240_000 });
  if (prepare.status !== 0) throw new Error(`tipster start --no-serve failed:\n${prepare.stdout}\n${prepare.stderr}`);
  const again = spawnSync(process.execPath, [BIN, 'pipeline', 'run', 'football-weekly'], { env, encoding: 'utf8', timeout: 240_000 });
  if (again.status !== 0) throw new Error(`second football-weekly failed:\n${again.stdout}\n${again.stderr}`);

  const child: ChildProcess = spawn(process.execPath, [BIN, 'start', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const { url, adminPassword } = await new Promise<{ url: string; adminPassword: string }>((resolve, reject) => {
    let password = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 120_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      password ||= /with password (\S+)/.exec(out)?.[1] ?? '';
      const listening = /listening on (http:\/\/[^\s]+?)\s/.exec(out);
      if (listening) {
        clearTimeout(timer);
        resolve({ url: listening[1]!, adminPassword: password });
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited (${code}):\n${out}`)));
  });
  if (!adminPassword) throw new Error(`no administrator password printed:\n${out}`);
  return {
    url,
    adminPassword,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
