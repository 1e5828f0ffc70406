/**
 * One Thing as the host drives it: the typed API the CLI, the scenario runner, the platform and the
 * debugger use, derived from the protocol's call table, and the Thing's journal (what brings it back
 * when its worker is lost). Where the Thing runs (a worker process of a pool, or this process) is
 * the transport's business.
 */
import type { DeviceSpec } from '../devices/types';
import { ConfigError } from '../app/instance-config';
import type { ConfigProblem } from '../app/config-types';
import type { AppSource } from '../engine/installed-app';
import type { LocationSpec } from '../engine/location';
import type { RuntimeEventMap } from '../engine/records';
import type { AppInfo, EndpointResponse, InstallRequest } from '../engine/engine-requests';
import type { EvalResult, EvalTarget } from '../engine/shell-eval';
import { TypedEmitter } from '../engine/typed-emitter';
import { SourceError, type SourceProblem } from '../errors';
import { OPTIONAL_EVENTS, type CallArgs, type CallName, type CallResult, type Culprit, type DeviceView, type EngineLostMessage, type EngineSettings, type EventsMessage, type OptionalEvent } from './protocol';
import { ThingJournal, type QuarantinedApp } from './thing-journal';
import { WorkerCallError } from './worker-process';

export interface WorkerRecord {
  time: number;
  /**
   * engine-restarted: the worker process lived on, its engine thread was replaced (see EngineLostMessage).
   * waiting: the worker kept dying with no app to blame; the next re-spawn comes after `delayMs`
   * (the runtime never gives up on its Things).
   */
  change: 'started' | 'restarted' | 'exited' | 'unresponsive' | 'waiting' | 'engine-restarted';
  pid?: number;
  reason?: string;
  /** For waiting: ms until the next re-spawn. */
  delayMs?: number;
  /** For started/restarted: ms from spawn to the worker running its apps again. */
  durationMs?: number;
  permissionModel?: boolean;
}

/** A device report the host gave the Thing (as a physical device would), as it is sent: what a recording takes as an input without the worker forwarding every device event. */
export interface DeviceInputRecord {
  time: number;
  deviceId: string;
  attribute: string;
  value: unknown;
}

export type HostEventMap = RuntimeEventMap & { worker: WorkerRecord; deviceInput: DeviceInputRecord };

/** Carries a Thing's calls to where it runs. */
export interface ThingTransport {
  call<K extends CallName>(thing: string, op: K, args: CallArgs<K>): Promise<CallResult<K>>;
}

export interface BlameOptions {
  cpuLimitMs: number;
  quarantineAfter: number;
}

export class Thing extends TypedEmitter<HostEventMap> {
  readonly journal: ThingJournal;
  /** Optional records some listener wants; the worker sends only these. */
  private readonly forwarded = new Set<OptionalEvent>();
  /** Ids of apps this host is installing: their records may arrive before the reply. */
  private readonly installing = new Set<string>();
  private refused = false;

  constructor(
    readonly id: string,
    settings: EngineSettings,
    private readonly transport: ThingTransport,
    private readonly newAppId: (name: string) => string,
  ) {
    super();
    this.journal = new ThingJournal(id, settings);
  }

  /** Listening to an optional record (execution, deviceEvent) asks the worker to send it. */
  override on<K extends keyof HostEventMap & string>(event: K, listener: (payload: HostEventMap[K]) => void): this {
    super.on(event, listener);
    if ((OPTIONAL_EVENTS as readonly string[]).includes(event) && !this.forwarded.has(event as OptionalEvent)) {
      this.forwarded.add(event as OptionalEvent);
      void this.call('forward', [[...this.forwarded]]).catch(() => undefined);
    }
    return this;
  }

  /** The last listener of an optional record gone, the worker stops sending it (a recording ended costs nothing after). */
  override off<K extends keyof HostEventMap & string>(event: K, listener: (payload: HostEventMap[K]) => void): this {
    super.off(event, listener);
    if (this.forwarded.has(event as OptionalEvent) && !this.hasListeners(event)) {
      this.forwarded.delete(event as OptionalEvent);
      void this.call('forward', [[...this.forwarded]]).catch(() => undefined);
    }
    return this;
  }

  forwardedEvents(): OptionalEvent[] {
    return [...this.forwarded];
  }

  // ------------------------------------------------------------------ the API (the call table's)

  async addDevice(spec: DeviceSpec): Promise<void> {
    await this.call('addDevice', [spec]);
    this.journal.addDevice(spec);
  }

  async registerPackage(source: AppSource): Promise<void> {
    await this.call('registerPackage', [source]);
    this.journal.packages.set(source.name, source);
  }

  /**
   * Installs an app; its id is unique across every Thing of the runtime. With `restore` (a snapshot
   * kept from an earlier run of it) the app comes back with its state and jobs, without installed().
   */
  async install(request: InstallRequest): Promise<AppInfo> {
    this.journal.packages.set(request.source.name, request.source);
    const id = request.id ?? this.newAppId(request.source.name);
    this.installing.add(id);
    const { restore, ...kept } = request;
    try {
      const info = await this.call('install', [{ ...request, id }]);
      // The install's records (its snapshot after installed()) arrived before this reply: keep them.
      this.journal.apps.set(info.id, { request: { ...kept, id: info.id, config: info.config }, snapshot: this.journal.apps.get(info.id)?.snapshot ?? restore });
      return info;
    } finally {
      this.installing.delete(id);
    }
  }

  async update(appId: string, config: Record<string, unknown>): Promise<AppInfo> {
    const info = await this.call('update', [appId, config]);
    const stored = this.journal.apps.get(appId);
    if (stored) stored.request = { ...stored.request, config: info.config };
    return info;
  }

  async uninstall(appId: string): Promise<void> {
    await this.call('uninstall', [appId]);
  }

  async deviceEvent(deviceId: string, attribute: string, value: unknown): Promise<void> {
    if (this.hasListeners('deviceInput')) this.emit('deviceInput', { time: Date.now(), deviceId, attribute, value });
    await this.call('deviceEvent', [deviceId, attribute, value]);
  }

  /** Many device events in one round trip (for high event rates). */
  async deviceEvents(events: [string, string, unknown][]): Promise<void> {
    if (this.hasListeners('deviceInput')) {
      const time = Date.now();
      for (const [deviceId, attribute, value] of events) this.emit('deviceInput', { time, deviceId, attribute, value });
    }
    await this.call('deviceEvents', [events]);
  }

  async sendCommand(deviceId: string, command: string, args: unknown[] = []): Promise<void> {
    await this.call('sendCommand', [deviceId, command, args]);
  }

  async setMode(mode: string): Promise<void> {
    await this.call('setMode', [mode]);
  }

  async setPosition(latitude: number, longitude: number): Promise<void> {
    await this.call('setPosition', [latitude, longitude]);
    // Kept, like the mode, so a re-created Thing has the same location.
    this.journal.position = { latitude, longitude };
  }

  async touch(appId: string): Promise<void> {
    await this.call('touch', [appId]);
  }

  async callEndpoint(appId: string, method: string, url: string, body?: unknown): Promise<EndpointResponse> {
    return this.call('callEndpoint', [appId, method, url, body]);
  }

  /** Virtual clock only: moves time forward, firing every job due on the way. */
  async advance(ms: number): Promise<number> {
    return this.journal.noteTime(await this.call('advance', [ms]));
  }

  async now(): Promise<number> {
    return this.journal.noteTime(await this.call('now', []));
  }

  async appInfo(appId: string): Promise<AppInfo> {
    return this.call('appInfo', [appId]);
  }

  async listApps(): Promise<AppInfo[]> {
    return this.call('listApps', []);
  }

  async devicesNow(): Promise<DeviceView[]> {
    return this.call('devices', []);
  }

  async location(): Promise<LocationSpec> {
    return this.call('location', []);
  }

  /** Which device attribute a function id names. */
  async functionOf(functionId: string | number): Promise<{ deviceId: string; attribute: string; type: string }> {
    return this.call('functionOf', [functionId]);
  }

  /** The JS Shell: the expression's value as text, or an error text (syntax, a throw, the CPU limit). */
  async evaluate(target: EvalTarget, expression: string): Promise<EvalResult> {
    return this.call('evaluate', [target, expression]);
  }

  /** Apps taken out of the Thing because they kept stopping the worker. */
  quarantined(): QuarantinedApp[] {
    return [...this.journal.quarantine.values()];
  }

  // ------------------------------------------------------------------ from the worker

  /** One batch of records from the worker. A record for an app this Thing does not have is dropped. */
  receive(m: Pick<EventsMessage, 'batch' | 'deviceValues'>): void {
    for (const [name, payload] of m.batch) this.receiveRecord(name, payload);
    if (m.deviceValues) this.journal.noteDeviceValues(m.deviceValues);
  }

  receiveRecord<K extends keyof RuntimeEventMap>(name: K, payload: RuntimeEventMap[K]): void {
    if (!this.journal.onRecord(name, payload, this.installing)) {
      if (!this.refused) {
        this.refused = true;
        this.report('log', { time: this.journal.lastTime ?? Date.now(), appId: '', appLabel: 'runtime', level: 'error', source: 'runtime', message: `the worker sent a ${name} record for an app this Thing does not have; it was dropped (a worker may speak only for its own Things and apps)` });
      }
      return;
    }
    this.emit(name, payload as HostEventMap[K]);
  }

  /** A record the host itself makes about this Thing (worker changes, an app named for stopping it). */
  report<K extends keyof HostEventMap & string>(name: K, payload: HostEventMap[K]): void {
    this.emit(name, payload);
  }

  /**
   * The app stopped the worker's engine thread (or the worker): its error, a strike, and after
   * enough strikes, quarantine with its children. Returns whether it is quarantined now.
   */
  blame(culprit: Culprit, lost: EngineLostMessage, options: BlameOptions): boolean {
    const stored = this.journal.apps.get(culprit.appId);
    if (!stored) return false;
    const label = this.journal.labelOf(culprit.appId);
    const time = this.journal.lastTime ?? Date.now();
    const what = lost.cause === 'runaway' ? `stopped after ${options.cpuLimitMs} ms of CPU time: ${lost.reason}` : `stopped: ${lost.reason}`;
    const rest = culprit.kind === 'load' ? '' : `; this ${culprit.kind === 'schedule' ? 'job' : 'event'} is not delivered to this app again`;
    const message = `${culprit.handler}: ${what}. The other apps were restored and lost no event${rest}`;
    this.emit('appError', { time, appId: culprit.appId, appLabel: label, handler: culprit.handler, message, file: stored.request.source.scriptFile });
    this.emit('log', { time, appId: culprit.appId, appLabel: label, level: 'error', source: 'runtime', message, file: stored.request.source.scriptFile });
    const now = Date.now();
    const strikes = (this.journal.strikes.get(culprit.appId) ?? []).filter((t) => now - t < 10 * 60_000);
    strikes.push(now);
    this.journal.strikes.set(culprit.appId, strikes);
    if (strikes.length < options.quarantineAfter) return false;
    const reason = `quarantined: it stopped the worker ${strikes.length} times within 10 minutes (last: ${lost.reason}). Fix the app and install it again`;
    for (const [id, app] of [...this.journal.apps]) {
      if (id !== culprit.appId && app.request.parentId !== culprit.appId) continue;
      const appLabel = this.journal.labelOf(id);
      this.journal.apps.delete(id);
      this.journal.quarantine.set(id, { id, label: appLabel, name: app.request.source.name, reason, time });
      this.emit('app', { time, appId: id, appLabel, change: 'quarantined', reason });
      this.emit('log', { time, appId: id, appLabel, level: 'error', source: 'runtime', message: reason });
    }
    return true;
  }

  /**
   * A job that was running when the worker hung or died would run again after the restart, and
   * hang or kill it again: it is not brought back, and the app's log says why.
   */
  dropRunningJob(why: string): void {
    const job = this.journal.runningJob;
    this.journal.runningJob = undefined;
    if (!job) return;
    this.journal.dropJob(job);
    this.emit('log', {
      time: this.journal.lastTime ?? Date.now(), appId: job.appId, appLabel: this.journal.labelOf(job.appId), level: 'error', source: 'runtime',
      message: `the scheduled job ${job.handler} was removed: ${why}. Schedule it again (e.g. from updated()) once it is fixed`,
    });
  }

  protected async call<K extends CallName>(op: K, args: CallArgs<K>): Promise<CallResult<K>> {
    try {
      return await this.transport.call(this.id, op, args);
    } catch (e) {
      throw e instanceof WorkerCallError ? reviveError(e) : e;
    }
  }
}

function reviveError(e: WorkerCallError): Error {
  const s = e.serialized;
  if (s.name === 'SourceError' && s.problems) return new SourceError(s.problems as SourceProblem[]);
  if (s.name === 'ConfigError' && s.problems) return new ConfigError(s.appName ?? 'app', s.problems as ConfigProblem[]);
  return e;
}

