import { describe, expect, it } from 'vitest';
import { applyLiveEvent, newLiveMatchState } from './live-match-state.js';
import { parseLiveEvent } from './live-event.js';
import { simulateMatch } from './match-simulator.js';

describe('match simulator', () => {
  it('plays valid, reproducible matches whose goals average the model rates', () => {
    const rates = { homeGoals: 1.8, awayGoals: 0.9, modelVersion: 'test@1' };
    let home = 0;
    let away = 0;
    let reds = 0;
    const n = 300;
    for (let seed = 1; seed <= n; seed++) {
      const events = simulateMatch({ matchId: `m${seed}`, homeTeam: 'Arsenal', awayTeam: 'Chelsea', rates, seed });
      const state = newLiveMatchState(`m${seed}`, 'Arsenal', 'Chelsea');
      for (const e of events) applyLiveEvent(state, seed === 1 ? parseLiveEvent(e) : e);
      expect(state.status).toBe('finished');
      expect(state.home.substitutions).toBeGreaterThanOrEqual(1);
      expect(state.home.substitutions).toBeLessThanOrEqual(3);
      home += state.home.goals;
      away += state.away.goals;
      reds += state.home.redCards + state.away.redCards;
    }
    expect(home / n).toBeGreaterThan(1.5);
    expect(home / n).toBeLessThan(2.1);
    expect(away / n).toBeGreaterThan(0.7);
    expect(away / n).toBeLessThan(1.15);
    expect(reds / n).toBeGreaterThan(0.05);
    expect(simulateMatch({ matchId: 'x', homeTeam: 'A', awayTeam: 'B', rates, seed: 7 })).toEqual(simulateMatch({ matchId: 'x', homeTeam: 'A', awayTeam: 'B', rates, seed: 7 }));
  });
});
