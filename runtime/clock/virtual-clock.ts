import { Clock, TimerHandle } from './clock';

export interface VirtualClockOptions {
  /**
   * Receives every error thrown by a timer callback. Without it, the clock still runs every due
   * timer and then rethrows from advance()/advanceTo(): the error itself if there was one,
   * an AggregateError if there were several.
   */
  onError?: (error: unknown) => void;
  /**
   * Timers allowed to fire at one instant in one advance (default 100,000). Time does not move
   * while timers keep re-arming themselves for "now" (a handler calling runIn(0, itself)): past
   * this many, advance stops with an error instead of never returning.
   */
  maxFiresPerInstant?: number;
}

/** Thrown when timers keep firing at one instant; the clock is left at that instant. */
export class TimerStormError extends Error {
  constructor(readonly at: number, readonly fired: number) {
    super(`${fired} timers fired at ${new Date(at).toISOString()} without time moving on: something keeps scheduling itself for "now" (a handler that calls runIn(0, itself)?)`);
    this.name = 'TimerStormError';
  }
}

interface Entry {
  readonly id: number;
  readonly at: number;
  /** Insertion order: breaks ties between timers due at the same millisecond. */
  readonly seq: number;
  readonly fire: () => void;
  /** Position in the heap array, kept current so clearTimer can remove in O(log n). */
  index: number;
}

/**
 * A clock that only moves when told to. Tests and the scenario runner use it to run hours of
 * schedules in milliseconds, with every timer firing at exactly its due time.
 *
 * A timer set for a time already past (at <= now) fires on the next advance, even advance(0),
 * never synchronously inside setTimer: code that sets a timer should not be re-entered by it.
 */
export class VirtualClock implements Clock {
  readonly kind = 'virtual' as const;
  private current: number;
  private readonly heap: Entry[] = [];
  private readonly byId = new Map<number, Entry>();
  private nextId = 1;
  private nextSeq = 0;
  private advancing = false;
  private readonly onError: ((error: unknown) => void) | undefined;
  private readonly maxFiresPerInstant: number;

  constructor(startMs: number, options: VirtualClockOptions = {}) {
    if (!Number.isFinite(startMs)) throw new RangeError(`VirtualClock start time must be a finite epoch ms, got ${startMs}`);
    this.current = startMs;
    this.onError = options.onError;
    this.maxFiresPerInstant = options.maxFiresPerInstant ?? 100_000;
  }

  now(): number {
    return this.current;
  }

  setTimer(at: number, fire: () => void): TimerHandle {
    if (Number.isNaN(at)) throw new RangeError('timer time must be a number of epoch ms, got NaN');
    const entry: Entry = { id: this.nextId++, at, seq: this.nextSeq++, fire, index: this.heap.length };
    this.heap.push(entry);
    this.siftUp(entry.index);
    this.byId.set(entry.id, entry);
    return { id: entry.id };
  }

  clearTimer(handle: TimerHandle): void {
    const entry = this.byId.get(handle.id);
    if (!entry) return;
    this.byId.delete(entry.id);
    this.removeAt(entry.index);
  }

  /** Due time of the earliest pending timer. */
  nextTimerAt(): number | undefined {
    return this.heap.length > 0 ? this.heap[0].at : undefined;
  }

  pendingTimers(): number {
    return this.heap.length;
  }

  advance(ms: number): void {
    if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`advance() needs a finite, non-negative number of ms, got ${ms}`);
    this.advanceTo(this.current + ms);
  }

  /**
   * Moves time to `target`, firing due timers one by one in (time, insertion) order. Timers that
   * callbacks set for a time <= target fire in the same call. Afterwards now() === target.
   */
  advanceTo(target: number): void {
    if (!Number.isFinite(target)) throw new RangeError(`advanceTo() needs a finite epoch ms, got ${target}`);
    if (target < this.current) {
      throw new RangeError(`cannot move a virtual clock backwards (now ${this.current}, asked for ${target})`);
    }
    // A nested advance would fire timers out of order relative to the one still running.
    if (this.advancing) throw new Error('advance()/advanceTo() called from inside a timer callback');
    this.advancing = true;
    const errors: unknown[] = [];
    let firedAtInstant = 0;
    try {
      while (this.heap.length > 0 && this.heap[0].at <= target) {
        const entry = this.heap[0];
        if (entry.at > this.current) firedAtInstant = 0;
        if (++firedAtInstant > this.maxFiresPerInstant) throw new TimerStormError(this.current, firedAtInstant - 1);
        this.removeAt(0);
        this.byId.delete(entry.id);
        // Overdue timers fire "now": time never runs backwards.
        if (entry.at > this.current) this.current = entry.at;
        try {
          entry.fire();
        } catch (error) {
          if (this.onError) this.onError(error);
          else errors.push(error);
        }
      }
      this.current = target;
    } finally {
      this.advancing = false;
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, `${errors.length} timer callbacks threw during advance`);
  }

  private less(a: Entry, b: Entry): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private place(entry: Entry, index: number): void {
    this.heap[index] = entry;
    entry.index = index;
  }

  private removeAt(index: number): void {
    const last = this.heap.pop();
    if (!last || index === this.heap.length) return;
    this.place(last, index);
    this.siftDown(index);
    this.siftUp(last.index);
  }

  private siftUp(index: number): void {
    const entry = this.heap[index];
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = this.heap[parentIndex];
      if (!this.less(entry, parent)) break;
      this.place(parent, index);
      index = parentIndex;
    }
    this.place(entry, index);
  }

  private siftDown(index: number): void {
    const entry = this.heap[index];
    const n = this.heap.length;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && this.less(this.heap[right], this.heap[left]) ? right : left;
      if (!this.less(this.heap[child], entry)) break;
      this.place(this.heap[child], index);
      index = child;
    }
    this.place(entry, index);
  }
}
