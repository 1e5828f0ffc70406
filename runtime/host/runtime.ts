import type { DeviceSpec, AttrValue } from '../devices/types';
import { ConfigError } from '../engine/config-gate';
import type { ConfigProblem } from '../app/config-types';
import type { AppSource } from '../engine/installed-app';
import type { RuntimeEventMap } from '../engine/records';
import type { AppSnapshot } from '../engine/snapshot';
import type { AppInfo, EndpointResponse, InstallRequest } from '../engine/thing-engine';
import { TypedEmitter } from '../engine/typed-emitter';
import { SourceError, type SourceProblem } from '../errors';
import { CallHandler } from '../worker/call-handler';
import { OPTIONAL_EVENTS, type Culprit, type DeviceValues, type EngineLostMessage, type EngineSettings, type OptionalEvent, type SelfCheckResult, type WorkerCall } from './protocol';
import { WorkerCallError, WorkerProcess, WorkerProcessOptions } from './worker-process';

export interface RuntimeOptions extends EngineSettings, WorkerProcessOptions {
  /** `process` (default): apps run in a worker process under the permission model. `inline`: in this process. */
  isolation?: 'process' | 'inline';
  /** A worker that sends no beat for this long is killed and re-spawned (default 5000 ms). */
  hangTimeoutMs?: number;
  /** Re-spawns allowed within a minute before the runtime gives up (default 5). */
  maxRestartsPerMinute?: number;
  /** An app that stops its worker's engine thread this many times within 10 minutes is quarantined (default 3). */
  quarantineAfter?: number;
}

/** An app taken out of the Thing because it kept stopping the worker: still listed, not running. */
export interface QuarantinedApp {
  id: string;
  label: string;
  name: string;
  reason: string;
  time: number;
}

export interface WorkerRecord {
  time: number;
  /** engine-restarted: the worker process lived on, its engine thread was replaced (see EngineLostMessage). */
  change: 'started' | 'restarted' | 'exited' | 'unresponsive' | 'gave-up' | 'engine-restarted';
  pid?: number;
  reason?: string;
  /** For started/restarted: ms from spawn to the worker running its apps again. */
  durationMs?: number;
  permissionModel?: boolean;
}

export type HostEventMap = RuntimeEventMap & { worker: WorkerRecord };

interface StoredApp {
  request: Omit<InstallRequest, 'restore'>;
  snapshot?: AppSnapshot;
}

/**
 * The runtime's one API: the CLI, the scenario runner, the platform and the debugger all drive apps
 * through this object. It keeps what a Thing must not lose (devices, apps, their snapshots), so a
 * worker that crashes, hangs or is re-spawned comes back with every app, its state and its jobs.
 */
export class SmartPlugRuntime extends TypedEmitter<HostEventMap> {
  private worker: WorkerProcess | undefined;
  private inline: CallHandler | undefined;
  private readonly devices = new Map<string, DeviceSpec>();
  private readonly packages = new Map<string, AppSource>();
  private readonly apps = new Map<string, StoredApp>();
  private mode: string | undefined;
  private position: { latitude: number; longitude: number } | undefined;
  private lastTime: number | undefined;
  private restarts: number[] = [];
  private watchdog: NodeJS.Timeout | undefined;
  private closed = false;
  private restarting: Promise<void> | undefined;
  /** Optional events some listener wants; the worker sends only these. */
  private readonly forwarded = new Set<OptionalEvent>();
  /** The scheduled job running in the worker, if any: the culprit when the worker hangs or dies. */
  private runningJob: RuntimeEventMap['job'] | undefined;
  /** When each app stopped the engine thread, for quarantine. */
  private readonly strikes = new Map<string, number[]>();
  private readonly quarantine = new Map<string, QuarantinedApp>();
  /** Apps that do not get the calls delivered again after the next re-spawn (they ended the last process). */
  private skipOnReplay: string[] = [];
  /** The worker process that was lost, whose unanswered calls the next one receives. */
  private lostWorker: WorkerProcess | undefined;

  private constructor(private readonly options: RuntimeOptions) {
    super();
  }

  static async start(options: RuntimeOptions = { clock: 'real' }): Promise<SmartPlugRuntime> {
    const rt = new SmartPlugRuntime(options);
    if (options.isolation === 'inline') {
      rt.inline = new CallHandler((name, payload) => rt.onEngineEvent(name, payload));
      rt.inline.handle({ op: 'init', settings: rt.settings() });
    } else {
      await rt.spawn('started');
      rt.watchdog = setInterval(() => rt.checkBeat(), 250);
      rt.watchdog.unref();
    }
    return rt;
  }

  /** Listening to an optional event (execution records) asks the worker to send it. */
  override on<K extends keyof HostEventMap & string>(event: K, listener: (payload: HostEventMap[K]) => void): this {
    super.on(event, listener);
    if ((OPTIONAL_EVENTS as readonly string[]).includes(event) && !this.forwarded.has(event as OptionalEvent)) {
      this.forwarded.add(event as OptionalEvent);
      void this.call({ op: 'forward', events: [...this.forwarded] }).catch(() => undefined);
    }
    return this;
  }

  get isolation(): 'process' | 'inline' {
    return this.inline ? 'inline' : 'process';
  }

  get workerPid(): number | undefined {
    return this.worker?.pid;
  }

  /** Whether the current worker runs under Node's permission model (false only in debug mode). */
  get permissionModel(): boolean | undefined {
    return this.worker?.permissionModel;
  }

  // ------------------------------------------------------------------ the API

  async addDevice(spec: DeviceSpec): Promise<void> {
    await this.call({ op: 'addDevice', spec });
    this.devices.set(spec.id, { ...spec, attributes: { ...spec.attributes } });
  }

  async registerPackage(source: AppSource): Promise<void> {
    await this.call({ op: 'registerPackage', source });
    this.packages.set(source.name, source);
  }

  async install(request: Omit<InstallRequest, 'restore'>): Promise<AppInfo> {
    this.packages.set(request.source.name, request.source);
    const info = (await this.call({ op: 'install', request })) as AppInfo;
    // The install's events (its snapshot after installed()) arrive before this reply: keep them.
    this.apps.set(info.id, { request: { ...request, id: info.id, config: info.config }, snapshot: this.apps.get(info.id)?.snapshot });
    return info;
  }

  async update(appId: string, config: Record<string, unknown>): Promise<AppInfo> {
    const info = (await this.call({ op: 'update', appId, config })) as AppInfo;
    const stored = this.apps.get(appId);
    if (stored) stored.request = { ...stored.request, config: info.config };
    return info;
  }

  async uninstall(appId: string): Promise<void> {
    await this.call({ op: 'uninstall', appId });
  }

  async deviceEvent(deviceId: string, attribute: string, value: unknown): Promise<void> {
    await this.call({ op: 'deviceEvent', deviceId, attribute, value });
  }

  /** Many device events in one round trip (for high event rates). */
  async deviceEvents(events: [string, string, unknown][]): Promise<void> {
    await this.call({ op: 'deviceEvents', events });
  }

  async sendCommand(deviceId: string, command: string, args: unknown[] = []): Promise<void> {
    await this.call({ op: 'sendCommand', deviceId, command, args });
  }

  async setMode(mode: string): Promise<void> {
    await this.call({ op: 'setMode', mode });
  }

  async setPosition(latitude: number, longitude: number): Promise<void> {
    await this.call({ op: 'setPosition', latitude, longitude });
    // Kept, like the mode, so a re-spawned worker gets the same location.
    this.position = { latitude, longitude };
  }

  async touch(appId: string): Promise<void> {
    await this.call({ op: 'touch', appId });
  }

  async callEndpoint(appId: string, method: string, url: string, body?: unknown): Promise<EndpointResponse> {
    return (await this.call({ op: 'callEndpoint', appId, method, url, body })) as EndpointResponse;
  }

  /** Virtual clock only: moves time forward, firing every job due on the way. */
  async advance(ms: number): Promise<number> {
    return this.noteTime((await this.call({ op: 'advance', ms })) as number);
  }

  async now(): Promise<number> {
    return this.noteTime((await this.call({ op: 'now' })) as number);
  }

  async appInfo(appId: string): Promise<AppInfo> {
    return (await this.call({ op: 'appInfo', appId })) as AppInfo;
  }

  async listApps(): Promise<AppInfo[]> {
    return (await this.call({ op: 'listApps' })) as AppInfo[];
  }

  async devicesNow(): Promise<{ id: string; label: string; type: string; capabilities: string[]; attributes: Record<string, AttrValue> }[]> {
    return (await this.call({ op: 'devices' })) as never;
  }

  /** Process isolation only: what the worker is allowed to do (reads, writes, spawns). */
  async selfCheck(): Promise<SelfCheckResult> {
    if (this.inline) throw new Error('selfCheck needs process isolation');
    return (await this.call({ op: 'selfCheck' })) as SelfCheckResult;
  }

  /** Re-spawns the worker (as a Bundle Sync does) and restores every app; resolves when they run again. */
  async restartWorker(reason = 'requested'): Promise<void> {
    if (this.inline) throw new Error('restartWorker needs process isolation');
    const old = this.worker;
    this.worker = undefined;
    this.lostWorker = old;
    old?.kill();
    await this.respawn(reason);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.watchdog) clearInterval(this.watchdog);
    this.inline?.dispose();
    await this.worker?.close();
  }

  // ------------------------------------------------------------------ internals

  /** A re-spawned worker's virtual clock starts at the last time seen, so it must not lag (advance() with nothing due emits no event). */
  private noteTime(now: number): number {
    if (this.lastTime === undefined || now > this.lastTime) this.lastTime = now;
    return now;
  }

  private settings(start?: number): EngineSettings {
    const { clock, location, rateLimit, cpuLimitMs } = this.options;
    return { clock, start: start ?? this.options.start, location: { ...location, ...(this.mode ? { mode: this.mode } : {}), ...this.position }, rateLimit, cpuLimitMs, forward: [...this.forwarded] };
  }

  private async call(call: WorkerCall): Promise<unknown> {
    if (this.closed) throw new Error('the runtime is closed');
    if (this.inline) return this.inline.handle(call);
    if (this.restarting) await this.restarting;
    if (!this.worker) throw new Error('the runtime worker is not running');
    try {
      return await this.worker.call(call);
    } catch (e) {
      throw e instanceof WorkerCallError ? reviveError(e) : e;
    }
  }

  private onEngineEvent<K extends keyof RuntimeEventMap>(name: K, payload: RuntimeEventMap[K]): void {
    const p = payload as { time?: number };
    if (typeof p.time === 'number') this.noteTime(p.time);
    if (name === 'persist') {
      const r = payload as RuntimeEventMap['persist'];
      const stored = this.apps.get(r.appId);
      if (stored) stored.snapshot = r.snapshot;
    } else if (name === 'deviceEvent' && this.inline) {
      // (Through a worker, the host's copy of the devices follows EventsMessage.deviceValues.)
      const r = payload as RuntimeEventMap['deviceEvent'];
      this.noteDeviceValues({ [r.deviceId]: { [r.name]: r.value } });
    } else if (name === 'job') {
      const r = payload as RuntimeEventMap['job'];
      this.runningJob = r.phase === 'start' ? r : undefined;
    } else if (name === 'locationEvent') {
      const r = payload as RuntimeEventMap['locationEvent'];
      if (r.name === 'mode') this.mode = r.value;
    } else if (name === 'app') {
      const r = payload as RuntimeEventMap['app'];
      if (r.change === 'uninstalled') this.apps.delete(r.appId);
      else if (r.change === 'installed' && !this.apps.has(r.appId) && r.install) {
        const source = this.packages.get(r.install.name);
        if (source) this.apps.set(r.appId, { request: { source, config: r.install.config, label: r.appLabel, id: r.appId, parentId: r.install.parentId } });
      }
    }
    this.emit(name, payload as HostEventMap[K]);
  }

  /** Keeps the newest device values, so a re-spawned worker's devices agree with what the apps saw. */
  private noteDeviceValues(values: DeviceValues): void {
    for (const deviceId of Object.keys(values)) {
      const spec = this.devices.get(deviceId);
      if (spec) Object.assign(spec.attributes as Record<string, AttrValue>, values[deviceId]);
    }
  }

  private async spawn(change: 'started' | 'restarted', reason?: string): Promise<void> {
    const t0 = performance.now();
    const worker = await WorkerProcess.spawn(
      this.options,
      (m) => {
        for (const [name, payload] of m.batch) this.onEngineEvent(name, payload);
        if (m.deviceValues) this.noteDeviceValues(m.deviceValues);
      },
      (_code, _signal, why) => {
        if (this.worker !== worker || this.closed) return;
        this.worker = undefined;
        this.lostWorker = worker;
        this.emit('worker', { time: Date.now(), change: 'exited', pid: worker.pid, reason: why });
        this.dropRunningJob(why);
        void this.respawn(`the worker exited: ${why}`);
      },
      (lost) => {
        if (this.worker !== worker || this.closed) return;
        if (!lost.processEnding) {
          void this.recoverEngine(worker, lost);
          return;
        }
        // The process is ending itself (its engine thread could not be stopped): name the app
        // now; the re-spawn that follows delivers the calls again, without it.
        const culprit = lost.culprit && this.apps.has(lost.culprit.appId) ? lost.culprit : undefined;
        if (culprit) this.blame(culprit, lost);
        this.skipOnReplay = culprit ? [culprit.appId] : [];
        if (lost.culprit?.kind === 'schedule') this.dropRunningJob(lost.reason);
      },
    );
    const previous = this.lostWorker;
    this.lostWorker = undefined;
    this.worker = worker;
    await worker.call({ op: 'init', settings: this.settings(this.options.clock === 'virtual' ? this.lastTime : undefined) });
    if (change === 'restarted') {
      await this.restoreAll(worker);
      // What the lost process never answered goes to the new one, in order.
      if (previous) worker.adopt(previous.takeHeld());
      worker.replayHeld(this.skipOnReplay);
      this.skipOnReplay = [];
    }
    this.emit('worker', { time: Date.now(), change, pid: worker.pid, reason, durationMs: performance.now() - t0, permissionModel: worker.permissionModel });
  }

  private respawn(reason: string): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.restarting) return this.restarting;
    const now = Date.now();
    this.restarts = this.restarts.filter((t) => now - t < 60_000);
    if (this.restarts.length >= (this.options.maxRestartsPerMinute ?? 5)) {
      this.emit('worker', { time: now, change: 'gave-up', reason: `${this.restarts.length} restarts within a minute; last: ${reason}` });
      this.lostWorker?.failPending(new Error(`the runtime worker stopped and was not restarted: ${reason}`));
      this.lostWorker = undefined;
      return Promise.resolve();
    }
    this.restarts.push(now);
    this.restarting = this.spawn('restarted', reason).finally(() => {
      this.restarting = undefined;
    });
    return this.restarting;
  }

  /**
   * The worker's engine thread was stopped or died: the process lives on with a new, empty engine
   * thread. The app that was running is named and counted (and quarantined when it keeps doing
   * it); every other app is restored from its snapshot and gets the calls in flight again, so no
   * event is lost. Until that is done, new calls wait.
   */
  private recoverEngine(worker: WorkerProcess, lost: EngineLostMessage): Promise<void> {
    const t0 = performance.now();
    const run = async () => {
      const culprit = lost.culprit && this.apps.has(lost.culprit.appId) ? lost.culprit : undefined;
      if (culprit) this.blame(culprit, lost);
      else this.emit('log', { time: this.lastTime ?? Date.now(), appId: '', appLabel: 'runtime', level: 'error', source: 'runtime', message: `the worker's engine thread was lost: ${lost.reason}; every app was restored` });
      if (lost.culprit?.kind === 'schedule') this.dropRunningJob(lost.reason);
      else this.runningJob = undefined;
      await worker.call({ op: 'init', settings: this.settings(this.options.clock === 'virtual' ? this.lastTime : undefined) });
      await this.restoreAll(worker);
      worker.replayHeld(culprit ? [culprit.appId] : []);
      this.emit('worker', { time: Date.now(), change: 'engine-restarted', pid: worker.pid, reason: lost.reason, durationMs: performance.now() - t0, permissionModel: worker.permissionModel });
    };
    const previous = this.restarting ?? Promise.resolve();
    this.restarting = previous.then(run, run).finally(() => {
      this.restarting = undefined;
    });
    return this.restarting;
  }

  /** The app stopped the engine thread: its error, a strike, and after enough strikes, quarantine. */
  private blame(culprit: Culprit, lost: EngineLostMessage): void {
    const stored = this.apps.get(culprit.appId);
    if (!stored) return;
    const label = stored.request.label ?? stored.request.source.appJson.name ?? stored.request.source.name;
    const time = this.lastTime ?? Date.now();
    const what = lost.cause === 'runaway' ? `stopped after ${this.options.cpuLimitMs ?? 2000} ms of CPU time: ${lost.reason}` : `stopped: ${lost.reason}`;
    const message = `${culprit.handler}: ${what}. The other apps were restored and lost no event; this ${culprit.kind === 'schedule' ? 'job' : 'event'} is not delivered to this app again`;
    this.emit('appError', { time, appId: culprit.appId, appLabel: label, handler: culprit.handler, message, file: stored.request.source.scriptFile });
    this.emit('log', { time, appId: culprit.appId, appLabel: label, level: 'error', source: 'runtime', message, file: stored.request.source.scriptFile });
    const now = Date.now();
    const strikes = (this.strikes.get(culprit.appId) ?? []).filter((t) => now - t < 10 * 60_000);
    strikes.push(now);
    this.strikes.set(culprit.appId, strikes);
    if (strikes.length < (this.options.quarantineAfter ?? 3)) return;
    // Quarantined with its children: they are not restored, and stay listed with the reason.
    const reason = `quarantined: it stopped the worker ${strikes.length} times within 10 minutes (last: ${lost.reason}). Fix the app and install it again`;
    for (const [id, app] of [...this.apps]) {
      if (id !== culprit.appId && app.request.parentId !== culprit.appId) continue;
      this.apps.delete(id);
      const appLabel = app.request.label ?? app.request.source.appJson.name ?? app.request.source.name;
      this.quarantine.set(id, { id, label: appLabel, name: app.request.source.name, reason, time });
      this.emit('app', { time, appId: id, appLabel, change: 'quarantined', reason });
      this.emit('log', { time, appId: id, appLabel, level: 'error', source: 'runtime', message: reason });
    }
  }

  /** Apps taken out of the Thing because they kept stopping the worker. */
  quarantined(): QuarantinedApp[] {
    return [...this.quarantine.values()];
  }

  private async restoreAll(worker: WorkerProcess): Promise<void> {
    // All calls go out at once (IPC keeps their order) and are awaited together: a restart waits
    // for the apps to be back, not for a round trip per device and app.
    const setup = [...this.devices.values()].map((spec) => worker.call({ op: 'addDevice', spec }));
    for (const source of this.packages.values()) setup.push(worker.call({ op: 'registerPackage', source }));
    // Parents before children, so a child finds its parent.
    const ordered = [...this.apps.values()].sort((a, b) => (a.request.parentId ? 1 : 0) - (b.request.parentId ? 1 : 0));
    const installs = ordered.map((app) => worker.call({ op: 'install', request: { ...app.request, restore: app.snapshot ?? { state: '{}', subscriptions: [], jobs: [], routes: [], childDevices: [] } } }));
    await Promise.allSettled(setup);
    const results = await Promise.allSettled(installs);
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') return;
      const app = ordered[i];
      this.emit('log', { time: this.lastTime ?? Date.now(), appId: app.request.id ?? '', appLabel: app.request.label ?? app.request.source.name, level: 'error', source: 'runtime', message: `could not be restored after the worker restart: ${(r.reason as Error).message}` });
    });
  }

  private checkBeat(): void {
    const w = this.worker;
    if (!w || this.restarting || this.closed) return;
    const silentMs = Date.now() - w.lastBeat;
    if (silentMs <= (this.options.hangTimeoutMs ?? 5000)) return;
    this.worker = undefined;
    this.lostWorker = w;
    const reason = `the worker sent no sign of life for ${silentMs} ms (a script the execution guard could not stop, e.g. a catastrophic regular expression)`;
    this.emit('worker', { time: Date.now(), change: 'unresponsive', pid: w.pid, reason });
    w.holdPending();
    w.kill();
    this.dropRunningJob('it stopped the worker from responding');
    void this.respawn(reason);
  }

  /**
   * A job that was running when the worker hung or died would run again after the restart, and
   * hang or kill it again: it is not brought back, and the app's log says why.
   */
  private dropRunningJob(why: string): void {
    const job = this.runningJob;
    this.runningJob = undefined;
    if (!job) return;
    const stored = this.apps.get(job.appId);
    if (stored?.snapshot) stored.snapshot = { ...stored.snapshot, jobs: stored.snapshot.jobs.filter((j) => j.id !== job.jobId) };
    this.emit('log', {
      time: this.lastTime ?? Date.now(), appId: job.appId, appLabel: stored?.request.label ?? stored?.request.source.name ?? job.appId, level: 'error', source: 'runtime',
      message: `the scheduled job ${job.handler} was removed: ${why}. Schedule it again (e.g. from updated()) once it is fixed`,
    });
  }
}

function reviveError(e: WorkerCallError): Error {
  const s = e.serialized;
  if (s.name === 'SourceError' && s.problems) return new SourceError(s.problems as SourceProblem[]);
  if (s.name === 'ConfigError' && s.problems) return new ConfigError(s.appName ?? 'app', s.problems as ConfigProblem[]);
  return e;
}
