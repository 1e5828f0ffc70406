/** How a ThingEngine is set up, and the monitor that sees its executions from outside. */
import type { Clock } from '../clock/clock';
import type { LocationSpec } from './location';
import type { RateLimit } from './rate-limiter';
import type { ExecutionKind } from './records';

export interface EngineOptions {
  clock: Clock;
  location?: Partial<LocationSpec>;
  /** false turns rate limiting off (benchmarks); default 250 executions per 60 s. */
  rateLimit?: RateLimit | false;
  /** Per-execution CPU time limit; default 2000 ms. */
  cpuLimitMs?: number;
  /** Device events kept per device for device.events(); default 100. */
  historySize?: number;
  /** Random numbers in [0, 1) for runEvery* start times; default Math.random (tests pass a seeded one). */
  random?: () => number;
  /** Told when each execution starts and ends, for a watchdog that can stop what the guard cannot. */
  monitor?: ExecutionMonitor;
  /**
   * Child apps get ids under their parent's ("room-rule-1.room-rule-1"), unique wherever the
   * parent's is: a worker hosts many Things, whose top-level app ids the host makes unique.
   */
  scopedChildIds?: boolean;
}

/** What the monitor is told runs: an execution, or an app's install or restore (`load`). */
export type MonitoredKind = ExecutionKind | 'load';

/**
 * Sees every execution begin and end. A watchdog outside the thread that runs the apps (which the
 * in-script guard cannot help when a native built-in or a regular expression runs away) reads what
 * it is told to name the app and stop the thread once the deadline has passed.
 */
export interface ExecutionMonitor {
  /**
   * An execution of appId starts; `deadline` is epoch ms. Returns what `leave` restores (executions
   * nest: invoke). `load` is an app's install or restore (its top level, its settings and state),
   * so a worker lost meanwhile names the app being loaded.
   */
  enter(appId: string, kind: MonitoredKind, handler: string, deadline: number): number;
  leave(previous: number): void;
}
