import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateStore } from '../../src/store/migrate-store.js';
import { openStore } from '../../src/store/open-store.js';
import { ModelRegistry } from '../../src/tracking/model-registry.js';
import { TrackingStore } from '../../src/tracking/tracking-store.js';
import { tipster } from '../support/cli-harness.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tipster-runs-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('tipster runs and tipster models', () => {
  beforeAll(async () => {
    process.env.TIPSTER_DATABASE_URL = `sqlite:${path.join(tmp, 'store.db')}`;
    const store = await openStore(process.env.TIPSTER_DATABASE_URL);
    await migrateStore(store);
    const tracking = new TrackingStore(store);
    const registry = new ModelRegistry(store);
    await registry.registerModel({ name: 'football-1x2-E0', task: 'football-1x2', primaryMetric: 'rps', higherIsBetter: false });
    for (const [i, rps] of [0.2011, 0.2002, 0.1995].entries()) {
      const runId = await tracking.createRun({ experiment: 'football-1x2-E0', name: `dixon-coles #${i + 1}`, tags: { league: 'E0' } });
      await tracking.logMetric(runId, 'rps', rps);
      await tracking.endRun(runId);
      await registry.createModelVersion('football-1x2-E0', runId);
    }
    await registry.setModelAlias('football-1x2-E0', 'production', 2, { actor: 'test', reason: 'setup' });
    await store.close();
  });

  it('searches runs with metric filters, order and paging, as a table and as JSON', async () => {
    const table = await tipster('runs', 'search', '--experiment', 'football-1x2-E0', '--metric', 'rps<0.201', '--order-by', 'metric:rps:asc');
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.split('\n').filter((l) => l.includes('dixon-coles'));
    expect(lines.map((l) => /#\d/.exec(l)![0])).toEqual(['#3', '#2']);
    const first = JSON.parse((await tipster('runs', 'search', '--tag', 'league=E0', '--limit', '2', '--json')).stdout);
    expect(first.runs).toHaveLength(2);
    const rest = JSON.parse((await tipster('runs', 'search', '--tag', 'league=E0', '--limit', '2', '--page-token', first.nextPageToken, '--json')).stdout);
    expect(rest.runs).toHaveLength(1);
    expect(rest.nextPageToken).toBeUndefined();
    const bad = await tipster('runs', 'search', '--metric', 'rps~0.2');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('should look like rps<0.2');
  });

  it('lists models and versions, promotes by hand and rolls back, with an audit trail', async () => {
    const list = JSON.parse((await tipster('models', 'list', '--json')).stdout);
    expect(list).toEqual([expect.objectContaining({ name: 'football-1x2-E0', production: 2, versions: 3 })]);
    expect((await tipster('models', 'promote', 'football-1x2-E0', '3', '--reason', 'better on the 2022/23 window')).stdout).toContain('production → version 3');
    const versions = JSON.parse((await tipster('models', 'versions', 'football-1x2-E0', '--json')).stdout);
    expect(versions.find((v: { version: number }) => v.version === 3).aliases).toEqual(['production']);
    expect((await tipster('models', 'rollback', 'football-1x2-E0')).stdout).toContain('rolled back to version 2');
    const missing = await tipster('models', 'versions', 'no-such-model');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('tipster models list');
    const missingReason = await tipster('models', 'promote', 'football-1x2-E0', '1');
    expect(missingReason.code).toBe(2);
  });
});
