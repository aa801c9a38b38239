import { afterAll, beforeAll, expect, it } from 'vitest';
import { isTipsterError } from '../../src/core/errors.js';
import { migrateStore } from '../../src/store/migrate-store.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { ModelRegistry } from '../../src/tracking/model-registry.js';
import { TrackingStore } from '../../src/tracking/tracking-store.js';
import { describePerBackend } from '../support/backends.js';

describePerBackend('model registry', (backend) => {
  let url: string;
  let store: Store;
  let clock = 10_000;
  const now = () => clock;
  let tracking: TrackingStore;
  let registry: ModelRegistry;
  beforeAll(async () => {
    url = await backend.freshUrl();
    store = await openStore(url);
    await migrateStore(store);
    tracking = new TrackingStore(store, { now });
    registry = new ModelRegistry(store, { now, cacheCheckMs: 1_000 });
    await registry.registerModel({ name: 'football-1x2-E0', task: 'football-1x2', primaryMetric: 'rps', higherIsBetter: false });
  });
  afterAll(async () => {
    await store.close();
    await backend.cleanup();
  });

  const newVersion = async () => registry.createModelVersion('football-1x2-E0', await tracking.createRun({ experiment: 'football-1x2-E0' }));
  const code = async (promise: Promise<unknown>) => {
    const error = await promise.then(() => undefined, (e: unknown) => e);
    return isTipsterError(error) ? error.code : error;
  };

  it('numbers versions per model, links them to runs and keeps tags', async () => {
    const v1 = await newVersion();
    const v2 = await newVersion();
    expect([v1.version, v2.version]).toEqual([1, 2]);
    expect((await tracking.getRun(v1.runId)).experimentName).toBe('football-1x2-E0');
    await registry.setModelVersionTag('football-1x2-E0', 2, 'league', 'E0');
    expect((await registry.getModelVersion('football-1x2-E0', 2)).tags).toEqual({ league: 'E0' });
    expect((await registry.listModelVersions('football-1x2-E0')).map((v) => v.version)).toEqual([2, 1]);
    expect(await code(registry.getModelVersion('football-1x2-E0', 99))).toBe('TIPSTER_ERR_REGISTRY_VERSION_NOT_FOUND');
    expect(await code(registry.createModelVersion('no-such-model', v1.runId))).toBe('TIPSTER_ERR_REGISTRY_MODEL_NOT_FOUND');
  });

  it('promotes only when better on the same window, records why, and keeps an audit trail', async () => {
    const first = await registry.promoteIfBetter('football-1x2-E0', 1, { candidate: { rps: 0.2002 }, production: null }, { actor: 'pipeline:football-weekly', qualityFloor: 0.21 });
    expect(first.promote).toBe(true);
    expect((await registry.getModelVersionByAlias('football-1x2-E0', 'production'))?.version).toBe(1);

    // Not better by the margin: production stays, the decision is recorded on the candidate.
    const second = await registry.promoteIfBetter('football-1x2-E0', 2, { candidate: { rps: 0.2000 }, production: { rps: 0.2002 } }, { actor: 'pipeline:football-weekly', minImprovement: 0.0005, qualityFloor: 0.21 });
    expect(second).toMatchObject({ promote: false, passesQualityFloor: true });
    expect((await registry.getModelVersion('football-1x2-E0', 2)).tags).toMatchObject({ promotion: 'rejected', quality: 'good', promotion_reason: second.reason });
    clock += 2_000;
    expect((await registry.getModelVersionByAlias('football-1x2-E0', 'production'))?.version).toBe(1);

    const v3 = await newVersion();
    const third = await registry.promoteIfBetter('football-1x2-E0', v3.version, { candidate: { rps: 0.1990 }, production: { rps: 0.2002 } }, { actor: 'pipeline:football-weekly', minImprovement: 0.0005 });
    expect(third.promote).toBe(true);
    clock += 2_000;
    expect((await registry.getModelVersionByAlias('football-1x2-E0', 'production'))?.version).toBe(3);

    const history = await registry.aliasHistory('football-1x2-E0', 'production');
    expect(history.map((e) => [e.fromVersion, e.toVersion, e.actor])).toEqual([[1, 3, 'pipeline:football-weekly'], [null, 1, 'pipeline:football-weekly']]);
    expect(history[0]!.reason).toContain('beats production');

    // An admin rolls back: the alias returns to version 1, and that move is audited too.
    expect((await registry.rollback('football-1x2-E0', 'production', { actor: 'admin:alice' })).version).toBe(1);
    expect((await registry.aliasHistory('football-1x2-E0', 'production'))[0]).toMatchObject({ fromVersion: 3, toVersion: 1, actor: 'admin:alice', reason: 'rollback from version 3' });
    expect(await code(registry.rollback('football-1x2-E0', 'challenger', { actor: 'admin:alice' }))).toBe('TIPSTER_ERR_REGISTRY_ALIAS_NOT_FOUND');
  });

  it('serves alias lookups from cache and sees a move made by another process', async () => {
    clock += 2_000;
    expect((await registry.getModelVersionByAlias('football-1x2-E0', 'production'))?.version).toBe(1);
    // Another process (its own connection) moves the alias.
    const other = await openStore(url);
    try {
      await new ModelRegistry(other).setModelAlias('football-1x2-E0', 'production', 2, { actor: 'admin:bob', reason: 'manual promotion' });
    } finally {
      await other.close();
    }
    // Within the check interval the cached answer stands; after it, the move is picked up.
    expect((await registry.getModelVersionByAlias('football-1x2-E0', 'production'))?.version).toBe(1);
    clock += 1_000;
    expect((await registry.getModelVersionByAlias('football-1x2-E0', 'production'))?.version).toBe(2);
    expect(await registry.getModelVersionByAlias('football-1x2-E0', 'challenger')).toBeUndefined();
  });
});
