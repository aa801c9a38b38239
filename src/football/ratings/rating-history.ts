/** Each team's rating after each of its matches, so a snapshot as of any instant costs a binary search per team. */
export class RatingHistory<T> {
  readonly #teams = new Map<string, { readonly kickoffsAtMs: number[]; readonly values: T[] }>();

  /** Appends `team`'s rating after a match kicking off at `kickoffAtMs` (called in kick-off order). */
  record(team: string, kickoffAtMs: number, value: T): void {
    let entry = this.#teams.get(team);
    if (entry === undefined) {
      entry = { kickoffsAtMs: [], values: [] };
      this.#teams.set(team, entry);
    }
    entry.kickoffsAtMs.push(kickoffAtMs);
    entry.values.push(value);
  }

  /** Every team that played strictly before `asOfMs`, with its rating after its last such match. */
  asOf(asOfMs: number): Map<string, T> {
    const snapshot = new Map<string, T>();
    for (const [team, entry] of this.#teams) {
      const times = entry.kickoffsAtMs;
      let low = 0;
      let high = times.length;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if (times[mid]! < asOfMs) low = mid + 1;
        else high = mid;
      }
      if (low > 0) snapshot.set(team, entry.values[low - 1]!);
    }
    return snapshot;
  }
}
