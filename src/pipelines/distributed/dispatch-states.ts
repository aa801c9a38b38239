/**
 * States of a dispatched attempt. `dispatched` waits in the queue; `running` is claimed by one worker;
 * `succeeded` and `failed` carry that worker's result; `lost` means its worker was taken for dead, or
 * let go of it while shutting down (it runs again, as a new attempt); `withdrawn` means the
 * coordinator called it back (its run was taken away, no worker was alive to take it, or it overran
 * its timeout on a worker that did not stop it).
 */
export const DISPATCH_STATES = ['dispatched', 'running', 'succeeded', 'failed', 'lost', 'withdrawn'] as const;
/** A dispatch state. */
export type DispatchState = (typeof DISPATCH_STATES)[number];

/** True when `value` is a dispatch state. */
export function isDispatchState(value: unknown): value is DispatchState {
  return typeof value === 'string' && (DISPATCH_STATES as readonly string[]).includes(value);
}
