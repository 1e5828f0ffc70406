import { Clock, TimerHandle } from './clock';

/** setTimeout stores its delay as a signed 32-bit int; longer delays fire at once (with a warning). */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** The host timer functions RealClock uses; tests pass a fake to check re-arming without waiting. */
export interface TimerHost {
  now(): number;
  setTimeout(fire: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setImmediate(fire: () => void): unknown;
  clearImmediate(handle: unknown): void;
}

export const nodeTimerHost: TimerHost = {
  now: () => Date.now(),
  setTimeout: (fire, ms) => setTimeout(fire, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  setImmediate: (fire) => setImmediate(fire),
  clearImmediate: (handle) => clearImmediate(handle as NodeJS.Immediate),
};

export interface RealClockOptions {
  /** Let the process exit while timers are pending (Node's timer.unref()). Default false. */
  unref?: boolean;
  /** Receives errors thrown by timer callbacks; without it they propagate as Node's uncaught exceptions. */
  onError?: (error: unknown) => void;
  host?: TimerHost;
}

/**
 * What to do for a timer due at `at` when the time is `now`: fire it (soon, but never
 * synchronously), or sleep and look again. Sleeps are capped at MAX_TIMEOUT_MS, so a timer days or
 * months away is re-armed several times; waking early for any reason just means sleeping again.
 */
export function nextWait(at: number, now: number): { kind: 'fire' } | { kind: 'sleep'; ms: number } {
  const remaining = at - now;
  if (!(remaining > 0)) return { kind: 'fire' };
  return { kind: 'sleep', ms: Math.min(Math.ceil(remaining), MAX_TIMEOUT_MS) };
}

interface Pending {
  readonly at: number;
  readonly fire: () => void;
  handle: unknown;
  immediate: boolean;
}

export class RealClock implements Clock {
  readonly kind = 'real' as const;
  private readonly host: TimerHost;
  private readonly unref: boolean;
  private readonly onError: ((error: unknown) => void) | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(options: RealClockOptions = {}) {
    this.host = options.host ?? nodeTimerHost;
    this.unref = options.unref ?? false;
    this.onError = options.onError;
  }

  now(): number {
    return this.host.now();
  }

  setTimer(at: number, fire: () => void): TimerHandle {
    if (Number.isNaN(at)) throw new RangeError('timer time must be a number of epoch ms, got NaN');
    const id = this.nextId++;
    const timer: Pending = { at, fire, handle: undefined, immediate: false };
    this.pending.set(id, timer);
    this.arm(id, timer);
    return { id };
  }

  clearTimer(handle: TimerHandle): void {
    const timer = this.pending.get(handle.id);
    if (!timer) return;
    this.pending.delete(handle.id);
    if (timer.immediate) this.host.clearImmediate(timer.handle);
    else this.host.clearTimeout(timer.handle);
  }

  pendingTimers(): number {
    return this.pending.size;
  }

  private arm(id: number, timer: Pending): void {
    const wait = nextWait(timer.at, this.host.now());
    if (wait.kind === 'fire') {
      timer.immediate = true;
      timer.handle = this.host.setImmediate(() => this.run(id));
    } else {
      timer.immediate = false;
      timer.handle = this.host.setTimeout(() => this.wake(id), wait.ms);
    }
    if (this.unref) unrefHandle(timer.handle);
  }

  private wake(id: number): void {
    const timer = this.pending.get(id);
    if (!timer) return;
    if (this.host.now() >= timer.at) this.run(id);
    else this.arm(id, timer);
  }

  private run(id: number): void {
    const timer = this.pending.get(id);
    if (!timer) return;
    this.pending.delete(id);
    if (!this.onError) {
      timer.fire();
      return;
    }
    try {
      timer.fire();
    } catch (error) {
      this.onError(error);
    }
  }
}

function unrefHandle(handle: unknown): void {
  if (typeof handle === 'object' && handle !== null && 'unref' in handle && typeof handle.unref === 'function') {
    handle.unref();
  }
}
