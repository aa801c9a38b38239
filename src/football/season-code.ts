/** A season code `YYZZ` (football-data style): `2223` is 2022/23, `9900` is 1999/2000. */
export interface SeasonCode {
  readonly code: string;
  readonly startYear: number;
  /** Human label, e.g. `2022/23`. */
  readonly label: string;
}

/** Parses a season code; returns undefined unless it is four digits naming consecutive years. */
export function parseSeasonCode(code: string): SeasonCode | undefined {
  if (!/^\d{4}$/.test(code)) return undefined;
  const first = Number(code.slice(0, 2));
  const second = Number(code.slice(2, 4));
  if ((first + 1) % 100 !== second) return undefined;
  const startYear = first >= 50 ? 1900 + first : 2000 + first;
  return Object.freeze({ code, startYear, label: `${startYear}/${code.slice(2, 4)}` });
}

/** The season code of the season starting in `startYear` (e.g. 2022 → `2223`). */
export function seasonCodeForStartYear(startYear: number): string {
  const a = startYear % 100;
  const b = (startYear + 1) % 100;
  return `${String(a).padStart(2, '0')}${String(b).padStart(2, '0')}`;
}
