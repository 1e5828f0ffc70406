import type { RateBudget } from './records';

export interface RateLimit {
  executions: number;
  windowMs: number;
}

/** Seed 001: an installed app may execute 250 times in 60 s. */
export const DEFAULT_RATE_LIMIT: RateLimit = { executions: 250, windowMs: 60_000 };

/**
 * The open window, as the app's snapshot keeps it: a worker re-spawned mid-window restores it, so
 * crashing the worker does not hand an app a fresh budget.
 */
export interface RateWindowSnapshot {
  /** Epoch ms (runtime clock) when the window opened. */
  start: number;
  used: number;
  dropped: number;
}

/**
 * A fixed window per installed app that opens with the first execution after the previous window
 * ended. When the window is full, executions are dropped (and counted) until it ends.
 */
export class RateLimiter {
  private windowStart = -Infinity;
  private used = 0;
  private dropped = 0;

  constructor(private readonly limit: RateLimit | undefined) {}

  /** Returns 'ok', 'first-drop' (the moment to log) or 'drop'. */
  take(now: number): 'ok' | 'first-drop' | 'drop' {
    if (!this.limit) return 'ok';
    if (now >= this.windowStart + this.limit.windowMs) {
      this.windowStart = now;
      this.used = 0;
      this.dropped = 0;
    }
    if (this.used < this.limit.executions) {
      this.used++;
      return 'ok';
    }
    this.dropped++;
    return this.dropped === 1 ? 'first-drop' : 'drop';
  }

  /** How many executions the last full window dropped, once it has ended (then resets). */
  droppedInEndedWindow(now: number): number {
    if (!this.limit || this.dropped === 0 || now < this.windowStart + this.limit.windowMs) return 0;
    const n = this.dropped;
    this.dropped = 0;
    return n;
  }

  /** The window to keep in the snapshot; undefined before the first execution (or with no limit). */
  window(): RateWindowSnapshot | undefined {
    if (!this.limit || !Number.isFinite(this.windowStart)) return undefined;
    return { start: this.windowStart, used: this.used, dropped: this.dropped };
  }

  /** Takes up a window kept in a snapshot (one that has ended since is rolled over by the next take). */
  restore(w: RateWindowSnapshot): void {
    const count = (n: unknown) => (typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : 0);
    if (typeof w.start !== 'number' || !Number.isFinite(w.start)) return;
    this.windowStart = w.start;
    this.used = count(w.used);
    this.dropped = count(w.dropped);
  }

  budget(now: number): RateBudget {
    if (!this.limit) return { used: this.used, limit: Infinity, windowEndsAt: Infinity };
    const open = now < this.windowStart + this.limit.windowMs;
    return {
      used: open ? this.used : 0,
      limit: this.limit.executions,
      windowEndsAt: open ? this.windowStart + this.limit.windowMs : now + this.limit.windowMs,
    };
  }
}
