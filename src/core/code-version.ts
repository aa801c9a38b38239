import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The version of the code that is running, recorded with every tracked run: the git commit (with
 * `-dirty` when the tree has uncommitted changes) when Tipster runs from a checkout, else
 * `package@<version>` (an installed package).
 */
export function codeVersion(): string {
  cached ??= readCodeVersion();
  return cached;
}

function readCodeVersion(): string {
  const root = packageRoot();
  if (fs.existsSync(path.join(root, '.git'))) {
    try {
      const git = (...args: string[]) =>
        execFileSync('git', args, { cwd: root, encoding: 'utf8', timeout: 5_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      const commit = git('rev-parse', 'HEAD');
      const dirty = git('status', '--porcelain', '--untracked-files=no') !== '';
      return dirty ? `${commit}-dirty` : commit;
    } catch {
      // No git binary or not a repository after all: fall through.
    }
  }
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: string };
    return `package@${pkg.version ?? 'unknown'}`;
  } catch {
    return 'unknown';
  }
}

/** The directory holding package.json: two levels above this module in both src/ and dist/. */
function packageRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
}
