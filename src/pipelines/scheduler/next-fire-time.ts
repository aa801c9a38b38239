import { Cron } from 'croner';
import { TipsterError } from '../../core/errors.js';
import type { PipelineSchedule } from '../pipeline-catalogue.js';

/** A validated schedule: when does it fire next after a given instant. */
export interface CompiledSchedule extends PipelineSchedule {
  /** The first fire time strictly after `afterMs` (whole seconds), or null when the pattern never fires again. */
  nextFireAfter(afterMs: number): number | null;
}

/**
 * Checks a schedule's cron pattern and IANA time zone once, and returns it ready to compute fire
 * times. Fire times are wall-clock times in that zone: "0 6 * * *" in Europe/London is 06:00 GMT in
 * winter and 06:00 BST (05:00 UTC) in summer. Across a DST change croner fires each local time once:
 * a time the spring change skips runs an hour later, a time the autumn change repeats runs at its
 * second occurrence only.
 */
export function compileSchedule(pipeline: string, schedule: PipelineSchedule): CompiledSchedule {
  const invalid = (detail: string) => new TipsterError('TIPSTER_ERR_PIPELINE_SCHEDULE_INVALID', { pipeline, detail });
  if (typeof schedule.timezone !== 'string' || schedule.timezone.trim() === '') throw invalid('the time zone is empty');
  try {
    // Intl knows every IANA zone Node ships; croner would only fail later, on the first fire time.
    new Intl.DateTimeFormat('en-GB', { timeZone: schedule.timezone });
  } catch {
    throw invalid(`"${schedule.timezone}" is not an IANA time zone`);
  }
  let cron: Cron;
  try {
    cron = new Cron(schedule.cron, { timezone: schedule.timezone, paused: true });
  } catch (error) {
    throw invalid(`cron "${schedule.cron}": ${error instanceof Error ? error.message : String(error)}`);
  }
  return Object.freeze({
    cron: schedule.cron,
    timezone: schedule.timezone,
    nextFireAfter(afterMs: number): number | null {
      return cron.nextRun(new Date(afterMs))?.getTime() ?? null;
    },
  });
}

/** The next fire time of `schedule` strictly after `afterMs`; null when it never fires again. */
export function nextFireTime(pipeline: string, schedule: PipelineSchedule, afterMs: number): number | null {
  return compileSchedule(pipeline, schedule).nextFireAfter(afterMs);
}
