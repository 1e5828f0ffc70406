/**
 * The clock CPU limits are measured on: performance.now(), less the time the engine thread spent
 * paused in a debugger. A debug session's warden (worker-main.ts) adds each pause's length to a
 * shared counter when the debuggee resumes, so a breakpoint held for a minute does not count
 * against the execution it stopped. Outside a debug session there is no counter and this is
 * performance.now() itself.
 */
let pausedMs: Float64Array | undefined;

/** Bytes of the shared pause counter (one Float64: total ms spent paused). */
export const PAUSE_COUNTER_BYTES = 8;

/** Debug sessions only: read pauses from the counter the warden writes. */
export function usePauseCounter(buffer: SharedArrayBuffer): void {
  pausedMs = new Float64Array(buffer, 0, 1);
}

/** Whether a debugger is attached to this thread (the scripts it compiles carry source maps). */
export function debuggedThread(): boolean {
  return pausedMs !== undefined;
}

/** ms on the execution clock (performance.now() of this thread, less time spent paused). */
export function executionNow(): number {
  return pausedMs ? performance.now() - pausedMs[0] : performance.now();
}
