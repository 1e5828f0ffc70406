/**
 * How often a crashed language server is brought back: at most `max` times within `windowMs`
 * (4 in 3 minutes). A server that keeps crashing would otherwise restart forever and flood the
 * output; past the budget the user decides. Pure, with an injectable clock for the tests.
 */
export interface RestartDecision {
  restart: boolean;
  /** Stops within the window, this one included. */
  stops: number;
}

export class RestartBudget {
  private stops: number[] = [];

  constructor(
    readonly max = 4,
    readonly windowMs = 3 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records that the server stopped unexpectedly, and says whether to restart it. */
  recordStop(): RestartDecision {
    const t = this.now();
    this.stops = this.stops.filter((s) => t - s < this.windowMs);
    this.stops.push(t);
    return { restart: this.stops.length <= this.max, stops: this.stops.length };
  }

  /** A restart the user asked for starts a fresh budget. */
  reset(): void {
    this.stops = [];
  }
}
