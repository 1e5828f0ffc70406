/**
 * The supervision of a WorkerPool's worker processes, slot by slot: a slot's process spawned and its
 * Things restored from their journals; a lost process re-spawned (after growing waits when no app is
 * to blame, never given up); a lost engine thread recovered in the same process; the app that was
 * running named, and the calls it never answered sent again without it; beats watched. The pool
 * decides where Things go; this keeps the processes under them alive.
 */
import type { EngineLostMessage, EventsMessage, CallArgs } from './protocol';
import { SHELL_CONTEXT_ID } from '../engine/app-ids';
import type { RestartPolicyOptions } from './restart-policy';
import type { WorkerSlot } from './worker-slot';
import type { ReplaySkip, WorkerProcess, WorkerProcessOptions } from './worker-process';
import type { WorkerHandlers, WorkerStarter } from './worker-starter';

export interface PoolOptions extends WorkerProcessOptions, RestartPolicyOptions {
  /** A worker that sends no beat for this long is killed and re-spawned (default 5000 ms). */
  hangTimeoutMs?: number;
  /** An app that stops its worker this many times within 10 minutes is quarantined (default 3). */
  quarantineAfter?: number;
  /** Things placed on one worker before another is spawned (default 100). */
  thingsPerWorker?: number;
  /** The CPU limit of Things created without one, for the messages that name a runaway. */
  cpuLimitMs?: number;
  /**
   * Keep one worker process started ahead, with its engine thread ready: a re-spawn (a Bundle
   * Sync, a crash) or a new worker then costs only restoring its Things, not a process start
   * (~2× a bare fork). It costs one idle process (~40 MB RSS, well under 1 % of a core). Off by
   * default; the platform's fleet turns it on. Not with `debug`.
   */
  spareWorker?: boolean;
}

/** What the supervisor asks of its pool. */
export interface SupervisedPool {
  closed(): boolean;
  /** Whether the slot is still the pool's (a debug worker's leaves when its Thing goes back). */
  has(slot: WorkerSlot): boolean;
  slots(): readonly WorkerSlot[];
}

export class SlotSupervisor {
  constructor(
    private readonly options: PoolOptions,
    private readonly starter: WorkerStarter,
    private readonly pool: SupervisedPool,
  ) {}


  /** Where a slot's process reports its records, its exit and the loss of its engine thread. */
  private handlersOf(slot: WorkerSlot, worker: WorkerProcess): WorkerHandlers {
    return {
      events: (m) => this.onEvents(slot, worker, m),
      exit: (why) => {
        if (slot.process !== worker || this.pool.closed()) return;
        this.loseProcess(slot, worker, 'exited', why, why, `the worker exited: ${why}`);
      },
      engineLost: (lost) => {
        if (slot.process !== worker || this.pool.closed()) return;
        slot.engineLosses++;
        if (lost.processEnding) {
          // The process is ending itself (its engine thread could not be stopped): the re-spawn
          // that follows delivers the calls again, without the app. The warden said who it was
          // when it cut the thread off (the same culprit): named once, not twice.
          const said = slot.cutOff;
          const same = said !== undefined && lost.culprit !== undefined && said.thing === lost.culprit.thing && said.appId === lost.culprit.appId && said.callId === lost.culprit.callId;
          slot.skipOnReplay = same ? { callId: said.callId, apps: [said.appId] } : this.blame(slot, lost);
          slot.ending = worker;
          return;
        }
        slot.cutOff = lost.cause === 'runaway' ? lost.culprit : undefined;
        void this.recoverEngine(slot, worker, lost);
      },
    };
  }

  async spawn(slot: WorkerSlot, change: 'started' | 'restarted', reason?: string): Promise<void> {
    const t0 = performance.now();
    const worker = await (slot.own ?? this.starter).take((w) => this.handlersOf(slot, w));
    // Closed meanwhile, or a debug worker whose Thing went back (reunite) while it started.
    if (this.pool.closed() || !this.pool.has(slot)) {
      await worker.close();
      return;
    }
    slot.process = worker;
    const previous = slot.lost;
    slot.lost = undefined;
    // Held here at once: if this process is lost too, its successor takes them from it.
    if (previous) worker.adopt(previous.takeHeld());
    const losses = slot.engineLosses;
    await this.restoreThings(slot, worker);
    // An engine thread lost during the restore: the recovery queued after this one replays the calls.
    if (!worker.exited && slot.engineLosses === losses) {
      worker.replayHeld(slot.skipOnReplay);
      slot.skipOnReplay = undefined;
    }
    for (const thing of slot.things.values()) {
      thing.report('worker', { time: Date.now(), change, pid: worker.pid, reason, durationMs: performance.now() - t0, permissionModel: worker.permissionModel });
    }
  }

  /**
   * Replaces the slot's process. A restart with no app to blame (`counted`) may first wait (see
   * backOff); a process that cannot be started is tried again, after a wait: never given up.
   */
  respawn(slot: WorkerSlot, reason: string, counted = true): Promise<void> {
    if (this.pool.closed()) return Promise.resolve();
    if (slot.respawning) return slot.restarting ?? Promise.resolve();
    slot.respawning = true;
    // After whatever recovery is under way (an engine thread's, cut short by the process's end).
    return this.chain(slot, async () => {
      let last = reason;
      for (let wait = counted; !this.pool.closed(); wait = true) {
        if (wait) await this.backOff(slot, last);
        if (this.pool.closed()) return;
        try {
          await this.spawn(slot, 'restarted', reason);
          return;
        } catch (e) {
          last = `the worker could not be started: ${(e as Error).message}`;
          for (const thing of slot.things.values()) thing.report('worker', { time: Date.now(), change: 'exited', reason: last });
        }
      }
    }).finally(() => {
      slot.respawning = false;
    });
  }

  /** Counts one restart with no app to blame on the slot, and waits if its policy says so. */
  private backOff(slot: WorkerSlot, reason: string): Promise<void> {
    return slot.restarts.backOff(
      reason,
      (delayMs, text) => {
        for (const thing of slot.things.values()) thing.report('worker', { time: Date.now(), change: 'waiting', delayMs, reason: text });
      },
      () => this.pool.closed(),
    );
  }

  /** Runs `work` after the slot's current (re)start, if any; calls wait for both. */
  private chain(slot: WorkerSlot, work: () => Promise<void>): Promise<void> {
    const mine: Promise<void> = (slot.restarting ?? Promise.resolve())
      .catch(() => undefined)
      .then(work)
      .finally(() => {
        if (slot.restarting === mine) slot.restarting = undefined;
      });
    slot.restarting = mine;
    return mine;
  }

  /**
   * The worker's engine thread was stopped or died; the process lives on with a new, empty engine
   * thread. The app that was running is named; every Thing of the worker is created again and
   * gets the calls in flight again. Until that is done, new calls wait.
   */
  private recoverEngine(slot: WorkerSlot, worker: WorkerProcess, lost: EngineLostMessage): Promise<void> {
    const t0 = performance.now();
    const run = async () => {
      const skip = this.blame(slot, lost);
      if (!lost.culprit) {
        for (const thing of slot.things.values()) thing.report('log', { time: thing.journal.lastTime ?? Date.now(), appId: '', appLabel: 'runtime', level: 'error', source: 'runtime', message: `the worker's engine thread was lost: ${lost.reason}; every app was restored` });
        // No app to blame: a call in flight at every such loss is the suspect (POISON_CRASHES),
        // and a thread that keeps dying is restored with growing waits between.
        worker.countCrash();
        await this.backOff(slot, `the worker's engine thread was lost: ${lost.reason}`);
      }
      const losses = slot.engineLosses;
      await this.restoreThings(slot, worker);
      // If the process ended (or is ending) meanwhile, the held calls wait for its successor.
      if (worker.exited || slot.ending === worker) return;
      for (const thing of slot.things.values()) thing.report('worker', { time: Date.now(), change: 'engine-restarted', pid: worker.pid, reason: lost.reason, durationMs: performance.now() - t0, permissionModel: worker.permissionModel });
      // Lost again during the restore (an app that runs it out of memory at every restore): the
      // next recovery, which names that app again, replays the calls.
      if (slot.engineLosses !== losses) return;
      worker.replayHeld(skip ?? slot.skipOnReplay);
      slot.skipOnReplay = undefined;
    };
    return this.chain(slot, run);
  }

  /** Names the culprit of a lost engine on its Thing; returns which held call it does not get again. */
  private blame(slot: WorkerSlot, lost: EngineLostMessage): ReplaySkip | undefined {
    const culprit = lost.culprit;
    const thing = culprit ? slot.things.get(culprit.thing) : undefined;
    for (const t of slot.things.values()) {
      if (t === thing && culprit?.kind === 'schedule') t.dropRunningJob(lost.reason);
      else t.journal.runningJob = undefined;
    }
    // A shell expression that stopped the thread is not evaluated again: its caller is told so.
    if (culprit && thing && culprit.appId === SHELL_CONTEXT_ID) return { callId: culprit.callId, apps: [culprit.appId] };
    if (!culprit || !thing) return undefined;
    // An app being installed is not in the journal yet: its install call is refused, not replayed.
    if (!thing.journal.apps.has(culprit.appId)) return { callId: culprit.callId, apps: [culprit.appId] };
    thing.blame(culprit, lost, { cpuLimitMs: thing.journal.cpuLimitMs ?? this.options.cpuLimitMs ?? 2000, quarantineAfter: this.options.quarantineAfter ?? 3 });
    return { callId: culprit.callId, apps: [culprit.appId] };
  }

  /** Creates the slot's Things in the worker from their journals (all calls at once: IPC keeps their order). */
  private async restoreThings(slot: WorkerSlot, worker: WorkerProcess): Promise<void> {
    const all: Promise<void>[] = [];
    for (const thing of slot.things.values()) {
      for (const [op, args] of thing.journal.restoreCalls(thing.forwardedEvents())) {
        all.push(
          worker.callOnce(thing.id, op, args as CallArgs<typeof op>).then(
            () => undefined,
            (e: Error) => {
              if (op !== 'install' || worker.exited || slot.ending === worker) return;
              const request = (args as CallArgs<'install'>)[0];
              thing.report('log', { time: thing.journal.lastTime ?? Date.now(), appId: request.id ?? '', appLabel: request.label ?? request.source.name, level: 'error', source: 'runtime', message: `could not be restored after the worker restart: ${e.message}` });
            },
          ),
        );
      }
    }
    await Promise.all(all);
  }

  private onEvents(slot: WorkerSlot, worker: WorkerProcess, m: EventsMessage): void {
    const thing = slot.things.get(m.thing);
    if (!thing) {
      // A worker speaks only for the Things it hosts.
      for (const t of slot.things.values()) t.report('log', { time: Date.now(), appId: '', appLabel: 'runtime', level: 'error', source: 'runtime', message: `worker ${worker.pid} sent records for a Thing it does not host ("${m.thing}"); they were dropped` });
      return;
    }
    thing.receive(m);
  }

  checkBeats(): void {
    for (const slot of this.pool.slots()) {
      const w = slot.process;
      if (!w || slot.restarting || this.pool.closed()) continue;
      const silentMs = Date.now() - w.lastBeat;
      if (silentMs <= (this.options.hangTimeoutMs ?? 5000)) continue;
      const reason = `the worker sent no sign of life for ${silentMs} ms`;
      this.loseProcess(slot, w, 'unresponsive', reason, 'it stopped the worker from responding', reason);
      w.kill();
    }
  }

  /**
   * The slot's process is gone (it exited, or stopped beating and is being killed): its calls are
   * held for the next one, which is spawned. Unless the process named the app that ended it, the
   * calls it held are suspects (see PendingCall.crashes).
   */
  private loseProcess(slot: WorkerSlot, worker: WorkerProcess, change: 'exited' | 'unresponsive', reason: string, jobWhy: string, respawnReason: string): void {
    slot.process = undefined;
    slot.lost = worker;
    worker.holdPending();
    // An app named for ending it is blamed (and quarantined) instead: no wait for that.
    const unexplained = !slot.skipOnReplay;
    if (unexplained) worker.countCrash();
    for (const thing of slot.things.values()) {
      thing.report('worker', { time: Date.now(), change, pid: worker.pid, reason });
      thing.dropRunningJob(jobWhy);
    }
    void this.respawn(slot, respawnReason, unexplained);
  }
}
