/**
 * When a worker is restarted with no app to blame (its process lost, its engine thread lost with
 * no app running): at once for the first few, each within a minute of the one before; then after
 * growing waits (1 s, 2 s, 4 s … up to 30 s by default), said to the Things. A worker that dies over
 * and over must not spin, and its Things must come back: they are never given up.
 */
export interface RestartPolicyOptions {
  /** Restarts made at once, each within a minute of the one before (default 3). */
  restartsBeforeBackoff?: number;
  /** The first wait (default 1000 ms). */
  restartBackoffMs?: number;
  /** The longest wait (default 30000 ms). */
  maxRestartBackoffMs?: number;
}

export class RestartPolicy {
  /** Restarts with no app to blame, each within a minute of the one before. */
  private failures = 0;
  private lastFailureAt = 0;
  /** Ends a wait early (the pool is closing). */
  private wake: (() => void) | undefined;

  constructor(private readonly options: RestartPolicyOptions) {}

  /**
   * Counts one restart and waits as long as the count asks; `say` is told of a wait before it
   * starts, with its length and why.
   */
  async backOff(reason: string, say: (delayMs: number, text: string) => void, closed: () => boolean): Promise<void> {
    const now = Date.now();
    if (now - this.lastFailureAt > 60_000) this.failures = 0;
    this.failures++;
    this.lastFailureAt = now;
    const free = this.options.restartsBeforeBackoff ?? 3;
    if (this.failures <= free || closed()) return;
    const delayMs = Math.min(this.options.maxRestartBackoffMs ?? 30_000, (this.options.restartBackoffMs ?? 1000) * 2 ** (this.failures - free - 1));
    say(delayMs, `${this.failures} restarts, each within a minute of the one before; waiting ${delayMs} ms before the next (last: ${reason})`);
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, delayMs);
      this.wake = done;
    });
    // The minute counts from the restart itself.
    this.lastFailureAt = Date.now();
  }

  /** Ends the current wait at once. */
  cancel(): void {
    this.wake?.();
  }
}
