import { describe, expect, it } from 'vitest';
import { isTipsterError } from '../core/errors.js';
import { parsePipelineParams } from './pipeline-params.js';

describe('pipeline run parameters', () => {
  it('reads JSON values where they parse and keeps the rest as text', () => {
    expect(
      parsePipelineParams(['league=E0', 'season=2223', 'dryRun=true', 'leagues=["E0","SP1"]', 'code=007', 'note=a=b', 'empty='], undefined),
    ).toEqual({ league: 'E0', season: 2223, dryRun: true, leagues: ['E0', 'SP1'], code: '007', note: 'a=b', empty: '' });
  });

  it('merges --params-json with --param', () => {
    expect(parsePipelineParams(['predictDays=7'], '{"asOf":"2023-01-15","leagues":["E0"]}')).toEqual({
      asOf: '2023-01-15',
      leagues: ['E0'],
      predictDays: 7,
    });
  });

  it('refuses what it cannot read, naming the option and the culprit', () => {
    for (const [pairs, json, message] of [
      [['league'], undefined, 'Invalid value for --param: "league" should look like key=value'],
      [['=E0'], undefined, 'Invalid value for --param: "=E0" should look like key=value'],
      [['leagues=["E0",'], undefined, 'Invalid value for --param: leagues: ["E0", looks like JSON but is not valid'],
      [['league=E0', 'league=SP1'], undefined, 'Invalid value for --param: "league" is given more than once'],
      [['league=E0'], '{"league":"SP1"}', 'Invalid value for --param: "league" is given more than once'],
      [[], '{league:E0}', 'Invalid value for --params-json: not valid JSON'],
      [[], '["E0"]', `Invalid value for --params-json: expected a JSON object such as '{"league":"E0"}', got ["E0"]`],
    ] as const) {
      let error: unknown;
      try {
        parsePipelineParams(pairs, json);
      } catch (e) {
        error = e;
      }
      expect(isTipsterError(error, 'TIPSTER_ERR_CLI_INVALID_ARGUMENT')).toBe(true);
      expect((error as Error).message).toContain(message);
    }
  });
});
