import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateStore } from '../../src/store/migrate-store.js';
import { openStore } from '../../src/store/open-store.js';
import { describePerBackend } from '../support/backends.js';
import { tipster } from '../support/cli-harness.js';
import { isoDays, sampleLines, sampleOfDates, writeTempCsv } from './support/nba-sample.js';

describe('tipster nba evaluate', () => {
  const { header } = sampleLines();
  const train = writeTempCsv('oct.csv', header, sampleOfDates(isoDays('2023-10-24', '2023-10-31')));
  const test = writeTempCsv('nov.csv', header, sampleOfDates(isoDays('2023-11-01', '2023-11-03')));
  afterAll(() => {
    for (const file of [train, test]) fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });

  it('trains every candidate on one file and scores them on another', async () => {
    const json = await tipster('nba', 'evaluate', '--train', train, '--test', test, '--json');
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.train).toMatchObject({ shots: 9_694, gameDays: 8, from: '2023-10-24', to: '2023-10-31' });
    expect(report.test).toMatchObject({ shots: 4_257, gameDays: 3, from: '2023-11-01', to: '2023-11-03' });
    expect(report.candidates.map((c: { candidate: string }) => c.candidate)).toEqual(['logistic-base', 'logistic-skill', 'gbt-base', 'gbt-skill', 'gbt-skill-platt', 'gbt-skill-offsets']);
    for (const c of report.candidates) {
      expect(c.metrics.shots).toBe(4_257);
      expect(c.metrics.log_loss).toBeLessThan(0.68);
      expect(c.metrics.auc).toBeGreaterThan(0.6);
      expect(c.reliability.bins).toHaveLength(10);
    }
    const best = report.candidates.reduce((a: { metrics: { log_loss: number } }, b: { metrics: { log_loss: number } }) => (b.metrics.log_loss < a.metrics.log_loss ? b : a));
    expect(report.best).toBe(best.candidate);

    const text = await tipster('nba', 'evaluate', '--train', train, '--test', test, '--candidates', 'logistic-base,gbt-base');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/candidate +log loss +AUC +accuracy +Brier +ECE +train s/);
    expect(text.stdout).toMatch(/^gbt-base( \*)? +0\.6\d{3} +0\.6\d{3}/m);
    expect(text.stdout).toContain('Reliability of');
  });

  it('names a missing file, a file that is not a shot chart, and an unknown candidate', async () => {
    const missing = await tipster('nba', 'evaluate', '--train', 'no-such.csv', '--test', test);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No NBA shot-chart CSV found at no-such.csv');
    const notShots = writeTempCsv('results.csv', 'Div,Date,HomeTeam,AwayTeam', ['E0,01/01/2020,Arsenal,Chelsea']);
    const wrong = await tipster('nba', 'evaluate', '--train', notShots, '--test', test);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('is not an NBA.com shot-chart CSV: the header lacks GAME_ID');
    const unknown = await tipster('nba', 'evaluate', '--train', train, '--test', test, '--candidates', 'gbt-base,random-forest');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown random-forest; choose from logistic-base');
  });
});

describePerBackend('tipster ingest nba-shots', (backend) => {
  const { header } = sampleLines();
  const file = writeTempCsv('two-days.csv', header, sampleOfDates(['2023-10-24', '2023-10-26']));
  beforeAll(async () => {
    const url = await backend.freshUrl();
    process.env.TIPSTER_DATABASE_URL = url;
    const store = await openStore(url);
    await migrateStore(store);
    await store.close();
  });
  afterAll(async () => {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
    await backend.cleanup();
  });

  it('loads a file, reports it unchanged the second time, and lists every issue with --json', async () => {
    const first = await tipster('ingest', 'nba-shots', file);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('nba-shots: 1 file(s) loaded, 0 unchanged, 0 rejected, 0 failed; shots 703 new / 0 updated, games 4 new');
    const again = await tipster('ingest', 'nba-shots', file, '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject([{ status: 'unchanged', shots: 0 }]);

    const bad = writeTempCsv('bad.csv', header, [sampleOfDates(['2023-10-24'])[0]!.replace(/,(TRUE|FALSE),/, ',MAYBE,')]);
    const strict = await tipster('ingest', 'nba-shots', bad, '--strict');
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('bad.csv:2 [SHOT_MADE] expected TRUE or FALSE (value "MAYBE")');
    expect(strict.stderr).toContain('1 row(s) have errors and --strict is set; nothing from this file was written');
  });
});
