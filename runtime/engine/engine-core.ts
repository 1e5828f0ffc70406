import { performance } from 'node:perf_hooks';
import type { Clock } from '../clock/clock';
import { DeviceRegistry } from '../devices/registry';
import type { AttrValue } from '../devices/types';
import { DeviceHistory } from './device-history';
import type { EngineOptions, ExecutionMonitor, MonitoredKind } from './engine-options';
import type { InstalledApp } from './installed-app';
import { DEFAULT_LOCATION, LocationSpec } from './location';
import { DEFAULT_RATE_LIMIT, RateLimit } from './rate-limiter';
import type { DeviceEventRecord, EventSource, ExecutionKind, LogLevel, RateBudget, RuntimeEventMap } from './records';
import type { AppSnapshot } from './snapshot';
import { stateProblem } from './state-text';
import { SubscriptionIndex } from './subscriptions';
import { takeSnapshot } from './take-snapshot';
import { TypedEmitter } from './typed-emitter';
import { WorkQueue } from './work-queue';
import { executionNow } from '../sandbox/execution-clock';

const GUARD_MESSAGE = 'SmartPlug: execution time limit exceeded';

/**
 * The state of one Thing and the machinery every operation shares: executing a handler inside an
 * app's sandbox (rate limit, CPU guard, state persistence, error reporting) and a FIFO queue, so
 * events caused by a handler run after it, never inside it.
 */
export class EngineCore extends TypedEmitter<RuntimeEventMap> {
  readonly clock: Clock;
  readonly devices = new DeviceRegistry();
  readonly subs = new SubscriptionIndex();
  readonly apps = new Map<string, InstalledApp>();
  readonly location: LocationSpec;
  readonly rateLimit: RateLimit | undefined;
  readonly cpuLimitMs: number;
  readonly random: () => number;
  private readonly history: DeviceHistory;
  private readonly work = new WorkQueue({
    pending: () => this.ranApps.size > 0,
    between: () => this.drainMicrotasks(),
    failed: (e) => this.runtimeLog(undefined, 'error', `internal error: ${e instanceof Error ? e.stack : String(e)}`),
    endOfTurn: () => this.flushPersist(),
  });
  private execSeq = 0;
  private readonly monitor: ExecutionMonitor | undefined;
  /** Apps that do not run while set (a call delivered again: these already stopped the thread with it). */
  skipApps: ReadonlySet<string> | undefined;
  /** Apps that ran since their promise jobs were last drained. */
  private readonly ranApps = new Set<InstalledApp>();

  constructor(options: EngineOptions) {
    super();
    this.clock = options.clock;
    this.location = { ...DEFAULT_LOCATION, ...options.location, modes: [...(options.location?.modes ?? DEFAULT_LOCATION.modes)] };
    this.rateLimit = options.rateLimit === false ? undefined : (options.rateLimit ?? DEFAULT_RATE_LIMIT);
    this.cpuLimitMs = options.cpuLimitMs ?? 2000;
    this.history = new DeviceHistory(options.historySize ?? 100);
    this.random = options.random ?? Math.random;
    this.monitor = options.monitor;
  }

  // ------------------------------------------------------------------ queue

  /** Runs `work` after everything already queued; runs the queue now unless it is already running. */
  enqueue(work: () => void): void {
    this.work.enqueue(work);
  }

  /** Queues everything `fill` queues, then runs it all as one turn (one snapshot per app at the end). */
  batch(fill: () => void): void {
    this.work.batch(fill);
  }

  /**
   * Each app's promise jobs run in its own context (microtaskMode afterEvaluate), here, inside a CPU
   * window of their own: an async loop is stopped like a synchronous one, and is the app's.
   */
  private drainMicrotasks(): void {
    const apps = [...this.ranApps];
    this.ranApps.clear();
    for (const app of apps) {
      if (this.apps.get(app.id) !== app) continue;
      const deadline = executionNow() + this.cpuLimitMs;
      app.sandbox.controls.setDeadline(deadline);
      // The rest of one async handler is most of what runs here: name it when there is just one.
      const handler = app.pendingAsync.size === 1 ? app.pendingAsync.values().next().value!.handler : 'a promise callback';
      const token = this.monitor?.enter(app.id, 'microtasks', handler, performance.timeOrigin + deadline);
      const previous = app.current;
      app.current = { execId: 0, handler: 'a promise callback', kind: 'microtasks' };
      try {
        app.sandbox.drainMicrotasks();
      } catch (e) {
        this.runtimeLog(app, 'error', `internal error draining promise jobs: ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        app.current = previous;
        if (token !== undefined) this.monitor?.leave(token);
      }
    }
  }

  /**
   * A promise of the app was rejected and not handled: the app's error, named like its synchronous
   * ones. The reason is read inside the app's realm, within a CPU window (it may have getters).
   */
  reportRejection(app: InstalledApp, reason: unknown): void {
    this.enqueue(() => {
      if (this.apps.get(app.id) !== app) return;
      this.execute(app, 'rejection', 'unhandled promise rejection', (id) => {
        app.sandbox.controls.reportRejection(id, reason);
        return 0;
      }, false);
    });
  }

  // ------------------------------------------------------------------ executions

  /**
   * Runs one execution of an app. `run` calls into the sandbox with the execution id and returns
   * the prelude's outcome (0, new state JSON, or 1 for a handler still running asynchronously).
   */
  execute(app: InstalledApp, kind: ExecutionKind, handler: string, run: (execId: number) => 0 | 1 | string, limited = true): boolean {
    const now = this.clock.now();
    if (this.skipApps?.has(app.id)) return false;
    if (limited && !this.takeRate(app, kind, handler, now)) return false;
    const execId = ++this.execSeq;
    const previous = app.current;
    app.current = { execId, handler, kind };
    const controls = app.sandbox.controls;
    // Trips counted from this execution's start: the asynchronous rest of an earlier handler may trip in between.
    const tripsBefore = controls.guardTrips();
    const t0 = executionNow();
    controls.setDeadline(t0 + this.cpuLimitMs);
    const token = this.monitor?.enter(app.id, kind, handler, performance.timeOrigin + t0 + this.cpuLimitMs);
    const errorsBefore = this.errorCount;
    let outcome: 0 | 1 | string = 0;
    try {
      outcome = run(execId);
    } finally {
      app.current = previous;
      if (token !== undefined) this.monitor?.leave(token);
      if (app.sandbox.mayQueueMicrotasks) this.ranApps.add(app);
    }
    const durationMs = executionNow() - t0;
    if (outcome === 1) app.pendingAsync.set(execId, { execId, handler, kind });
    else if (outcome !== 0) this.persistState(app, outcome, handler);
    const trips = controls.guardTrips();
    const timedOut = trips !== tripsBefore;
    app.trips = trips;
    if (this.hasListeners('execution')) {
      const failed = this.errorCount !== errorsBefore;
      this.emit('execution', {
        id: execId, time: now, appId: app.id, kind, handler, durationMs,
        outcome: timedOut ? 'timeout' : failed ? 'error' : 'ok', budget: app.rate.budget(now),
      });
    }
    return true;
  }

  /** Runs `work` (not an execution: an app's load) with the monitor told which app it is for. */
  protected monitored<T>(appId: string, kind: MonitoredKind, handler: string, work: () => T): T {
    const token = this.monitor?.enter(appId, kind, handler, performance.timeOrigin + executionNow() + this.cpuLimitMs);
    try {
      return work();
    } finally {
      if (token !== undefined) this.monitor?.leave(token);
    }
  }

  /**
   * Seed 001's rate limit, for every execution (lifecycle callbacks too: issue 13). The window is
   * part of the app's snapshot, so each execution makes the app dirty: a re-spawned worker restores
   * the budget instead of handing out a fresh one.
   */
  private takeRate(app: InstalledApp, kind: ExecutionKind, handler: string, now: number): boolean {
    const dropped = app.rate.droppedInEndedWindow(now);
    if (dropped > 0) this.runtimeLog(app, 'warn', `rate limit: ${dropped} execution(s) were dropped in the last window`);
    const verdict = app.rate.take(now);
    if (this.rateLimit) this.markDirty(app);
    if (verdict === 'ok') return true;
    if (verdict === 'first-drop') {
      const b = app.rate.budget(now);
      this.runtimeLog(app, 'error', `rate limited: ${this.rateLimitText(b)} reached; executions are dropped until ${new Date(b.windowEndsAt).toISOString()}`);
    }
    this.emit('execution', { id: 0, time: now, appId: app.id, kind, handler, durationMs: 0, outcome: 'rate-limited', budget: app.rate.budget(now) });
    return false;
  }

  /** Why the app is not running now and until when; undefined when it is not rate limited. */
  rateLimitedText(app: InstalledApp): string | undefined {
    const b = app.rate.budget(this.clock.now());
    if (b.used < b.limit) return undefined;
    return `this app is rate limited (${this.rateLimitText(b)}) until ${new Date(b.windowEndsAt).toISOString()}`;
  }

  private rateLimitText(b: RateBudget): string {
    return `${b.limit} executions in ${(this.rateLimit?.windowMs ?? 0) / 1000} s`;
  }

  private errorCount = 0;

  /** An error thrown by the script: located in app.js and reported as an appError and a log line. */
  reportScriptError(app: InstalledApp, message: string, stack: string, handler: string): void {
    this.errorCount++;
    const loc = app.sandbox.locate(stack);
    const timedOut = message.startsWith(GUARD_MESSAGE);
    const text = timedOut
      ? `${handler}: stopped after ${this.cpuLimitMs} ms of CPU time (a runaway loop?); the app keeps receiving later events`
      : `${handler}: ${message}`;
    const time = this.clock.now();
    this.emit('appError', {
      time, appId: app.id, appLabel: app.label, handler, message: timedOut ? text : message,
      file: app.source.scriptFile, line: loc?.line, column: loc?.column, stack: stack ? app.sandbox.cleanStack(stack) : undefined,
    });
    this.emit('log', {
      time, appId: app.id, appLabel: app.label, level: 'error', source: 'runtime', message: text,
      budget: app.rate.budget(time), file: app.source.scriptFile, line: loc?.line, column: loc?.column,
    });
  }

  // ------------------------------------------------------------------ persistence

  private readonly dirtyApps = new Set<InstalledApp>();

  /**
   * The state text an execution ended with, as it arrived from the app's context. It is measured
   * and checked here, never trusted: a script can replace anything in its own context. Refused
   * text is reported as the handler's error and the context gets the last saved state back.
   */
  persistState(app: InstalledApp, stateJson: unknown, handler: string): void {
    const problem = stateProblem(stateJson);
    if (problem === undefined) {
      app.stateJson = stateJson as string;
      this.markDirty(app);
      return;
    }
    this.reportScriptError(app, problem, '', handler);
    app.sandbox.controls.setState(app.stateJson);
  }

  markDirty(app: InstalledApp): void {
    this.dirtyApps.add(app);
    if (!this.work.draining) this.flushPersist();
  }

  private flushPersist(): void {
    // The end of a turn: what was cut from the apps' output is said, once, with the snapshots.
    if (this.outputCut.size > 0) this.reportOutputCuts();
    if (this.dirtyApps.size === 0) return;
    for (const app of this.dirtyApps) {
      if (this.apps.get(app.id) === app) this.emit('persist', { appId: app.id, snapshot: this.snapshotOf(app) });
    }
    this.dirtyApps.clear();
  }

  snapshotOf(app: InstalledApp): AppSnapshot {
    return takeSnapshot(app, this.subs, this.devices);
  }

  // ------------------------------------------------------------------ output limits

  /** Apps whose log records or notifications were dropped and not yet said (see OutputLimiter). */
  private readonly outputCut = new Set<InstalledApp>();

  /** Said at the end of the turn (flushPersist), so a flood of drops is one warning. */
  noteOutputCut(app: InstalledApp): void {
    this.outputCut.add(app);
  }

  private reportOutputCuts(): void {
    const now = this.clock.now();
    for (const app of this.outputCut) {
      if (this.apps.get(app.id) !== app) {
        this.outputCut.delete(app); // uninstalled since
        continue;
      }
      const warning = app.output.report(now);
      if (warning) this.runtimeLog(app, 'warn', warning);
      // A window's later drops wait for its end: the app stays here until they are said.
      if (!app.output.hasUnsaid()) this.outputCut.delete(app);
    }
  }

  // ------------------------------------------------------------------ device events

  /** Records a device report and dispatches it to subscribed handlers (through the queue). */
  emitDeviceEvent(deviceId: string, attribute: string, value: unknown, source: EventSource, causedBy?: string): DeviceEventRecord {
    const device = this.devices.require(deviceId);
    const time = this.clock.now();
    const r = device.report(attribute, value, time);
    const fn = device.functionOf(attribute);
    const rec: DeviceEventRecord = {
      time, deviceId, deviceLabel: device.label, functionId: fn ? fn.id : `${deviceId}.${attribute}`, name: attribute,
      value: r.value, unit: r.unit, isStateChange: r.isStateChange, source, causedBy,
    };
    this.enqueue(() => this.dispatchDeviceEvent(rec));
    return rec;
  }

  /** Events that a device has already applied (command results), dispatched in order. */
  queueAppliedEvent(rec: DeviceEventRecord): void {
    this.enqueue(() => this.dispatchDeviceEvent(rec));
  }

  private dispatchDeviceEvent(rec: DeviceEventRecord): void {
    this.emit('deviceEvent', rec);
    this.history.add(rec);
    // SmartThings filters events that do not change state unless the attribute is event-like.
    if (!rec.isStateChange) return;
    const value = rec.value === null ? '' : String(rec.value);
    for (const s of this.subs.find('device', rec.deviceId, rec.name)) {
      if (s.value !== undefined && s.value !== value) continue;
      const app = this.apps.get(s.appId);
      if (!app || app.uninstalling) continue;
      this.execute(app, 'event', s.handler, (id) =>
        app.sandbox.controls.runDevice(id, s.handler, rec.name, rec.value, rec.unit ?? null, rec.deviceId, rec.functionId, rec.time, rec.isStateChange, rec.source));
    }
  }

  dispatchLocationEvent(name: string, value: string): void {
    const time = this.clock.now();
    this.enqueue(() => {
      this.emit('locationEvent', { time, name, value });
      for (const s of this.subs.find('location', 'location', name)) {
        if (s.value !== undefined && s.value !== value) continue;
        const app = this.apps.get(s.appId);
        if (!app || app.uninstalling) continue;
        this.execute(app, 'location', s.handler, (id) => app.sandbox.controls.runLocation(id, s.handler, name, value, time));
      }
    });
  }

  // ------------------------------------------------------------------ logging

  runtimeLog(app: InstalledApp | undefined, level: LogLevel, message: string): void {
    const time = this.clock.now();
    this.emit('log', {
      time, appId: app?.id ?? '', appLabel: app?.label ?? 'runtime', level, message, source: 'runtime',
      budget: app ? app.rate.budget(time) : undefined,
    });
  }

  appLog(app: InstalledApp, level: LogLevel, message: string): void {
    const time = this.clock.now();
    this.emit('log', { time, appId: app.id, appLabel: app.label, level, message, source: 'app', budget: app.rate.budget(time), ...(app.current?.kind === 'shell' ? { shell: true as const } : {}) });
  }

  /** Lets the engine's parts report records (emit itself stays protected to the emitter). */
  publish<K extends keyof RuntimeEventMap & string>(event: K, payload: RuntimeEventMap[K]): void {
    this.emit(event, payload);
  }

  historyOf(deviceId: string): readonly DeviceEventRecord[] {
    return this.history.of(deviceId);
  }

  currentValue(deviceId: string, attribute: string): AttrValue | undefined {
    return this.devices.get(deviceId)?.value(attribute);
  }
}
