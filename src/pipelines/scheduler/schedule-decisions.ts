/**
 * What a scheduler tick decided for one fire time: a run was started; the run condition said no;
 * another run of the pipeline was active (or another scheduler took this fire time); or the run
 * could not be started (condition or store failed).
 */
export const SCHEDULE_DECISIONS = ['started', 'skipped_condition', 'skipped_overlap', 'failed_to_start'] as const;
/** A scheduler tick decision. */
export type ScheduleDecision = (typeof SCHEDULE_DECISIONS)[number];

/** True when `value` is a scheduler tick decision. */
export function isScheduleDecision(value: unknown): value is ScheduleDecision {
  return typeof value === 'string' && (SCHEDULE_DECISIONS as readonly string[]).includes(value);
}
