import { ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { codeCacheDone, codeCachePlan, saveCodeCache } from './code-cache-file';
import { permissionFlag } from './permission-flag';
import type { CallArgs, CallMessage, CallName, CallResult, EngineLostMessage, EventsMessage, InspectorAttachedMessage, InspectorMessage, ReplyMessage, SelfCheckMessage, SelfCheckResult, SerializedError, WorkerMessage } from './protocol';
import { SourceWire } from './source-wire';

/** Ends of a worker, with no app to name, that a call may be in flight for before it is refused. */
export const POISON_CRASHES = 2;

/** Which apps skip which call when held calls are sent again: the one that stopped the worker with it. */
export interface ReplaySkip {
  callId: number;
  apps: string[];
}

export interface PendingCall {
  /** The id it was last sent with (the worker names a culprit's call by it). */
  sentAs?: number;
  /** A call of a restore: never held and sent again (the next restore makes its own). */
  once?: boolean;
  /** How many worker processes ended, with no app to name, while this call was unanswered. */
  crashes?: number;
  thing: string;
  op: CallName;
  args: readonly unknown[];
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

/**
 * Debug workers only: what the engine thread's inspector says (see InspectorMessage), and how to
 * send it commands. The sender belongs to one worker process: a re-spawned worker brings its own,
 * with its first 'inspector-attached'.
 */
/** How long closing a worker waits for the code cache it is making. */
const CODE_CACHE_WAIT_MS = 3000;

export type InspectorListener = (m: InspectorMessage | InspectorAttachedMessage, toInspector: (message: string) => void) => void;

export interface WorkerProcessOptions {
  workerPath?: string;
  /** Node's permission model on (default). Off only for a debug session (the inspector needs it off). */
  permissionModel?: boolean;
  /** Heap limit of the worker's engine thread (its apps), in MB. */
  memoryLimitMb?: number;
  /** What the warden itself may hold (messages not yet relayed), in MB; default 128 (worker-main.ts). */
  wardenHeapLimitMb?: number;
  /** Extra Node flags. */
  execArgv?: string[];
  /**
   * A debug session's worker: its engine thread's V8 inspector is reachable through
   * `toInspector` and `onInspector` (relayed by the warden on the IPC channel; no port is opened).
   * The inspector needs Node's permission model off, so this turns it off; the vm sandbox stays.
   */
  debug?: boolean;
  /** Debug workers only: see InspectorListener. */
  onInspector?: InspectorListener;
}

/** Where the bundled worker lives: beside the CLI bundle, or in dist/ when running from sources. */
export function defaultWorkerPath(): string {
  const candidates = [path.join(__dirname, 'worker.js'), path.resolve(__dirname, '..', '..', 'dist', 'runtime', 'worker.js')];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`the runtime worker bundle was not found (looked for ${candidates.join(' and ')}); run "npm run build"`);
  return found;
}

export class WorkerCallError extends Error {
  /** The error's fix, as the worker's error had it (a DeviceError's). */
  readonly fix?: string;

  constructor(readonly serialized: SerializedError) {
    super(serialized.message);
    this.name = serialized.name;
    if (serialized.fix !== undefined) this.fix = serialized.fix;
  }
}

/**
 * One worker process and the calls in flight to it. It reports its events, its beats and its
 * exit; deciding to restart it is the runtime's job.
 */
export class WorkerProcess {
  private readonly pending = new Map<number, PendingCall>();
  /** selfCheck questions to the process itself: never held or sent again. */
  private readonly checks = new Map<number, Pick<PendingCall, 'resolve' | 'reject'>>();
  /** Calls the lost engine thread never answered, kept to be sent again once the apps are restored. */
  private held: PendingCall[] = [];
  private seq = 0;
  /** Which app sources the engine thread already holds (see WireSource). */
  private readonly sources = new SourceWire();
  lastBeat = Date.now();
  exited = false;
  /** Set while this worker makes the engine thread's code cache (it was asked to). */
  makingCodeCache: Promise<void> | undefined;

  private constructor(
    private readonly child: ChildProcess,
    readonly pid: number,
    readonly permissionModel: boolean,
  ) {}

  static spawn(
    options: WorkerProcessOptions,
    onEvents: (m: EventsMessage) => void,
    onExit: (code: number | null, signal: string | null, why: string) => void,
    onEngineLost: (m: EngineLostMessage) => void,
    onInspector?: InspectorListener,
  ): Promise<WorkerProcess> {
    const workerPath = options.workerPath ?? defaultWorkerPath();
    const threadPath = path.join(path.dirname(workerPath), 'engine-thread.js');
    // The process's own heap holds only the warden; the apps' heap is the engine thread's, limited
    // there (resourceLimits). No V8 flag limits the warden's heap: any V8 flag makes Node reject its
    // built-in code cache, and the process and its thread then compile Node's own modules at start
    // (~30 ms more a spawn, measured). The warden watches its own heap instead (worker-main.ts).
    const execArgv = ['--no-warnings', ...(options.execArgv ?? [])];
    const cache = options.debug ? undefined : codeCachePlan(threadPath);
    if (options.permissionModel !== false && !options.debug) execArgv.push(permissionFlag(), `--allow-fs-read=${workerPath}`, `--allow-fs-read=${threadPath}`, ...(cache ? [`--allow-fs-read=${cache.file}`] : []), '--allow-worker');
    // The worker writes to stderr only when it dies (V8's out-of-memory report, a fatal error):
    // keep the end of it to say why, instead of pouring a native stack trace into the user's output.
    // Its environment is nearly empty: past an escape there is nothing to read in it (TZ stays,
    // because apps' local dates follow it).
    const env: NodeJS.ProcessEnv = process.env.TZ ? { TZ: process.env.TZ } : {};
    // In VS Code's extension host (the debugger runs there) process.execPath is Electron: without
    // this it would start as an Electron app, not as Node.
    if (process.versions.electron) env.ELECTRON_RUN_AS_NODE = '1';
    const args = [`--memory-limit-mb=${options.memoryLimitMb ?? 256}`, ...(options.wardenHeapLimitMb ? [`--warden-heap-limit-mb=${options.wardenHeapLimitMb}`] : []), ...(options.debug ? ['--debug'] : []), ...(cache?.arg ? [cache.arg] : [])];
    const child = fork(workerPath, args, { execArgv, env, serialization: 'json', stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
    const toInspector = (message: string) => {
      if (child.connected) child.send({ kind: 'inspector', message } satisfies InspectorMessage);
    };
    let stderrTail = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderrTail = (stderrTail + chunk).slice(-8192);
    });
    const why = (code: number | null, signal: string | null) => {
      if (/heap out of memory|Reached heap limit/.test(stderrTail)) return `it ran out of memory (the limit is ${options.memoryLimitMb ?? 256} MB)`;
      const last = stderrTail.trim().split('\n').filter(Boolean).pop();
      return `code ${code}, signal ${signal}${last ? `: ${last}` : ''}`;
    };
    return new Promise((resolve, reject) => {
      let worker: WorkerProcess | undefined;
      let cacheMade: (() => void) | undefined;
      child.on('message', (m: WorkerMessage) => {
        if (m.kind === 'ready') {
          worker = new WorkerProcess(child, m.pid, m.permissionModel);
          if (cache?.asked) worker.makingCodeCache = new Promise<void>((made) => (cacheMade = made));
          resolve(worker);
        } else if (m.kind === 'code-cache') {
          if (cache?.asked && worker) saveCodeCache(cache, m.data, worker.pid);
          cacheMade?.();
        } else if (m.kind === 'inspector' || m.kind === 'inspector-attached') {
          // Before 'ready' too: the first engine thread is attached (and waits) as the process starts.
          onInspector?.(m, toInspector);
        } else if (worker) worker.onMessage(m, onEvents, onEngineLost);
      });
      child.on('exit', (code, signal) => {
        if (cache) codeCacheDone(cache);
        cacheMade?.();
        if (!worker) {
          reject(new Error(`the runtime worker exited before it was ready (${why(code, signal)})`));
          return;
        }
        worker.exited = true;
        const reason = why(code, signal);
        // Unanswered calls are kept: the runtime delivers them to the re-spawned worker (or fails them).
        worker.holdPending();
        onExit(code, signal, reason);
      });
      child.on('error', (e) => {
        if (!worker) reject(e);
      });
    });
  }

  /** A call of the table on one of this worker's Things; resolves with the worker's answer. */
  call<K extends CallName>(thing: string, op: K, args: CallArgs<K>): Promise<CallResult<K>> {
    if (this.exited) return Promise.reject(new Error('the runtime worker is not running'));
    // The one place a result crosses from the wire into the table's type.
    return new Promise((resolve, reject) => this.send({ thing, op, args, resolve: resolve as (v: unknown) => void, reject }));
  }

  /** A call that fails, instead of being held, when the worker is lost before it answers (restores). */
  callOnce<K extends CallName>(thing: string, op: K, args: CallArgs<K>): Promise<CallResult<K>> {
    if (this.exited) return Promise.reject(new Error('the runtime worker is not running'));
    return new Promise((resolve, reject) => this.send({ thing, op, args, resolve: resolve as (v: unknown) => void, reject, once: true }));
  }

  /** What the worker process is allowed to do (reads, writes, spawns, its environment). */
  selfCheck(): Promise<SelfCheckResult> {
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      this.checks.set(id, { resolve: resolve as (v: unknown) => void, reject });
      const m: SelfCheckMessage = { kind: 'selfCheck', id };
      this.child.send(m);
    });
  }

  /**
   * Sends the calls the lost engine thread never answered again, in their order, to the restored
   * apps; the apps in `skip` (the one that stopped the thread) do not run for them again.
   */
  replayHeld(skip?: ReplaySkip): void {
    const held = this.held;
    this.held = [];
    for (const p of held) {
      // A call in flight each time a process ended, with no app to blame, is what ends it: it is
      // answered with an error instead of ending the next one too.
      if ((p.crashes ?? 0) >= POISON_CRASHES) {
        p.reject(new Error(`the runtime worker ended ${p.crashes} times while this ${p.op} call was being handled, with no app to name; it was not delivered again`));
        continue;
      }
      const skipped = skip && p.sentAs === skip.callId ? skip.apps : undefined;
      // An app whose own install stopped the thread (its installed() or top level ran past its CPU
      // limit where the guard cannot reach) is not installed again: it would stop the next thread too.
      const installing = p.op === 'install' ? (p.args as CallArgs<'install'>)[0].id : undefined;
      if (skipped && installing !== undefined && skipped.includes(installing)) {
        p.reject(new Error(`the app stopped the worker's engine thread while it was being installed (its installed() or top-level code ran past its CPU limit in code the execution guard cannot interrupt: a regular expression or a built-in over a huge array); it was not installed`));
        continue;
      }
      this.send(p, skipped);
    }
  }

  /** The process ended with no app to name: every call it held counts one more crash. */
  countCrash(): void {
    for (const p of this.held) p.crashes = (p.crashes ?? 0) + 1;
  }


  /** Every unanswered call becomes a held one (the worker is gone or being replaced). */
  holdPending(): void {
    // The next engine thread holds no source: what is sent again goes in full.
    this.sources.reset();
    for (const p of this.pending.values()) {
      if (p.once) p.reject(new Error('the runtime worker was lost while its Things were being restored'));
      else this.held.push(p);
    }
    this.pending.clear();
    for (const c of this.checks.values()) c.reject(new Error('the runtime worker was lost during selfCheck'));
    this.checks.clear();
  }

  /** Hands the held calls over, to a re-spawned worker. */
  takeHeld(): PendingCall[] {
    const held = this.held;
    this.held = [];
    return held;
  }

  adopt(calls: readonly PendingCall[]): void {
    this.held.push(...calls);
  }

  private send(p: PendingCall, skip?: readonly string[]): void {
    const id = ++this.seq;
    p.sentAs = id;
    this.pending.set(id, p);
    const msg: CallMessage = { kind: 'call', id, thing: p.thing, op: p.op, args: this.sources.encode(p.op, p.args as CallArgs<CallName>), ...(skip?.length ? { skip: [...skip] } : {}) };
    this.child.send(msg);
  }

  /** Calls still waiting for a reply. */
  inFlight(): number {
    return this.pending.size;
  }

  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }

  /** Ends the worker gently (it exits when its IPC channel closes). */
  async close(): Promise<void> {
    // A code cache being made is sent on the IPC channel: wait a little for it, or every short-lived
    // worker (a `smartplug test` run) would end before its cache is made.
    if (this.makingCodeCache) await Promise.race([this.makingCodeCache, new Promise((r) => setTimeout(r, CODE_CACHE_WAIT_MS))]);
    if (this.exited) return;
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.kill(), 2000);
      this.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      this.child.disconnect();
    });
  }

  failPending(error: Error): void {
    for (const p of [...this.pending.values(), ...this.held, ...this.checks.values()]) p.reject(error);
    this.pending.clear();
    this.checks.clear();
    this.held = [];
  }

  private onMessage(m: WorkerMessage, onEvents: (m: EventsMessage) => void, onEngineLost: (m: EngineLostMessage) => void): void {
    this.lastBeat = Date.now();
    if (m.kind === 'events') onEvents(m);
    else if (m.kind === 'reply') this.onReply(m);
    else if (m.kind === 'engine-lost') {
      // Every unanswered call is held, not only those the lost thread had (m.inFlight): a call
      // already on its way reaches the new, empty thread before the Things are restored, and its
      // answer (no such Thing) is ignored, as it is no longer pending here.
      this.holdPending();
      onEngineLost(m);
    }
  }

  private onReply(m: ReplyMessage): void {
    const p = this.pending.get(m.id) ?? this.checks.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    this.checks.delete(m.id);
    if (m.ok) p.resolve(m.result);
    else p.reject(new WorkerCallError(m.error ?? { name: 'Error', message: 'unknown error' }));
  }
}
