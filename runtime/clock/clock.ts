/**
 * Time as the runtime sees it. Everything that waits (runIn, schedule, sunrise, rate-limit windows)
 * goes through a Clock, so a test can swap real time for a virtual clock it advances by hand.
 */
export interface TimerHandle {
  readonly id: number;
}

export interface Clock {
  readonly kind: 'real' | 'virtual';
  /** Epoch milliseconds. */
  now(): number;
  /** Calls `fire` at (or, for a real clock, as soon as possible after) the absolute time `at`. */
  setTimer(at: number, fire: () => void): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}
