/**
 * The rate limit of app endpoints at the platform, as SmartThings documents it for web-service
 * SmartApps: 250 calls per 60-second window per installed app, over it a 429 with the
 * `X-RateLimit-Limit`, `X-RateLimit-Current` and `X-RateLimit-TTL` headers (the Thing's runtime
 * counts the app's executions the same way and says so with the same headers). Held here too so
 * that a flood of calls never reaches the broker or the Thing.
 */
export const ENDPOINT_CALLS_PER_WINDOW = 250;
export const ENDPOINT_WINDOW_MS = 60_000;

export interface RateDecision {
  allowed: boolean;
  headers: Record<string, string>;
}

export class EndpointRate {
  private readonly windows = new Map<string, { start: number; used: number }>();

  constructor(
    private readonly limit = ENDPOINT_CALLS_PER_WINDOW,
    private readonly windowMs = ENDPOINT_WINDOW_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one call of `key` (a Thing's installation), unless it is over the limit. */
  take(key: string): RateDecision {
    const now = this.now();
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      if (this.windows.size > 10_000) this.prune(now);
      w = { start: now, used: 0 };
      this.windows.set(key, w);
    }
    const allowed = w.used < this.limit;
    if (allowed) w.used++;
    const ttl = Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000));
    const headers: Record<string, string> = { 'x-ratelimit-limit': String(this.limit), 'x-ratelimit-current': String(w.used), 'x-ratelimit-ttl': String(ttl) };
    if (!allowed) headers['retry-after'] = String(ttl);
    return { allowed, headers };
  }

  private prune(now: number): void {
    for (const [k, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(k);
  }
}
