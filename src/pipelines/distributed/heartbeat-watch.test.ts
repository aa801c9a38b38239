import { describe, expect, it } from 'vitest';
import { HeartbeatWatch } from './heartbeat-watch.js';

describe('HeartbeatWatch', () => {
  it('measures how long a heartbeat has stood still on the local clock, whatever the worker clock says', () => {
    const watch = new HeartbeatWatch();
    // The worker's clock is an hour behind ours: only movement matters.
    const workerClock = 1_000_000 - 3_600_000;
    expect(watch.observe('w1', workerClock, 1_000)).toBe(0);
    expect(watch.observe('w1', workerClock, 1_400)).toBe(400);
    expect(watch.observe('w1', workerClock + 1_000, 2_000)).toBe(0);
    expect(watch.observe('w1', workerClock + 1_000, 7_500)).toBe(5_500);
  });

  it('gives a worker seen for the first time a full window, even if its last beat is old', () => {
    const watch = new HeartbeatWatch();
    expect(watch.observe('dead-before-we-started', 5, 10_000)).toBe(0);
    expect(watch.observe('dead-before-we-started', 5, 16_000)).toBe(6_000);
  });

  it('forgets workers it has not been asked about for a while', () => {
    const watch = new HeartbeatWatch();
    watch.observe('w1', 1, 0);
    watch.observe('w2', 1, 0);
    watch.observe('w2', 1, 900);
    watch.forgetIdle(1_000, 500);
    // w1 was forgotten, so it starts a fresh window; w2 was kept.
    expect(watch.observe('w1', 1, 1_000)).toBe(0);
    expect(watch.observe('w2', 1, 1_000)).toBe(1_000);
  });
});
