/**
 * One Thing inside a worker: its ThingEngine (devices, location, clock, apps) and the calls of the
 * protocol's table that concern it. The worker's dispatcher holds many; the in-process ("inline")
 * runtime holds one, so both isolation modes run exactly the same code.
 */
import type { AttrValue } from '../devices/types';
import { RealClock } from '../clock/real-clock';
import { GuardedClock } from '../clock/guarded-clock';
import type { VirtualClock } from '../clock/virtual-clock';
import type { LocationSpec } from '../engine/location';
import { seededRandom } from '../engine/seeded-random';
import type { ExecutionMonitor } from '../engine/engine-options';
import type { RuntimeEventMap } from '../engine/records';
import type { AppInfo, EndpointResponse, InstallRequest } from '../engine/engine-requests';
import { ThingEngine } from '../engine/thing-engine';
import type { AppSource } from '../engine/installed-app';
import type { EvalResult, EvalTarget } from '../engine/shell-eval';
import type { DeviceSpec } from '../devices/types';
import { OPTIONAL_EVENTS, type CallName, type DeviceValues, type DeviceView, type EngineSettings, type OptionalEvent, type ThingCalls } from '../host/protocol';

const EVENT_NAMES: readonly (keyof RuntimeEventMap)[] = ['log', 'deviceEvent', 'command', 'notification', 'execution', 'appError', 'locationEvent', 'app', 'persist', 'job'];
const OPTIONAL = new Set<string>(OPTIONAL_EVENTS);

export type RecordSink = <K extends keyof RuntimeEventMap>(name: K, payload: RuntimeEventMap[K]) => void;

/** Everything of ThingCalls but creating and disposing, which the dispatcher does. */
export type ThingCallsOfHost = Omit<ThingCalls, 'createThing' | 'disposeThing'>;

export interface ThingHostOptions {
  /** Told of every execution (the warden's slot). */
  monitor?: ExecutionMonitor;
}

export class ThingHost implements ThingCallsOfHost {
  readonly engine: ThingEngine;
  private readonly virtualClock: VirtualClock | undefined;
  private forwarded: Set<string>;
  private readonly changedValues = new Map<string, Record<string, AttrValue>>();

  constructor(settings: EngineSettings, onRecord: RecordSink, options: ThingHostOptions = {}) {
    // A virtual clock that refuses endless re-arming at one instant (runIn(0) in its own handler).
    const clock = settings.clock === 'virtual' ? (this.virtualClock = new GuardedClock(settings.start ?? Date.now())) : new RealClock();
    this.engine = new ThingEngine({
      clock, location: settings.location, rateLimit: settings.rateLimit, cpuLimitMs: settings.cpuLimitMs, monitor: options.monitor, scopedChildIds: true,
      ...(settings.seed !== undefined ? { random: seededRandom(settings.seed) } : {}),
    });
    this.forwarded = new Set(settings.forward ?? []);
    for (const name of EVENT_NAMES) {
      this.engine.on(name, (payload) => {
        if (!OPTIONAL.has(name) || this.forwarded.has(name)) onRecord(name, payload as never);
      });
    }
    this.engine.on('deviceEvent', (r) => {
      let values = this.changedValues.get(r.deviceId);
      if (!values) this.changedValues.set(r.deviceId, (values = {}));
      values[r.name] = r.value;
    });
  }

  /** Runs one call of the table; apps in `skip` do not run for it (see CallMessage.skip). */
  call(op: Exclude<CallName, 'createThing' | 'disposeThing'>, args: readonly unknown[], skip?: readonly string[]): unknown {
    // The wire carries arguments as JSON: the table's types hold for them by construction.
    const fn = this[op] as (...a: unknown[]) => unknown;
    if (!skip?.length) return fn.apply(this, args as unknown[]);
    this.engine.skipApps = new Set(skip);
    try {
      return fn.apply(this, args as unknown[]);
    } finally {
      this.engine.skipApps = undefined;
    }
  }

  /** The newest value of each device attribute that changed since the last call, for the host's copy. */
  takeDeviceValues(): DeviceValues | undefined {
    if (this.changedValues.size === 0) return undefined;
    const out: DeviceValues = Object.fromEntries(this.changedValues);
    this.changedValues.clear();
    return out;
  }

  /** Something went wrong that no app can be named for: a runtime error in the log. */
  runtimeError(message: string): void {
    this.engine.runtimeLog(undefined, 'error', message);
  }

  dispose(): void {
    this.engine.dispose();
  }

  // ------------------------------------------------------------------ the table's calls

  forward(events: OptionalEvent[]): void {
    this.forwarded = new Set(events);
  }

  addDevice(spec: DeviceSpec): void {
    this.engine.addDevice(spec);
  }

  registerPackage(source: AppSource): void {
    this.engine.registerPackage(source);
  }

  install(request: InstallRequest): AppInfo {
    return this.engine.install(request);
  }

  update(appId: string, config: Record<string, unknown>): AppInfo {
    return this.engine.update(appId, config);
  }

  uninstall(appId: string): void {
    this.engine.uninstall(appId);
  }

  deviceEvent(deviceId: string, attribute: string, value: unknown): void {
    this.engine.deviceEvent(deviceId, attribute, value);
  }

  deviceEvents(events: [deviceId: string, attribute: string, value: unknown][]): number {
    this.engine.deviceEvents(events);
    return events.length;
  }

  sendCommand(deviceId: string, command: string, args: unknown[]): void {
    this.engine.sendCommand(deviceId, command, args);
  }

  setMode(mode: string): void {
    this.engine.setMode(mode);
  }

  setPosition(latitude: number, longitude: number): void {
    this.engine.setPosition(latitude, longitude);
  }

  touch(appId: string): void {
    this.engine.touch(appId);
  }

  callEndpoint(appId: string, method: string, url: string, body?: unknown): EndpointResponse {
    return this.engine.callEndpoint(appId, method, url, body);
  }

  advance(ms: number): number {
    if (!this.virtualClock) throw new Error('advance works only with the virtual clock (clock: "virtual")');
    this.virtualClock.advance(ms);
    return this.virtualClock.now();
  }

  now(): number {
    return this.engine.clock.now();
  }

  appInfo(appId: string): AppInfo {
    return this.engine.appInfo(appId);
  }

  listApps(): AppInfo[] {
    return this.engine.listApps();
  }

  location(): LocationSpec {
    return { ...this.engine.location, modes: [...this.engine.location.modes] };
  }

  functionOf(functionId: string | number): { deviceId: string; attribute: string; type: string } {
    const f = this.engine.devices.requireFunction(functionId);
    return { deviceId: f.deviceId, attribute: f.attribute, type: f.type };
  }

  evaluate(target: EvalTarget, expression: string): EvalResult {
    return this.engine.evaluate(target, expression);
  }

  devices(): DeviceView[] {
    return this.engine.devices.all().map((d) => ({ id: d.id, label: d.label, type: d.type, capabilities: d.capabilities.map((c) => c.id), attributes: d.snapshot() }));
  }
}
