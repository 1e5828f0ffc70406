/**
 * What the engine thread is running right now, in memory its warden (the worker process's main
 * thread) can read while the engine thread is stuck: which app, which handler, which host call,
 * and the execution's deadline. The in-script guard stops ordinary runaway loops; what it cannot
 * reach (a catastrophic regular expression, a native built-in over a huge array) the warden stops
 * by terminating the thread, and this slot names the app that was running.
 *
 * Writing costs a few stores per execution. Names (app ids, handlers, kinds) are interned: the
 * writer announces each new one once, through `onName`, so the slot holds only numbers.
 */
import type { ExecutionMonitor, MonitoredKind } from '../engine/engine-options';

export const SLOT_BYTES = 64;
// Int32 indexes.
const ACTIVE = 0;
const APP = 1;
const HANDLER = 2;
const KIND = 3;
const CALL = 4;
// A seqlock: odd while the writer is changing the slot, so the reader never mixes two executions.
const SEQ = 5;
const THING = 6;
// 1 while the warden sleeps until an execution starts (see SlotReader.untilBusy): the writer then wakes it.
const WARDEN_SLEEPS = 7;
// The deadline is one Float64 at bytes 32..39.

/** Atomics.waitAsync (in Node since 16; typed only in TypeScript's ES2024 lib, which this project does not target). */
type WaitAsync = (typed: Int32Array, index: number, value: number) => { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

/** What the warden reads: the execution in progress, if any. */
export interface RunningExecution {
  thing: string;
  appId: string;
  handler: string;
  kind: string;
  /** The host call whose handling started it (0: none, e.g. a real-clock timer). */
  callId: number;
  /** Epoch ms. */
  deadline: number;
  /** Which execution this is: another one (or the same app's next) reads another value. */
  seq: number;
}

/** The engine thread's side: writes the slot; `forThing` gives each Thing's engine its monitor. */
export class SlotWriter {
  private readonly ints: Int32Array;
  private readonly floats: Float64Array;
  private readonly ids = new Map<string, number>();
  private readonly stack: number[] = [];

  constructor(buffer: SharedArrayBuffer, private readonly onName: (id: number, name: string) => void) {
    this.ints = new Int32Array(buffer, 0, 8);
    this.floats = new Float64Array(buffer, 32, 1);
  }

  /** The host call now being handled (0 when none). */
  setCall(callId: number): void {
    this.ints[CALL] = callId;
  }

  /** The monitor of one Thing's engine: what it writes names the Thing too. */
  forThing(thing: string): ExecutionMonitor {
    const thingId = this.idOf(thing);
    return {
      enter: (appId, kind, handler, deadline) => this.enter(thingId, appId, kind, handler, deadline),
      leave: (depth) => this.leave(depth),
    };
  }

  private enter(thing: number, appId: string, kind: MonitoredKind, handler: string, deadline: number): number {
    const depth = this.stack.length;
    const i = this.ints;
    this.stack.push(i[ACTIVE], i[APP], i[HANDLER], i[KIND], this.floats[0], i[THING]);
    const app = this.idOf(appId);
    const h = this.idOf(handler);
    const k = this.idOf(kind);
    Atomics.add(i, SEQ, 1);
    i[THING] = thing;
    i[APP] = app;
    i[HANDLER] = h;
    i[KIND] = k;
    this.floats[0] = deadline;
    i[ACTIVE] = 1;
    Atomics.add(i, SEQ, 1);
    // Both sides use sequentially consistent operations: either this load sees the warden asleep,
    // or the warden's wait sees SEQ already changed and does not sleep.
    if (Atomics.load(i, WARDEN_SLEEPS) === 1) Atomics.notify(i, SEQ);
    return depth;
  }

  private leave(depth: number): void {
    const s = this.stack;
    const i = this.ints;
    if (s.length < depth + 6) return;
    Atomics.add(i, SEQ, 1);
    i[THING] = s[depth + 5];
    this.floats[0] = s[depth + 4];
    i[KIND] = s[depth + 3];
    i[HANDLER] = s[depth + 2];
    i[APP] = s[depth + 1];
    i[ACTIVE] = s[depth];
    Atomics.add(i, SEQ, 1);
    s.length = depth;
  }

  private idOf(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.ids.size + 1;
      this.ids.set(name, id);
      this.onName(id, name);
    }
    return id;
  }
}

/** The warden's side. */
export class SlotReader {
  private readonly ints: Int32Array;
  private readonly floats: Float64Array;
  private readonly names = new Map<number, string>();

  constructor(buffer: SharedArrayBuffer) {
    this.ints = new Int32Array(buffer, 0, 8);
    this.floats = new Float64Array(buffer, 32, 1);
  }

  learn(id: number, name: string): void {
    this.names.set(id, name);
  }

  /** A new engine thread interns names afresh (a sleeping warden stays asleep until it runs something). */
  reset(): void {
    this.names.clear();
    this.ints.fill(0, 0, WARDEN_SLEEPS);
    this.floats[0] = 0;
  }

  /** Changes with every execution's start and end. */
  sequence(): number {
    return Atomics.load(this.ints, SEQ);
  }

  /**
   * Resolves once an execution starts after `seen` (a sequence() value): an idle worker's warden
   * sleeps on this instead of looking at the slot a hundred times a second. Resolves at once when
   * the slot already changed.
   */
  untilBusy(seen: number): Promise<void> {
    const i = this.ints;
    Atomics.store(i, WARDEN_SLEEPS, 1);
    const wait = waitAsync(i, SEQ, seen);
    const awake = () => {
      Atomics.store(i, WARDEN_SLEEPS, 0);
    };
    if (!wait.async) {
      awake();
      return Promise.resolve();
    }
    return wait.value.then(awake);
  }

  /** The execution in progress, read consistently; undefined when none (or while the writer is changing it). */
  running(): RunningExecution | undefined {
    const i = this.ints;
    const before = Atomics.load(i, SEQ);
    if (before % 2 === 1 || i[ACTIVE] !== 1) return undefined;
    const thing = i[THING];
    const app = i[APP];
    const handler = i[HANDLER];
    const kind = i[KIND];
    const callId = i[CALL];
    const deadline = this.floats[0];
    if (Atomics.load(i, SEQ) !== before) return undefined;
    const name = (id: number) => this.names.get(id) ?? '?';
    return { thing: name(thing), appId: name(app), handler: name(handler), kind: name(kind), callId, deadline, seq: before };
  }
}
