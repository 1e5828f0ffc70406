import type { RateBudget } from './records';

export interface RateLimit {
  executions: number;
  windowMs: number;
}

/** Seed 001: an installed app may execute 250 times in 60 s. */
export const DEFAULT_RATE_LIMIT: RateLimit = { executions: 250, windowMs: 60_000 };

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
