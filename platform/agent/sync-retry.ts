/**
 * When an agent tries a Bundle Sync again after it failed on the way (a download the platform did
 * not answer, the worker lost during the switch): after growing waits, to the last, with ±25 %
 * jitter so a fleet does not come back all at once. A new desired state starts over. A bundle
 * refused for what it is (its checksum, its contents) is not tried again: that is the agent's call.
 */
export const SYNC_RETRY_MS = [2_000, 4_000, 8_000, 16_000, 32_000, 60_000];

export class SyncRetry {
  private timer: NodeJS.Timeout | undefined;
  /** Tries that failed in a row. */
  private failed = 0;

  /** The wait before the next try, without jitter. */
  nextMs(): number {
    return SYNC_RETRY_MS[Math.min(this.failed, SYNC_RETRY_MS.length - 1)];
  }

  /** Runs `again` after the next wait (jittered); counts the failure. */
  schedule(again: () => void): void {
    const base = this.nextMs();
    this.failed++;
    this.cancel();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      again();
    }, Math.round(base * (0.75 + Math.random() * 0.5)));
    this.timer.unref();
  }

  /** A try is starting (or the agent stops): the one scheduled is not needed. */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** A sync succeeded, or a new desired state came: the waits start over. */
  reset(): void {
    this.failed = 0;
  }
}
