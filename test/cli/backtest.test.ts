import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tipster } from '../support/cli-harness.js';
import { SHARED_FOOTBALL_DATA } from '../support/shared-data.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tipster-backtest-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));



describe('tipster backtest football', () => {
  beforeAll(async () => {
    process.env.TIPSTER_DATABASE_URL = `sqlite:${path.join(tmp, 'store.db')}`;
    process.env.TIPSTER_VAR_DIR = tmp;
    await tipster('db', 'migrate');
    const files = ['1819', '1920', '2021', '2122', '2223'].map((s) => path.join(SHARED_FOOTBALL_DATA, 'E0', `${s}.csv`));
    expect((await tipster('ingest', 'football-data', ...files)).code).toBe(0);
  });

  it('prints the comparison table and writes an HTML report with charts', async () => {
    const result = await tipster('backtest', 'football', '--league', 'E0', '--from', '2122', '--to', '2223', '--models', 'market-bet365,market-pinnacle-shin');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('E0 2122–2223: 760 matches scored');
    expect(result.stdout).toMatch(/market-bet365\s+0\.\d{4}\s+\+0\.0000/);
    const reportPath = /Report: (.+)$/m.exec(result.stdout)![1]!;
    expect(reportPath.startsWith(tmp)).toBe(true);
    const html = fs.readFileSync(reportPath, 'utf8');
    expect(html.match(/<svg /g)!.length).toBeGreaterThanOrEqual(4);
    expect(html).toContain('market-pinnacle-shin');
  });

  it('backtests the value bets the API would have served, with money that adds up', async () => {
    const result = await tipster('backtest', 'value-bets', '--league', 'E0', '--from', '2223', '--models', 'dixon-coles', '--json');
    expect(result.code, result.stderr).toBe(0);
    const { runs } = JSON.parse(result.stdout);
    expect(runs).toHaveLength(1);
    const r = runs[0].result;
    expect(runs[0]).toMatchObject({ model: 'dixon-coles', scope: 'E0' });
    expect(r.matchesConsidered).toBe(380);
    expect(r.bets).toBeGreaterThan(0);
    expect(r.bets).toBeLessThanOrEqual(380);
    // The bankroll moves by exactly the profit, and yield and ROI are that profit over stakes and bankroll.
    expect(r.finalBankrollMinor - r.startingBankrollMinor).toBe(r.profitMinor);
    expect(r.yield).toBeCloseTo(r.profitMinor / r.stakedMinor, 12);
    expect(r.roi).toBeCloseTo(r.profitMinor / r.startingBankrollMinor, 12);
    expect(r.meanEdge).toBeGreaterThanOrEqual(0.02);
    expect(r.maxDrawdown).toBeGreaterThanOrEqual(0);
    expect(r.maxDrawdown).toBeLessThanOrEqual(1);
  });

  it('prints the same figures as JSON for scripts', async () => {
    const result = await tipster('backtest', 'football', '--league', 'E0', '--from', '2223', '--models', 'market-bet365', '--json', '--report', path.join(tmp, 'r.html'));
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({ leagues: ['E0'], matches: 380, reference: 'market-bet365', report: path.join(tmp, 'r.html') });
    expect(json.overall['market-bet365'].rps).toBeGreaterThan(0.15);
    expect(json.overall['market-bet365'].rps).toBeLessThan(0.25);
    expect(json.bySeason).toEqual([expect.objectContaining({ competition: 'E0', season: '2223' })]);
  });

  it('explains unknown models and empty selections', async () => {
    const unknown = await tipster('backtest', 'football', '--league', 'E0', '--from', '2223', '--models', 'crystal-ball');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown model "crystal-ball"; available: .*market-<bookmaker>/);
    const empty = await tipster('backtest', 'football', '--league', 'D1', '--from', '2223', '--models', 'market-bet365');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('tipster ingest football-data');
  });
});
