import { describe, expect, it } from 'vitest';
import { isTipsterError } from '../core/errors.js';
import { parseLiveEvent } from './live-event.js';

const base = { matchId: 'm1', homeTeam: 'Arsenal', awayTeam: 'Chelsea', id: 'e1', index: 1, period: 1, minute: 3, second: 12, type: 'Pass', team: 'Arsenal' };

describe('live event schema', () => {
  it('accepts a valid shot and a corner pass', () => {
    expect(parseLiveEvent({ ...base, type: 'Shot', location: [100, 40], shot: { outcome: 'Goal', xg: 0.31, kind: 'Open Play' } }).shot?.xg).toBe(0.31);
    expect(parseLiveEvent({ ...base, corner: true }).corner).toBe(true);
  });

  it('names every problem of a bad event at once', () => {
    try {
      parseLiveEvent({ ...base, type: 'Shot', team: 'Spurs', minute: -1, colour: 'red' }, 'batch item 4');
      expect.unreachable();
    } catch (error) {
      expect(isTipsterError(error, 'TIPSTER_ERR_LIVE_EVENT_INVALID')).toBe(true);
      const message = (error as Error).message;
      expect(message).toContain('batch item 4 (id e1)');
      for (const part of ['unknown field "colour"', 'minute must be', 'team must be homeTeam or awayTeam', 'a Shot needs shot']) expect(message).toContain(part);
    }
  });

  it('rejects cards on the wrong event, bad xG and match ids that cannot be NATS subjects', () => {
    expect(() => parseLiveEvent({ ...base, card: 'Red Card' })).toThrow(/card must be one of/);
    expect(() => parseLiveEvent({ ...base, type: 'Shot', shot: { outcome: 'Goal', xg: 1.5 } })).toThrow(/shot.xg/);
    expect(() => parseLiveEvent({ ...base, matchId: 'a.b c>' })).toThrow(/matchId/);
  });
});
