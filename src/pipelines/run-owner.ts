import os from 'node:os';

/**
 * True when `owner` (`host:pid`, optionally followed by `:suffix`) names a process of this machine
 * that no longer exists. Owners on other machines, or unreadable ones, are never declared dead:
 * only their heartbeat can tell.
 */
export function isLocalOwnerDead(owner: string): boolean {
  const match = /^(.*):(\d+)(?::[^:]*)?$/.exec(owner);
  if (!match || match[1] !== os.hostname()) return false;
  const pid = Number(match[2]);
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
