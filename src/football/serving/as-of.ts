import { TipsterError } from '../../core/errors.js';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** Parses an ISO date (midnight UTC) or date-time with offset into UTC ms; a 400 problem otherwise. */
export function parseAsOfParam(value: string): number {
  const ms = ISO_INSTANT.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new TipsterError('TIPSTER_ERR_FOOTBALL_AS_OF_INVALID', { reason: `"${value}" is not an ISO date such as 2023-03-01` });
  return ms;
}

/** Where the service stands in time: TIPSTER_AS_OF when set, else the wall clock. */
export interface AsOfClock {
  /** The service's as-of instant (UTC ms). */
  nowMs(): number;
  /** True when TIPSTER_AS_OF pins the service to a date. */
  readonly pinned: boolean;
}

/** An as-of clock over the configured instant (null = follow `wallClock`). */
export function asOfClock(configuredAsOfMs: number | null, wallClock: () => number): AsOfClock {
  return configuredAsOfMs === null ? { nowMs: wallClock, pinned: false } : { nowMs: () => configuredAsOfMs, pinned: true };
}

/**
 * The as-of instant of one request: the service's, or `requested` when the caller may move it
 * (administrators exploring history). Others asking for another instant get a 400 that says why.
 */
export function requestAsOf(clock: AsOfClock, requested: string | undefined, mayMove: boolean): number {
  if (requested === undefined) return clock.nowMs();
  if (!mayMove) throw new TipsterError('TIPSTER_ERR_FOOTBALL_AS_OF_INVALID', { reason: 'only administrators may set asOf on a request' });
  return parseAsOfParam(requested);
}
