/**
 * What the host keeps of one Thing so that a lost worker loses nothing: its devices (with the values
 * the apps last saw), the app packages, every app's install request and newest snapshot, the mode,
 * the position, the clock's time, and which apps were quarantined. From it the Thing is created
 * again in a new worker, exactly as it was at the last answered call.
 */
import type { AttrValue, DeviceSpec } from '../devices/types';
import type { AppSource } from '../engine/installed-app';
import { SHELL_CONTEXT_ID } from '../engine/app-ids';
import type { JobRunRecord, RuntimeEventMap } from '../engine/records';
import { emptySnapshot, type AppSnapshot } from '../engine/snapshot';
import type { InstallRequest } from '../engine/engine-requests';
import type { CallArgs, CallName, DeviceValues, EngineSettings, OptionalEvent } from './protocol';

export interface StoredApp {
  request: Omit<InstallRequest, 'restore'>;
  snapshot?: AppSnapshot;
}

/** An app taken out of the Thing because it kept stopping the worker: still listed, not running. */
export interface QuarantinedApp {
  id: string;
  label: string;
  name: string;
  reason: string;
  time: number;
}

/** One call that re-creates part of the Thing. */
export type RestoreCall = { [K in CallName]: [K, CallArgs<K>] }[CallName];

export class ThingJournal {
  readonly devices = new Map<string, DeviceSpec>();
  readonly packages = new Map<string, AppSource>();
  readonly apps = new Map<string, StoredApp>();
  readonly quarantine = new Map<string, QuarantinedApp>();
  /** When each app stopped the engine thread (epoch ms), for quarantine. */
  readonly strikes = new Map<string, number[]>();
  mode: string | undefined;
  position: { latitude: number; longitude: number } | undefined;
  /** The newest time seen on the Thing's clock: a re-created virtual clock starts there. */
  lastTime: number | undefined;
  /** The scheduled job running in the worker, if any: the culprit when the worker hangs or dies. */
  runningJob: JobRunRecord | undefined;

  constructor(
    readonly thing: string,
    private readonly base: EngineSettings,
  ) {}

  settings(forward: readonly OptionalEvent[]): EngineSettings {
    const { clock, location, rateLimit, cpuLimitMs, seed } = this.base;
    const start = clock === 'virtual' ? (this.lastTime ?? this.base.start) : this.base.start;
    return { clock, start, location: { ...location, ...(this.mode ? { mode: this.mode } : {}), ...this.position }, rateLimit, cpuLimitMs, forward: [...forward], ...(seed !== undefined ? { seed } : {}) };
  }

  /** The CPU limit of one execution the Thing was created with (undefined: the engine's default). */
  get cpuLimitMs(): number | undefined {
    return this.base.cpuLimitMs;
  }

  noteTime(now: number): number {
    if (this.lastTime === undefined || now > this.lastTime) this.lastTime = now;
    return now;
  }

  addDevice(spec: DeviceSpec): void {
    this.devices.set(spec.id, { ...spec, attributes: { ...spec.attributes } });
  }

  noteDeviceValues(values: DeviceValues): void {
    for (const deviceId of Object.keys(values)) {
      const spec = this.devices.get(deviceId);
      if (spec) Object.assign(spec.attributes as Record<string, AttrValue>, values[deviceId]);
    }
  }

  /** Whether a record naming this app may come from the worker: an app of this Thing's. */
  owns(appId: string): boolean {
    return this.apps.has(appId) || this.quarantine.has(appId) || appId === SHELL_CONTEXT_ID;
  }

  /** Keeps what the records say about the Thing. Returns false for a record this Thing cannot have sent. */
  onRecord<K extends keyof RuntimeEventMap>(name: K, payload: RuntimeEventMap[K], installing: ReadonlySet<string>): boolean {
    const p = payload as { time?: number; appId?: string };
    if (typeof p.appId === 'string' && p.appId !== '' && !this.owns(p.appId) && !installing.has(p.appId)) {
      // Only an install (this host's, or a child's under an app of this Thing) may name a new app.
      const r = payload as RuntimeEventMap['app'];
      const parentId = r.install?.parentId;
      const childOfOurs = name === 'app' && r.change === 'installed' && parentId !== undefined && (this.apps.has(parentId) || installing.has(parentId));
      if (!childOfOurs) return false;
    }
    if (typeof p.time === 'number') this.noteTime(p.time);
    if (name === 'persist') {
      const r = payload as RuntimeEventMap['persist'];
      const stored = this.apps.get(r.appId);
      if (stored) stored.snapshot = r.snapshot;
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
    return true;
  }

  /** The calls that create the Thing again in an empty worker, as it was at the last answered call. */
  restoreCalls(forward: readonly OptionalEvent[]): RestoreCall[] {
    const calls: RestoreCall[] = [['createThing', [this.settings(forward)]]];
    for (const spec of this.devices.values()) calls.push(['addDevice', [spec]]);
    for (const source of this.packages.values()) calls.push(['registerPackage', [source]]);
    // Parents before children, so a child finds its parent.
    const ordered = [...this.apps.values()].sort((a, b) => depth(a, this.apps) - depth(b, this.apps));
    for (const app of ordered) calls.push(['install', [{ ...app.request, restore: app.snapshot ?? emptySnapshot() }]]);
    return calls;
  }

  /** A job that hung or killed the worker is not brought back (it would do it again). */
  dropJob(job: JobRunRecord): void {
    const stored = this.apps.get(job.appId);
    if (stored?.snapshot) stored.snapshot = { ...stored.snapshot, jobs: stored.snapshot.jobs.filter((j) => j.id !== job.jobId) };
  }

  labelOf(appId: string): string {
    const stored = this.apps.get(appId);
    return stored?.request.label ?? stored?.request.source.appJson.name ?? stored?.request.source.name ?? appId;
  }
}

function depth(app: StoredApp, apps: ReadonlyMap<string, StoredApp>): number {
  let d = 0;
  for (let p = app.request.parentId; p !== undefined && d < 64; p = apps.get(p)?.request.parentId) d++;
  return d;
}
