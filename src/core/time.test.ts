import { describe, it, expect } from 'vitest';
import { zonedLocalToUtcMs } from './time.js';

const LONDON = 'Europe/London';

describe('zonedLocalToUtcMs', () => {
  it('subtracts an hour for a summer (BST) kick-off', () => {
    // Crystal Palace v Arsenal, first match of 2022/23, kicked off 20:00 UK time.
    expect(zonedLocalToUtcMs('2022-08-05', '20:00', LONDON)).toBe(Date.UTC(2022, 7, 5, 19, 0));
  });

  it('equals UTC in winter (GMT)', () => {
    expect(zonedLocalToUtcMs('2023-01-14', '15:00', LONDON)).toBe(Date.UTC(2023, 0, 14, 15, 0));
  });

  it('treats a null time as local midnight, which is the previous UTC day in summer', () => {
    expect(zonedLocalToUtcMs('2022-08-05', null, LONDON)).toBe(Date.UTC(2022, 7, 4, 23, 0));
    expect(zonedLocalToUtcMs('2023-01-14', null, LONDON)).toBe(Date.UTC(2023, 0, 14, 0, 0));
  });

  it('switches offset on the weekend the clocks go forward', () => {
    // BST started 2023-03-26 at 01:00 UTC.
    expect(zonedLocalToUtcMs('2023-03-25', '15:00', LONDON)).toBe(Date.UTC(2023, 2, 25, 15, 0));
    expect(zonedLocalToUtcMs('2023-03-26', '00:30', LONDON)).toBe(Date.UTC(2023, 2, 26, 0, 30));
    expect(zonedLocalToUtcMs('2023-03-26', '14:00', LONDON)).toBe(Date.UTC(2023, 2, 26, 13, 0));
  });

  it('moves a wall time inside the spring-forward gap past the jump', () => {
    // 01:30 never happened in London that night; 02:30 BST (= 01:30Z) is what the clock showed instead.
    expect(zonedLocalToUtcMs('2023-03-26', '01:30', LONDON)).toBe(Date.UTC(2023, 2, 26, 1, 30));
  });

  it('picks the earlier instant for a wall time repeated when the clocks go back', () => {
    // GMT resumed 2023-10-29 at 01:00 UTC, so 01:30 local happened at 00:30Z and again at 01:30Z.
    expect(zonedLocalToUtcMs('2023-10-29', '01:30', LONDON)).toBe(Date.UTC(2023, 9, 29, 0, 30));
    expect(zonedLocalToUtcMs('2023-10-29', '02:00', LONDON)).toBe(Date.UTC(2023, 9, 29, 2, 0));
    expect(zonedLocalToUtcMs('2023-10-28', '17:30', LONDON)).toBe(Date.UTC(2023, 9, 28, 16, 30));
  });

  it('works for zones west of UTC and with half-hour offsets', () => {
    expect(zonedLocalToUtcMs('2022-08-05', '20:00', 'America/New_York')).toBe(Date.UTC(2022, 7, 6, 0, 0));
    expect(zonedLocalToUtcMs('2022-08-05', '20:00', 'Asia/Kolkata')).toBe(Date.UTC(2022, 7, 5, 14, 30));
    expect(zonedLocalToUtcMs('2022-08-05', '20:00', 'UTC')).toBe(Date.UTC(2022, 7, 5, 20, 0));
  });

  it('rejects inputs that are not a real date, time or zone', () => {
    expect(() => zonedLocalToUtcMs('2022-02-30', null, LONDON)).toThrow(RangeError);
    expect(() => zonedLocalToUtcMs('05/08/2022', null, LONDON)).toThrow(/2022-08-05/);
    expect(() => zonedLocalToUtcMs('2022-08-05', '24:00', LONDON)).toThrow(RangeError);
    expect(() => zonedLocalToUtcMs('2022-08-05', '8:00', LONDON)).toThrow(RangeError);
    expect(() => zonedLocalToUtcMs('2022-08-05', '20:00', 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});
