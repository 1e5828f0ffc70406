/**
 * One worker process of a WorkerPool, its Things, and what the pool knows of its recoveries (what
 * is being restored, what was lost, which app to skip when the calls it held are sent again).
 */
import type { Culprit } from './protocol';
import { RestartPolicy, type RestartPolicyOptions } from './restart-policy';
import type { Thing } from './thing';
import type { ReplaySkip, WorkerProcess } from './worker-process';
import type { WorkerStarter } from './worker-starter';

/** One worker process and its Things. */
export class WorkerSlot {
  process: WorkerProcess | undefined;
  readonly things = new Map<string, Thing>();
  /** Things placed here that wait for the worker to be ready. */
  joining = 0;
  /**
   * Set while the worker is being (re)created and its Things restored: calls wait for it, in a
   * loop (a recovery may queue behind the one awaited) that ends right where the call is sent.
   */
  restarting: Promise<void> | undefined;
  readonly restarts: RestartPolicy;
  /** Engine threads lost so far: a restore that saw one leaves the held calls to the recovery that follows it. */
  engineLosses = 0;
  /** A process re-spawn is under way (or waiting for the recovery before it). */
  respawning = false;
  /** The process that was lost, whose unanswered calls the next one receives. */
  lost: WorkerProcess | undefined;
  /** A process that said it is ending itself: nothing is restored into it any more. */
  ending: WorkerProcess | undefined;
  /** The runaway the warden last cut off (said at once, before its thread or process has ended). */
  cutOff: Culprit | undefined;
  /** The app that ended the last process, and the call it ended it with: not run again. */
  skipOnReplay: ReplaySkip | undefined;

  /**
   * @param own a worker of one Thing's own, started by this starter (a debugger attached to a
   *   Thing of a shared worker: WorkerPool.isolate); no other Thing is placed on it
   */
  constructor(
    options: RestartPolicyOptions,
    readonly own?: WorkerStarter,
  ) {
    this.restarts = new RestartPolicy(options);
  }
}
