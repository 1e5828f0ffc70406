/**
 * The engine thread: runs the Thing's apps, each in its own vm context. It is a worker_threads
 * thread of the worker process (see worker-main.ts), so the process can terminate it when an
 * execution runs past its deadline inside code the in-script guard cannot interrupt, and its heap
 * has a limit of its own. Calls arrive from the process; records and replies go back to it.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { CallMessage, EventsMessage, ReplyMessage, SelfCheckResult, SlotNameMessage, ThreadCheckMessage } from '../host/protocol';
import { usePauseCounter } from '../sandbox/execution-clock';
import { onUnroutedRejection } from '../sandbox/rejections';
import { serializeError, WorkerDispatcher } from './dispatcher';
import { SlotWriter } from './execution-slot';

if (!parentPort) throw new Error('engine-thread.js runs only as a worker thread of the runtime worker');
const port: MessagePort = parentPort;

// Past an escape from a sandbox, these are what is left to try: take them away.
for (const name of ['mainModule', 'kill', '_kill', 'dlopen', 'binding', '_linkedBinding', 'chdir', 'setuid', 'setgid'] as const) {
  try {
    Object.defineProperty(process, name, { value: undefined, writable: false, configurable: false });
  } catch {
    /* not present in this Node */
  }
}

const data = workerData as { slot: SharedArrayBuffer; pause?: SharedArrayBuffer };
// A debug session's thread: CPU limits leave out the time spent paused in the debugger.
if (data.pause) usePauseCounter(data.pause);

const slot = new SlotWriter(data.slot, (id, name) => {
  const m: SlotNameMessage = { kind: 'slot-name', id, name };
  port.postMessage(m);
});

type Batch = EventsMessage['batch'];

/**
 * Records per Thing until the end of this event-loop turn. Only an app's newest snapshot matters:
 * a busy app changes state on every event, and sending each would cost more than running it.
 */
const pending = new Map<string, { batch: Batch; snapshots: Map<string, Batch[number]> }>();
let flushScheduled = false;
function flushEvents(): void {
  flushScheduled = false;
  const values = new Map(dispatcher.takeDeviceValues());
  for (const thing of values.keys()) if (!pending.has(thing)) pending.set(thing, { batch: [], snapshots: new Map() });
  for (const [thing, p] of pending) {
    const batch = p.batch;
    for (const s of p.snapshots.values()) batch.push(s);
    const deviceValues = values.get(thing);
    const m: EventsMessage = deviceValues ? { kind: 'events', thing, batch, deviceValues } : { kind: 'events', thing, batch };
    port.postMessage(m);
  }
  pending.clear();
}

const dispatcher = new WorkerDispatcher((thing, name, payload) => {
  let p = pending.get(thing);
  if (!p) pending.set(thing, (p = { batch: [], snapshots: new Map() }));
  if (name === 'persist') p.snapshots.set((payload as { appId: string }).appId, [name, payload] as Batch[number]);
  else p.batch.push([name, payload] as Batch[number]);
  // A job that hangs or kills this thread must already be known to the host: send its start now.
  if (name === 'job' && (payload as { phase: string }).phase === 'start') {
    flushEvents();
    return;
  }
  if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flushEvents);
  }
}, (thing) => slot.forThing(thing));

// Only app code runs here, and each app's rejections are routed to it; one that cannot be traced
// (a promise given another prototype) is still logged, never the end of the thread.
onUnroutedRejection(() => {
  dispatcher.runtimeError('a promise of an app was rejected and not handled, and could not be traced to its app');
});

/** What an escaped script would find from this thread's global scope (Function('return this')()). */
function threadCheck(): SelfCheckResult['engineThread'] {
  const g = globalThis as Record<string, unknown>;
  const p = process as unknown as Record<string, unknown>;
  const reachable: string[] = [];
  if (typeof g.require === 'function') reachable.push('require');
  if (typeof g.module === 'object' && g.module !== null) reachable.push('module');
  if (p.mainModule !== undefined) reachable.push('process.mainModule');
  for (const name of ['kill', '_kill', 'dlopen', 'binding', '_linkedBinding', 'chdir', 'setuid', 'setgid']) if (typeof p[name] === 'function') reachable.push(`process.${name}`);
  return { env: Object.keys(process.env).sort(), reachable };
}

port.on('message', (m: CallMessage | ThreadCheckMessage) => {
  if (m?.kind === 'threadCheck') {
    port.postMessage({ kind: 'reply', id: m.id, ok: true, result: threadCheck() } satisfies ReplyMessage);
    return;
  }
  if (m?.kind !== 'call') return;
  let reply: ReplyMessage;
  slot.setCall(m.id);
  try {
    reply = { kind: 'reply', id: m.id, ok: true, result: dispatcher.handle(m) };
  } catch (e) {
    reply = { kind: 'reply', id: m.id, ok: false, error: serializeError(e) };
  } finally {
    slot.setCall(0);
  }
  flushEvents();
  port.postMessage(reply);
});
