import { expect, it } from 'vitest';
import { basicZoneAt, shotTypeOfZone, wholeFeetFromHoop, zoneAreaAt, zoneRangeOf } from '../../src/basketball/shot-geometry.js';
import { sampleLines } from './support/nba-sample.js';

it('derives NBA.com’s distance, zone, side, type and range from the location on real 2023-24 shots', () => {
  const { lines } = sampleLines();
  let distance = 0;
  let zone = 0;
  let area = 0;
  let type = 0;
  let range = 0;
  for (const line of lines) {
    const f = line.split(',');
    const x = Number(f[20]);
    const y = Number(f[21]);
    const z = basicZoneAt(x, y);
    if (wholeFeetFromHoop(x, y) === Number(f[22])) distance++;
    if (z === f[16]) zone++;
    if (zoneAreaAt(x, y, f[16] as never) === f[17]) area++;
    if (shotTypeOfZone(f[16] as never) === f[15]) type++;
    if (zoneRangeOf(Number(f[22]), f[16] as never, f[15] as never) === f[19]) range++;
  }
  const share = (n: number) => n / lines.length;
  expect(share(distance)).toBe(1);
  expect(share(zone)).toBeGreaterThan(0.998);
  expect(share(type)).toBeGreaterThan(0.999);
  expect(share(range)).toBeGreaterThan(0.995);
  expect(share(area)).toBeGreaterThan(0.985);
});
