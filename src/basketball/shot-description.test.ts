import { describe, expect, it } from 'vitest';
import { isTipsterError } from '../core/errors.js';
import { describeShot, type ShotDescription } from './shot-description.js';

const invalid = (input: ShotDescription, pattern: RegExp) => {
  let error: unknown;
  try {
    describeShot(input);
  } catch (e) {
    error = e;
  }
  expect(isTipsterError(error, 'TIPSTER_ERR_NBA_SHOT_INVALID'), String(error)).toBe(true);
  expect((error as Error).message).toMatch(pattern);
};

describe('describeShot', () => {
  it('completes a shot given by its location: distance, zone, side, range and type', () => {
    expect(describeShot({ period: 1, clock: '11:01', locX: -0.4, locY: 17.45, actionType: 'Driving Floating Jump Shot', playerId: 1629673 })).toEqual({
      playerId: 1629673,
      teamId: null,
      opponentTeamId: null,
      isHome: null,
      period: 1,
      secondsLeft: 661,
      locX: -0.4,
      locY: 17.45,
      distanceFt: 12,
      basicZone: 'In The Paint (Non-RA)',
      zoneArea: 'Center',
      zoneRange: '8-16 ft.',
      shotType: '2PT Field Goal',
      actionType: 'Driving Floating Jump Shot',
    });
  });

  it('takes a distance (and zone or type) when there is no location', () => {
    expect(describeShot({ period: 4, secondsLeft: 3, distanceFt: 26, shotType: '3PT Field Goal' })).toMatchObject({
      basicZone: 'Above the Break 3',
      zoneRange: '24+ ft.',
      zoneArea: null,
      locX: null,
    });
    expect(describeShot({ period: 2, secondsLeft: 100, distanceFt: 23, basicZone: 'Left Corner 3' })).toMatchObject({ shotType: '3PT Field Goal', zoneRange: '24+ ft.' });
    expect(describeShot({ period: 2, secondsLeft: 100, distanceFt: 2 })).toMatchObject({ basicZone: 'Restricted Area', zoneRange: 'Less Than 8 ft.' });
  });

  it('is idempotent: describing a described shot changes nothing', () => {
    const shot = describeShot({ period: 5, clock: '0:04', locX: 23, locY: 3, isHome: true, teamId: 3, opponentTeamId: 4 });
    expect(describeShot(shot)).toEqual(shot);
  });

  it('names what is wrong with an unusable description', () => {
    invalid({ period: 0, secondsLeft: 10, distanceFt: 3 }, /period must be a whole number from 1 to 10/);
    invalid({ period: 1, distanceFt: 3 }, /give the time left in the period/);
    invalid({ period: 5, clock: '6:00', distanceFt: 3 }, /clock 6:00 is longer than a 5-minute period/);
    invalid({ period: 1, clock: '7.32', distanceFt: 3 }, /clock must look like 7:32/);
    invalid({ period: 1, secondsLeft: 10 }, /give the court location .* or the distance/);
    invalid({ period: 1, secondsLeft: 10, locX: 3 }, /give both locX and locY/);
    invalid({ period: 1, secondsLeft: 10, locX: 0, locY: 6, distanceFt: 20 }, /distanceFt 20 does not match the location/);
    invalid({ period: 1, secondsLeft: 10, locX: 0, locY: 6, shotType: '3PT Field Goal' }, /cannot be taken from Restricted Area/);
    invalid({ period: 1, secondsLeft: 10, distanceFt: 5, basicZone: 'Downtown' }, /basicZone must be one of "Restricted Area"/);
    invalid({ period: 1, secondsLeft: 10, distanceFt: 5, teamId: 2, opponentTeamId: 2 }, /must differ/);
  });
});
