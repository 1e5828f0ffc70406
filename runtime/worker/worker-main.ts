/**
 * The worker process. The host starts it under Node's permission model (it may read only the two
 * runtime bundles; no writes, no child processes, no addons) with an almost empty environment.
 * Its main thread is a warden: the apps run in an engine thread (engine-thread.ts), and the warden
 *   - relays the host's calls to the engine thread, and its records and replies back;
 *   - watches the execution slot, and terminates the engine thread when an execution is still
 *     running past its deadline (a catastrophic regular expression, a native built-in over a huge
 *     array: code the in-script guard cannot interrupt), which V8 stops even inside native code;
 *   - on any loss of the engine thread (that stop, out of memory, a crash) names the app that was
 *     running, tells the host which calls got no reply, and starts a new engine thread, so the
 *     host can restore the apps and deliver those calls again.
 * Apps never run on this thread, so it keeps beating and answering whatever they do.
 */
import * as childProcess from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EngineLostMessage, HostMessage, ReplyMessage, SelfCheckResult, SlotNameMessage, ThreadCheckMessage, WorkerMessage } from '../host/protocol';
import { makeCodeCache, THREAD_LOADER } from './code-cache';
import { makeWarmCodeCache } from './warm-code-cache';
import { SLOT_BYTES, SlotReader, type RunningExecution } from './execution-slot';
import type { InspectorRelay } from './inspector-relay';

/** How long past its deadline an execution may run before the thread is stopped (the guard's own stop comes first). */
const GRACE_MS = 20;
const WATCH_EVERY_MS = 10;
/**
 * Deadlines are on the wall clock; on a starved machine a thread can pass one without running,
 * and its guard stops it as soon as it runs. The warden stops an execution only once the process
 * has spent this much CPU since the deadline passed (the guard would have stopped guardable code
 * by then), or it is this late whatever the CPU (a thread blocked without spinning, in Atomics.wait).
 */
const CPU_PAST_DEADLINE_MS = 15;
const LATE_WHATEVER_CPU_MS = 1000;
/**
 * Many native loops never look at V8's interrupts (indexOf, fill, join, forEach with a native
 * callback over an array-like of length 2e15): terminate() cannot end them. If the thread has not
 * ended once the process has spent this much CPU since it was told to, the process ends itself,
 * after telling the host who was running; the host re-spawns it.
 */
const TERMINATE_CPU_MS = 40;
/** ...or this long by the wall clock, whatever the CPU (a thread that ignores terminate without spinning). */
const TERMINATE_WALL_MS = 1000;

const send = (m: WorkerMessage) => process.send?.(m);
const numberArg = (name: string, fallback: number) => Number(new RegExp(`^--${name}=(\\d+)$`).exec(process.argv.find((a) => a.startsWith(`--${name}=`)) ?? '')?.[1] ?? fallback);
const memoryLimitMb = numberArg('memory-limit-mb', 256);
const threadPath = path.join(__dirname, 'engine-thread.js');
/** The engine bundle's code cache, when the host has one (see code-cache.ts). */
const codeCache = process.argv.find((a) => a.startsWith('--code-cache='))?.slice('--code-cache='.length);
/**
 * A debug session's worker (started with --debug, without the permission model): the host's
 * debugger reaches the engine thread's inspector through the warden. Loaded only then.
 */
const relay: InspectorRelay | undefined = process.argv.includes('--debug')
  ? new (require('./inspector-relay') as typeof import('./inspector-relay')).InspectorRelay(send)
  : undefined;

const slotBuffer = new SharedArrayBuffer(SLOT_BYTES);
const slot = new SlotReader(slotBuffer);
const inFlight = new Set<number>();
let thread: Worker;
/** Host calls that arrive while a stopped thread winds down: the next thread gets them. */
const waiting: HostMessage[] = [];
/** Set to look again exactly when the running execution's grace ends (polling alone is up to a period late). */
let preciseWatch: NodeJS.Timeout | undefined;
/** The execution the warden is watching, and the process's CPU when it first saw it past its deadline. */
let watched: { seq: number; cpuAtDeadline: number | undefined } | undefined;
const cpuMsNow = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
/** Why the current thread is being stopped, when the warden stopped it. */
let stopping: { culprit: RunningExecution; lateByMs: number } | undefined;
let lastError: (Error & { code?: string }) | undefined;
let closing = false;
/** Set once the warden has decided to end the process: nothing more is reported. */
let ending = false;

function startThread(): void {
  stopping = undefined;
  lastError = undefined;
  slot.reset();
  // A debug session's thread runs its bundle as a file (what the inspector shows); others start
  // from the code cache.
  thread = new Worker(relay ? threadPath : THREAD_LOADER, {
    eval: !relay,
    workerData: { slot: slotBuffer, pause: relay?.pauseCounter, file: threadPath, cache: codeCache },
    env: {},
    resourceLimits: { maxOldGenerationSizeMb: memoryLimitMb, maxYoungGenerationSizeMb: 48 },
    stdout: false,
    stderr: false,
  });
  for (const m of waiting.splice(0)) thread.postMessage(m);
  thread.on('message', (m: WorkerMessage | SlotNameMessage) => {
    // A thread cut off as a runaway speaks no more: what it still had queued is not relayed.
    if (current !== thread || stopping) return;
    // Only the warden makes code caches (an escaped script could send bytecode for every later worker).
    if ((m.kind as string) === 'code-cache') return;
    if (m.kind === 'slot-name') {
      slot.learn(m.id, m.name);
      return;
    }
    if (m.kind === 'reply') {
      const check = threadChecks.get(m.id);
      if (check) {
        threadChecks.delete(m.id);
        check(m.result as SelfCheckResult['engineThread']);
        return;
      }
      inFlight.delete(m.id);
      startCodeCacheMaker();
    }
    send(m);
  });
  thread.on('error', (e: Error & { code?: string }) => {
    lastError = e;
  });
  const current = thread;
  thread.on('exit', (code) => {
    if (closing || current !== thread) return;
    onThreadLost(code);
  });
}

const RUNAWAY_REASON = 'it ran past its CPU limit in code the execution guard cannot interrupt (a regular expression or a built-in working on a huge array)';

function culpritOf(running: RunningExecution | undefined) {
  return running ? { thing: running.thing, appId: running.appId, handler: running.handler, kind: running.kind, callId: running.callId } : undefined;
}

function onThreadLost(code: number): void {
  // The process is ending itself (the thread outlived terminate()); the host already knows why.
  if (ending) return;
  // A runaway was said when it was cut off (watch); its thread has now ended.
  if (stopping) {
    answerThreadChecks();
    startThread();
    return;
  }
  const running = slot.running();
  const culprit = culpritOf(running);
  let message: EngineLostMessage;
  // Near its heap limit a thread can also run late (collecting garbage): out of memory comes first.
  if (lastError?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    message = { kind: 'engine-lost', cause: 'out-of-memory', culprit, inFlight: [...inFlight], reason: `it ran out of memory (the limit is ${memoryLimitMb} MB)` };
  } else {
    message = { kind: 'engine-lost', cause: 'crash', culprit, inFlight: [...inFlight], reason: `the engine thread ended (code ${code}${lastError ? `: ${lastError.message}` : ''})` };
  }
  inFlight.clear();
  answerThreadChecks();
  startThread();
  send(message);
}

/** A selfCheck the lost thread never answered: say so rather than leave the host waiting. */
function answerThreadChecks(): void {
  for (const [id, answer] of threadChecks) {
    threadChecks.delete(id);
    answer({ env: [], reachable: ['(unknown: the engine thread was lost during the check)'] });
  }
}

function watch(): void {
  if (stopping) return;
  // Paused in the debugger: nothing is running late, however long the pause.
  if (relay) {
    relay.tick();
    if (relay.paused) return;
  }
  const running = slot.running();
  if (!running) return;
  const now = performance.timeOrigin + performance.now() - (relay?.pausedTotal() ?? 0);
  if (watched?.seq !== running.seq) watched = { seq: running.seq, cpuAtDeadline: undefined };
  const late = now - running.deadline;
  const lookAgain = (ms: number) => {
    preciseWatch ??= setTimeout(() => {
      preciseWatch = undefined;
      watch();
    }, Math.max(1, ms)).unref();
  };
  if (late < 0) {
    lookAgain(-late);
    return;
  }
  watched.cpuAtDeadline ??= cpuMsNow();
  if (late <= GRACE_MS) {
    lookAgain(GRACE_MS - late + 1);
    return;
  }
  if (cpuMsNow() - watched.cpuAtDeadline < CPU_PAST_DEADLINE_MS && late < LATE_WHATEVER_CPU_MS) {
    lookAgain(2);
    return;
  }
  stopping = { culprit: running, lateByMs: late };
  const stuck = thread;
  void stuck.terminate();
  // Said now, not when the thread has ended: V8 runs none of its code from here (or the process
  // ends, below), and tearing a thread down takes ~20 ms of its own. The host names the app and
  // restores the Things; its calls wait here for the next thread.
  send({ kind: 'engine-lost', cause: 'runaway', culprit: culpritOf(running), inFlight: [...inFlight], lateByMs: late, reason: RUNAWAY_REASON });
  inFlight.clear();
  const toldAt = performance.now();
  const cpuAtTerminate = process.cpuUsage();
  const check = setInterval(() => {
    if (stuck !== thread || closing) {
      clearInterval(check);
      return;
    }
    // A thread that obeys terminate() needs ~20 ms of CPU to wind down; one stuck in a native loop
    // burns CPU without end. Judge by the CPU the process used, not by the wall clock, so that a
    // busy machine (which slows both) does not turn an obeying thread into a process restart.
    const cpu = process.cpuUsage(cpuAtTerminate);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const wallMs = performance.now() - toldAt;
    if ((cpuMs < TERMINATE_CPU_MS || wallMs < TERMINATE_CPU_MS) && wallMs < TERMINATE_WALL_MS) return;
    clearInterval(check);
    // Timers run before the poll phase that delivers the thread's exit: look once more after it.
    setImmediate(() => {
      if (stuck !== thread || closing) return;
      // The thread did not end: say who was running, then end the whole process (the host re-spawns it).
      ending = true;
      send({ kind: 'engine-lost', cause: 'runaway', culprit: culpritOf(running), inFlight: [...inFlight], lateByMs: late, reason: RUNAWAY_REASON, processEnding: true });
      setTimeout(() => process.kill(process.pid, 'SIGKILL'), 20);
    }).unref();
  }, WATCH_EVERY_MS);
  check.unref();
}

/**
 * The warden holds only what it relays (a few MB). Past an escape into the engine thread, a script
 * could flood it with messages faster than the host takes them: past this, the process ends and
 * says why (the host re-spawns it and restores its Things). Watched here, not by a V8 heap flag,
 * which would slow every spawn (worker-process.ts).
 */
const WARDEN_HEAP_LIMIT_BYTES = numberArg('warden-heap-limit-mb', 128) * 1024 * 1024;

function guardWardenHeap(): void {
  const { heapUsed, external } = process.memoryUsage();
  if (heapUsed + external <= WARDEN_HEAP_LIMIT_BYTES || ending) return;
  ending = true;
  // The host reads the last line of stderr as the reason the process ended.
  process.stderr.write(`the worker's warden held ${Math.round((heapUsed + external) / 1048576)} MB of messages not yet relayed (its limit is ${WARDEN_HEAP_LIMIT_BYTES / 1048576} MB): the process ends\n`);
  process.kill(process.pid, 'SIGKILL');
}

function attempt(what: () => unknown): string {
  try {
    what();
    return 'allowed';
  } catch (e) {
    return (e as { code?: string }).code ?? (e as Error).message;
  }
}

/** Thread checks asked of the engine thread, by id (answered like calls, but never relayed). */
const threadChecks = new Map<number, (r: SelfCheckResult['engineThread']) => void>();

function askThread(id: number): Promise<SelfCheckResult['engineThread']> {
  return new Promise((resolve) => {
    threadChecks.set(id, resolve);
    const m: ThreadCheckMessage = { kind: 'threadCheck', id };
    thread.postMessage(m);
  });
}

function selfCheck(engineThread: SelfCheckResult['engineThread']): SelfCheckResult {
  return {
    engineThread,
    readFile: attempt(() => fs.readFileSync('/etc/hostname')),
    spawn: attempt(() => {
      const r = childProcess.spawnSync('true');
      if (r.error) throw r.error;
    }),
    writeFile: attempt(() => fs.writeFileSync('/tmp/smartplug-worker-write-check', 'x')),
    env: Object.keys(process.env).sort(),
  };
}

process.on('message', (m: HostMessage) => {
  if (m?.kind === 'inspector') {
    relay?.toThread(m.message);
    return;
  }
  if (m?.kind === 'selfCheck') {
    const id = m.id;
    void askThread(id).then((engineThread) => {
      const reply: ReplyMessage = { kind: 'reply', id, ok: true, result: selfCheck(engineThread) };
      send(reply);
    });
    return;
  }
  if (m?.kind !== 'call') return;
  inFlight.add(m.id);
  if (stopping) waiting.push(m);
  else thread.postMessage(m);
});

process.on('disconnect', () => {
  closing = true;
  void thread.terminate().finally(() => process.exit(0));
});

/**
 * The watch looks at the slot every WATCH_EVERY_MS while executions come and go (watch() itself
 * schedules a precise look at a running execution's deadline), and sleeps once a whole period
 * passed with none: an idle worker costs nothing, and the first execution wakes it.
 */
function watchLoop(seenAtLastLook: number): void {
  watch();
  const now = slot.sequence();
  // A debug session's warden keeps ticking: the pause counter follows the clock (relay.tick).
  if (now === seenAtLastLook && !slot.running() && !relay) {
    void slot.untilBusy(now).then(() => watchLoop(-1));
    return;
  }
  setTimeout(() => watchLoop(now), WATCH_EVERY_MS).unref();
}

startThread();
watchLoop(-1);
// The host restarts a worker process whose beats stop. Apps never run on this thread: a silence
// means the process itself is in trouble.
setInterval(() => {
  guardWardenHeap();
  send({ kind: 'beat' });
}, 200).unref();

const permissionModel = typeof (process as { permission?: unknown }).permission === 'object';
send({ kind: 'ready', pid: process.pid, permissionModel });
// Asked by the host when it has no code cache: made by a maker thread that runs the sample app
// (warm-code-cache.ts), started once the engine thread answered its first call (so as not to slow
// its start); the compiled-only cache when the warm-up fails.
let makeCache = process.argv.includes('--make-code-cache');
function startCodeCacheMaker(): void {
  if (!makeCache) return;
  makeCache = false;
  void makeWarmCodeCache(threadPath)
    .catch(() => makeCodeCache(threadPath))
    .then((data) => send({ kind: 'code-cache', data }));
}
