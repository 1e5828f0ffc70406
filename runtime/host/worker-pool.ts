/**
 * The worker processes and the Things placed on them. A pool spawns workers as Things are added
 * (up to `thingsPerWorker` each), routes each Thing's calls to its worker, re-spawns a Thing alone
 * (a Bundle Sync), and moves a Thing onto a debug worker of its own and back (a debugger attached
 * to it). Keeping the processes alive is its SlotSupervisor's job (slot-supervisor.ts): when a
 * worker's engine thread or the whole process is lost, it names the app that was running, creates
 * every Thing it hosted again from its journal, and sends the calls it never answered again
 * (without the culprit), so no event is lost; it never gives up on Things.
 */
import type { EngineSettings, CallArgs, CallName, CallResult, SelfCheckResult } from './protocol';
import { appIdSequence } from '../engine/app-ids';
import { Thing, type ThingTransport } from './thing';
import type { ThingJournal } from './thing-journal';
import { WorkerSlot } from './worker-slot';
import type { InspectorListener, WorkerProcess } from './worker-process';
import { WorkerStarter } from './worker-starter';
import { SlotSupervisor, type PoolOptions } from './slot-supervisor';

export type { PoolOptions } from './slot-supervisor';

export class WorkerPool implements ThingTransport {
  private readonly slots: WorkerSlot[] = [];
  private readonly slotOf = new Map<string, WorkerSlot>();
  private readonly starter: WorkerStarter;
  private readonly watchdog: NodeJS.Timeout;
  private readonly supervisor: SlotSupervisor;
  private closed = false;
  /** Things being moved between workers (isolate, reunite): their calls wait, then go to the new one. */
  private readonly moving = new Map<string, Promise<unknown>>();

  constructor(private readonly options: PoolOptions = {}) {
    this.starter = new WorkerStarter(options, options.spareWorker === true);
    this.supervisor = new SlotSupervisor(options, this.starter, { closed: () => this.closed, has: (slot) => this.slots.includes(slot), slots: () => this.slots });
    this.watchdog = setInterval(() => this.supervisor.checkBeats(), 250);
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
    await this.supervisor.respawn(slot, reason, false);
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
    // Said to the caller, who decides (a Bundle Sync goes back to the version that ran).
    return (await this.recreate(worker, thing, 'bundle sync')).map((f) => ({ appId: f.request.id ?? '', error: f.error }));
  }

  /**
   * Creates a Thing again in a running worker from its journal (all calls at once: IPC keeps their
   * order), and reports the restart. Returns the apps that could not be started; any other failed
   * call throws.
   */
  private async recreate(worker: WorkerProcess, thing: Thing, reason: string): Promise<Array<{ request: CallArgs<'install'>[0]; error: string }>> {
    const t0 = performance.now();
    const failed: Array<{ request: CallArgs<'install'>[0]; error: string }> = [];
    await Promise.all(
      thing.journal.restoreCalls(thing.forwardedEvents()).map(([op, args]) =>
        worker.call(thing.id, op, args as CallArgs<typeof op>).then(
          () => undefined,
          (e: Error) => {
            if (op !== 'install') throw e;
            failed.push({ request: (args as CallArgs<'install'>)[0], error: e.message });
          },
        ),
      ),
    );
    thing.report('worker', { time: Date.now(), change: 'restarted', pid: worker.pid, reason, durationMs: performance.now() - t0, permissionModel: worker.permissionModel });
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
    const slot = this.sharedSlotWithRoom() ?? new WorkerSlot(this.options);
    slot.things.set(id, thing);
    this.slotOf.set(id, slot);
    if (!this.slots.includes(slot)) {
      this.slots.push(slot);
      return this.startSlot(slot, reason);
    }
    while (slot.restarting) await slot.restarting.catch(() => undefined);
    for (const { request, error } of await this.recreate(this.requireProcess(slot), thing, reason)) {
      thing.report('log', { time: Date.now(), appId: request.id ?? '', appLabel: request.label ?? request.source.name, level: 'error', source: 'runtime', message: `could not be started again (${reason}): ${error}` });
    }
  }

  /** Spawns a new slot's worker (restoring its Things); calls wait for it meanwhile. */
  private startSlot(slot: WorkerSlot, reason?: string): Promise<void> {
    const starting: Promise<void> = this.supervisor.spawn(slot, 'started', reason).finally(() => {
      if (slot.restarting === starting) slot.restarting = undefined;
    });
    slot.restarting = starting;
    return starting;
  }

  private requireProcess(slot: WorkerSlot): WorkerProcess {
    if (!slot.process) throw new Error('the runtime worker is not running');
    return slot.process;
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
}
