/**
 * Tells live workers from dead ones by watching their heartbeat values move, timed on this process's
 * own monotonic clock. Nothing compares one machine's clock with another's, so workers and
 * coordinators need not agree on the time. A worker seen for the first time gets the benefit of the
 * doubt for one staleness window.
 */
export class HeartbeatWatch {
  readonly #seen = new Map<string, { beat: number; movedAtMs: number; seenAtMs: number }>();

  /** Records the heartbeat value a worker has now; returns how long (ms) it has not moved. */
  observe(workerId: string, beat: number, nowMs: number): number {
    const seen = this.#seen.get(workerId);
    if (seen === undefined || seen.beat !== beat) {
      this.#seen.set(workerId, { beat, movedAtMs: nowMs, seenAtMs: nowMs });
      return 0;
    }
    seen.seenAtMs = nowMs;
    return nowMs - seen.movedAtMs;
  }

  /** Forgets workers not observed for `idleMs`, so a long-lived coordinator does not collect them. */
  forgetIdle(nowMs: number, idleMs: number): void {
    for (const [id, seen] of this.#seen) if (nowMs - seen.seenAtMs > idleMs) this.#seen.delete(id);
  }
}
