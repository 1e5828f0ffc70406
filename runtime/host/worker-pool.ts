/**
 * The worker processes and the Things placed on them: supervision in one object. A pool spawns
 * workers as Things are added (up to `thingsPerWorker` each), watches their beats, and when a
 * worker's engine thread or the whole process is lost, names the app that was running, creates
 * every Thing it hosted again from its journal, and sends the calls it never answered again (without
 * the culprit), so no event is lost. It never gives up on Things: an app that keeps stopping its
 * worker (at runtime, or while it is restored) is quarantined instead, and a worker that keeps
 * dying with no app to blame is restarted after growing waits (backOff).
 */
import type { EngineLostMessage, EngineSettings, EventsMessage, CallArgs, CallName, CallResult, SelfCheckResult } from './protocol';
import { appIdSequence, SHELL_CONTEXT_ID } from '../engine/app-ids';
import { Thing, type ThingTransport } from './thing';
import type { ThingJournal } from './thing-journal';
import type { RestartPolicyOptions } from './restart-policy';
import { WorkerSlot } from './worker-slot';
import type { InspectorListener, ReplaySkip, WorkerProcess, WorkerProcessOptions } from './worker-process';
import { WorkerStarter, type WorkerHandlers } from './worker-starter';

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

export class WorkerPool implements ThingTransport {
  private readonly slots: WorkerSlot[] = [];
  private readonly slotOf = new Map<string, WorkerSlot>();
  private readonly starter: WorkerStarter;
  private readonly watchdog: NodeJS.Timeout;
  private closed = false;
  /** Things being moved between workers (isolate, reunite): their calls wait, then go to the new one. */
  private readonly moving = new Map<string, Promise<unknown>>();

  constructor(private readonly options: PoolOptions = {}) {
    this.starter = new WorkerStarter(options, options.spareWorker === true);
    this.watchdog = setInterval(() => this.checkBeats(), 250);
    this.watchdog.unref();
  }

  /** Creates a Thing on a worker with room for it (spawning one if needed). */
  async addThing<T extends Thing>(id: string, settings: EngineSettings, make: (id: string, settings: EngineSettings, transport: ThingTransport, newAppId: (name: string) => string) => T): Promise<T> {
    if (this.slotOf.has(id)) throw new Error(`a Thing with id "${id}" already exists`);
    const thing = make(id, settings, this, this.newAppId);
    let slot = this.sharedSlotWithRoom();
    if (!slot) {
      const fresh = (slot = new WorkerSlot(this.options));
      this.slots.push(fresh);
      fresh.things.set(id, thing);
      this.slotOf.set(id, fresh);
      // Things added while it starts wait for it, as calls do.
      await this.startSlot(fresh);
    } else {
      // Its place is taken now, though it joins once the worker is ready.
      slot.joining++;
      try {
        while (slot.restarting) await slot.restarting.catch(() => undefined);
      } finally {
        slot.joining--;
      }
      slot.things.set(id, thing);
      this.slotOf.set(id, slot);
      await this.requireProcess(slot).call(id, 'createThing', [thing.journal.settings(thing.forwardedEvents())]);
    }
    return thing;
  }

  /**
   * Starts a worker process now, before any Thing asks for one, so the first addThing costs only
   * its Thing (a debug session's next debuggee is made ready this way while the user steps).
   */
  async warm(): Promise<void> {
    if (this.slots.length) return;
    const slot = new WorkerSlot(this.options);
    this.slots.push(slot);
    await this.startSlot(slot);
  }

  async removeThing(id: string): Promise<void> {
    const slot = this.slotOf.get(id);
    if (!slot) return;
    await this.call(id, 'disposeThing', []).catch(() => undefined);
    slot.things.delete(id);
    this.slotOf.delete(id);
  }

  /** App ids unique across every Thing of the pool: "door-light-1", "door-light-2", … */
  readonly newAppId = appIdSequence();


  async call<K extends CallName>(thing: string, op: K, args: CallArgs<K>): Promise<CallResult<K>> {
    if (this.closed) throw new Error('the runtime is closed');
    const move = this.moving.get(thing);
    if (move) await move.catch(() => undefined);
    const slot = this.slotOf.get(thing);
    if (!slot) throw new Error(`no Thing "${thing}" in this runtime`);
    while (slot.restarting) await slot.restarting.catch(() => undefined);
    return this.requireProcess(slot).call(thing, op, args);
  }

  pidOf(thing: string): number | undefined {
    return this.slotOf.get(thing)?.process?.pid;
  }

  /** The spare worker's pid once it is ready (see PoolOptions.spareWorker); undefined when none. */
  sparePid(): Promise<number | undefined> {
    return this.starter.sparePid();
  }

  permissionModelOf(thing: string): boolean | undefined {
    return this.slotOf.get(thing)?.process?.permissionModel;
  }

  async selfCheck(thing: string): Promise<SelfCheckResult> {
    const slot = this.slotOf.get(thing);
    if (!slot) throw new Error(`no Thing "${thing}" in this runtime`);
    while (slot.restarting) await slot.restarting.catch(() => undefined);
    return this.requireProcess(slot).selfCheck();
  }

  /** Re-spawns the worker of this Thing (as a Bundle Sync does); resolves when its Things run again. */
  async restartWorker(thing: string, reason = 'requested'): Promise<void> {
    const slot = this.slotOf.get(thing);
    if (!slot) throw new Error(`no Thing "${thing}" in this runtime`);
    while (slot.restarting) await slot.restarting.catch(() => undefined);
    const old = slot.process;
    slot.process = undefined;
    slot.lost = old;
    old?.kill();
    // Asked for (a Bundle Sync): not a failure, never waits.
    await this.respawn(slot, reason, false);
  }

  /**
   * Seed 000's worker re-spawn for one Thing of a shared worker (a Bundle Sync): the Thing alone is
   * disposed and created again from its journal, after `edit` has changed the journal (an app's new
   * source or config, an app taken out). Every app kept comes back with its state and jobs (no
   * installed() call); the other Things of the worker are not touched. Returns the apps that could
   * not be started again (their journal entries stay as edited).
   */
  async respawnThing(id: string, edit: (journal: ThingJournal) => void): Promise<Array<{ appId: string; error: string }>> {
    const slot = this.slotOf.get(id);
    const thing = slot?.things.get(id);
    if (!slot || !thing) throw new Error(`no Thing "${id}" in this runtime`);
    while (slot.restarting) await slot.restarting.catch(() => undefined);
    const worker = this.requireProcess(slot);
    await worker.call(id, 'disposeThing', []);
    edit(thing.journal);
    const t0 = performance.now();
    const failed: Array<{ appId: string; error: string }> = [];
    await Promise.all(
      thing.journal.restoreCalls(thing.forwardedEvents()).map(([op, args]) =>
        worker.call(id, op, args as CallArgs<typeof op>).then(
          () => undefined,
          (e: Error) => {
            if (op !== 'install') throw e;
            // Said to the caller, who decides (a Bundle Sync goes back to the version that ran).
            failed.push({ appId: (args as CallArgs<'install'>)[0].id ?? '', error: e.message });
          },
        ),
      ),
    );
    thing.report('worker', { time: Date.now(), change: 'restarted', pid: worker.pid, reason: 'bundle sync', durationMs: performance.now() - t0, permissionModel: worker.permissionModel });
    return failed;
  }

  /**
   * Moves a Thing of a shared worker onto a worker of its own in debug mode (its engine thread's
   * inspector reached through `onInspector`; Node's permission model off, the vm sandbox on), so a
   * debugger can pause its apps without pausing the other Things. It is created there from its
   * journal, after `edit`: every app with its state and jobs, no installed() call. A debug worker
   * that cannot start puts the Thing back where it was, and says why.
   */
  isolate(id: string, onInspector: InspectorListener, edit: (journal: ThingJournal) => void = () => undefined): Promise<void> {
    return this.move(id, () => this.isolateNow(id, onInspector, edit));
  }

  /** Moves an isolated Thing back onto a shared worker (after `edit`), and ends its own worker. */
  reunite(id: string, edit: (journal: ThingJournal) => void = () => undefined): Promise<void> {
    return this.move(id, () => this.reuniteNow(id, edit));
  }

  /** A move of a Thing: its calls meanwhile wait for it (none is sent to a worker it is not on). */
  private async move(id: string, work: () => Promise<void>): Promise<void> {
    // A detach may come while the attach waits for its debugger: it goes ahead, and the attach gives up.
    const done = work();
    this.moving.set(id, done);
    try {
      await done;
    } finally {
      if (this.moving.get(id) === done) this.moving.delete(id);
    }
  }

  private async isolateNow(id: string, onInspector: InspectorListener, edit: (journal: ThingJournal) => void): Promise<void> {
    const from = this.slotOf.get(id);
    const thing = from?.things.get(id);
    if (!from || !thing) throw new Error(`no Thing "${id}" in this runtime`);
    if (from.own) throw new Error(`${id} is on a worker of its own already (a debugger is attached to it)`);
    while (from.restarting) await from.restarting.catch(() => undefined);
    await this.requireProcess(from).call(id, 'disposeThing', []);
    from.things.delete(id);
    edit(thing.journal);
    const slot = new WorkerSlot(this.options, new WorkerStarter({ ...this.options, debug: true, onInspector }, false));
    this.slots.push(slot);
    slot.things.set(id, thing);
    this.slotOf.set(id, slot);
    try {
      await this.startSlot(slot, 'a debugger attached');
    } catch (e) {
      if (this.slotOf.get(id) !== slot) throw new Error('the debugger detached before it attached');
      await this.leaveOwnSlot(slot, id);
      await this.placeShared(id, thing, 'the debug worker could not start');
      throw e;
    }
    if (this.slotOf.get(id) !== slot) throw new Error('the debugger detached before it attached');
  }

  private async reuniteNow(id: string, edit: (journal: ThingJournal) => void): Promise<void> {
    const own = this.slotOf.get(id);
    const thing = own?.things.get(id);
    if (!own?.own || !thing) throw new Error(`${id} is not on a worker of its own`);
    // Not waiting for its start: a debug worker's engine thread waits for a debugger that may never come.
    await this.leaveOwnSlot(own, id);
    edit(thing.journal);
    await this.placeShared(id, thing, 'the debugger detached');
  }

  private async leaveOwnSlot(own: WorkerSlot, id: string): Promise<void> {
    own.things.delete(id);
    this.slotOf.delete(id);
    this.slots.splice(this.slots.indexOf(own), 1);
    own.restarts.cancel();
    await Promise.all([own.process?.close(), own.own?.close()]);
  }

  /** Creates a Thing on a shared worker with room from its journal (a new worker when none has room). */
  private async placeShared(id: string, thing: Thing, reason: string): Promise<void> {
    const t0 = performance.now();
    const slot = this.sharedSlotWithRoom() ?? new WorkerSlot(this.options);
    slot.things.set(id, thing);
    this.slotOf.set(id, slot);
    if (!this.slots.includes(slot)) {
      this.slots.push(slot);
      return this.startSlot(slot, reason);
    }
    while (slot.restarting) await slot.restarting.catch(() => undefined);
    const worker = this.requireProcess(slot);
    await Promise.all(thing.journal.restoreCalls(thing.forwardedEvents()).map(([op, args]) => worker.call(id, op, args as CallArgs<typeof op>).catch((e: Error) => {
      if (op !== 'install') throw e;
      const request = (args as CallArgs<'install'>)[0];
      thing.report('log', { time: Date.now(), appId: request.id ?? '', appLabel: request.label ?? request.source.name, level: 'error', source: 'runtime', message: `could not be started again (${reason}): ${e.message}` });
    })));
    thing.report('worker', { time: Date.now(), change: 'restarted', pid: worker.pid, reason, durationMs: performance.now() - t0, permissionModel: worker.permissionModel });
  }

  /** Spawns a new slot's worker (restoring its Things); calls wait for it meanwhile. */
  private startSlot(slot: WorkerSlot, reason?: string): Promise<void> {
    const starting: Promise<void> = this.spawn(slot, 'started', reason).finally(() => {
      if (slot.restarting === starting) slot.restarting = undefined;
    });
    slot.restarting = starting;
    return starting;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.watchdog);
    for (const slot of this.slots) slot.restarts.cancel();
    await Promise.all([...this.slots.map((s) => s.process?.close()), ...this.slots.map((s) => s.own?.close()), this.starter.close()]);
  }

  private sharedSlotWithRoom(): WorkerSlot | undefined {
    return this.slots.find((s) => !s.own && s.things.size + s.joining < (this.options.thingsPerWorker ?? 100));
  }

  // ------------------------------------------------------------------ supervision

  private requireProcess(slot: WorkerSlot): WorkerProcess {
    if (!slot.process) throw new Error('the runtime worker is not running');
    return slot.process;
  }

  /** Where a slot's process reports its records, its exit and the loss of its engine thread. */
  private handlersOf(slot: WorkerSlot, worker: WorkerProcess): WorkerHandlers {
    return {
      events: (m) => this.onEvents(slot, worker, m),
      exit: (why) => {
        if (slot.process !== worker || this.closed) return;
        this.loseProcess(slot, worker, 'exited', why, why, `the worker exited: ${why}`);
      },
      engineLost: (lost) => {
        if (slot.process !== worker || this.closed) return;
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

  private async spawn(slot: WorkerSlot, change: 'started' | 'restarted', reason?: string): Promise<void> {
    const t0 = performance.now();
    const worker = await (slot.own ?? this.starter).take((w) => this.handlersOf(slot, w));
    // Closed meanwhile, or a debug worker whose Thing went back (reunite) while it started.
    if (this.closed || !this.slots.includes(slot)) {
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
  private respawn(slot: WorkerSlot, reason: string, counted = true): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (slot.respawning) return slot.restarting ?? Promise.resolve();
    slot.respawning = true;
    // After whatever recovery is under way (an engine thread's, cut short by the process's end).
    return this.chain(slot, async () => {
      let last = reason;
      for (let wait = counted; !this.closed; wait = true) {
        if (wait) await this.backOff(slot, last);
        if (this.closed) return;
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
      () => this.closed,
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

  private checkBeats(): void {
    for (const slot of this.slots) {
      const w = slot.process;
      if (!w || slot.restarting || this.closed) continue;
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
