/**
 * The engine's FIFO of work: events caused by a handler run after it, never inside it. A turn runs
 * the queue and, between rounds, whatever `between` does (the apps' promise jobs, which may queue
 * more work), until both are done; then `endOfTurn` (the snapshots of the apps that changed).
 */
export interface TurnHooks {
  /** Whether `between` has something to do. */
  pending(): boolean;
  /** Runs after the queue empties (it may queue more work). */
  between(): void;
  /** A piece of work threw (an internal error: apps' errors are caught inside executions). */
  failed(error: unknown): void;
  endOfTurn(): void;
}

export class WorkQueue {
  private readonly queue: (() => void)[] = [];
  private head = 0;
  private running = false;

  constructor(private readonly hooks: TurnHooks) {}

  /** Whether a turn is running (work queued now runs in it). */
  get draining(): boolean {
    return this.running;
  }

  /** Runs `work` after everything already queued; runs the queue now unless it is already running. */
  enqueue(work: () => void): void {
    this.queue.push(work);
    if (!this.running) this.drain();
  }

  /**
   * Queues everything `fill` queues, then runs it all as one turn: many events arriving together
   * (a batch from the platform) end in one snapshot per app instead of one per event.
   */
  batch(fill: () => void): void {
    if (this.running) {
      fill();
      return;
    }
    this.running = true;
    try {
      fill();
    } finally {
      this.drain();
    }
  }

  private drain(): void {
    this.running = true;
    try {
      while (this.head < this.queue.length || this.hooks.pending()) {
        while (this.head < this.queue.length) {
          const work = this.queue[this.head++];
          try {
            work();
          } catch (e) {
            this.hooks.failed(e);
          }
        }
        if (this.hooks.pending()) this.hooks.between();
      }
    } finally {
      this.queue.length = 0;
      this.head = 0;
      this.running = false;
      this.hooks.endOfTurn();
    }
  }
}
