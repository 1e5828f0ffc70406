import { RealClock } from '../clock/real-clock';
import { VirtualClock } from '../clock/virtual-clock';
import { ConfigError } from '../engine/config-gate';
import { ThingEngine } from '../engine/thing-engine';
import type { ExecutionMonitor } from '../engine/engine-core';
import type { RuntimeEventMap } from '../engine/records';
import { SourceError } from '../errors';
import { OPTIONAL_EVENTS, type DeviceValues, type EngineSettings, type SerializedError, type WorkerCall } from '../host/protocol';
import type { AttrValue } from '../devices/types';

const EVENT_NAMES: (keyof RuntimeEventMap)[] = ['log', 'deviceEvent', 'command', 'notification', 'execution', 'appError', 'locationEvent', 'app', 'persist', 'job'];

/**
 * Executes host calls against one ThingEngine. Used by the worker process, and directly by the
 * in-process ("inline") runtime, so both isolation modes run exactly the same code.
 */
export class CallHandler {
  private engine: ThingEngine | undefined;
  private virtualClock: VirtualClock | undefined;
  private forwarded = new Set<string>();
  private readonly changedValues = new Map<string, Record<string, AttrValue>>();

  constructor(
    private readonly onEvent: <K extends keyof RuntimeEventMap>(name: K, payload: RuntimeEventMap[K]) => void,
    private readonly monitor?: ExecutionMonitor,
  ) {}

  /** Handles a call; the apps in `skip` do not run for it (see CallMessage.skip). */
  handle(call: WorkerCall, skip?: readonly string[]): unknown {
    if (!skip?.length || !this.engine) return this.dispatch(call);
    this.engine.skipApps = new Set(skip);
    try {
      return this.dispatch(call);
    } finally {
      this.engine.skipApps = undefined;
    }
  }

  private dispatch(call: WorkerCall): unknown {
    if (call.op === 'init') return this.init(call.settings);
    if (call.op === 'forward') {
      this.forwarded = new Set(call.events);
      return undefined;
    }
    const e = this.engine;
    if (!e) throw new Error('the worker has not been initialised');
    switch (call.op) {
      case 'addDevice':
        return e.addDevice(call.spec);
      case 'registerPackage':
        return e.registerPackage(call.source);
      case 'install':
        return e.install(call.request);
      case 'update':
        return e.update(call.appId, call.config);
      case 'uninstall':
        return e.uninstall(call.appId);
      case 'deviceEvent':
        return e.deviceEvent(call.deviceId, call.attribute, call.value);
      case 'deviceEvents':
        e.deviceEvents(call.events);
        return call.events.length;
      case 'sendCommand':
        return e.sendCommand(call.deviceId, call.command, call.args);
      case 'setMode':
        return e.setMode(call.mode);
      case 'setPosition':
        return e.setPosition(call.latitude, call.longitude);
      case 'touch':
        return e.touch(call.appId);
      case 'callEndpoint':
        return e.callEndpoint(call.appId, call.method, call.url, call.body);
      case 'advance':
        if (!this.virtualClock) throw new Error('advance works only with the virtual clock (clock: "virtual")');
        this.virtualClock.advance(call.ms);
        return this.virtualClock.now();
      case 'now':
        return e.clock.now();
      case 'appInfo':
        return e.appInfo(call.appId);
      case 'listApps':
        return e.listApps();
      case 'devices':
        return e.devices.all().map((d) => ({ id: d.id, label: d.label, type: d.type, capabilities: d.capabilities.map((c) => c.id), attributes: d.snapshot() }));
      case 'selfCheck':
        throw new Error('selfCheck is answered by the worker process itself');
    }
  }

  private init(settings: EngineSettings): void {
    this.engine?.dispose();
    const clock = settings.clock === 'virtual' ? (this.virtualClock = new VirtualClock(settings.start ?? Date.now())) : new RealClock();
    if (settings.clock !== 'virtual') this.virtualClock = undefined;
    const engine = new ThingEngine({ clock, location: settings.location, rateLimit: settings.rateLimit, cpuLimitMs: settings.cpuLimitMs, monitor: this.monitor });
    this.forwarded = new Set(settings.forward ?? []);
    const optional = new Set<string>(OPTIONAL_EVENTS);
    for (const name of EVENT_NAMES) {
      engine.on(name, (payload) => {
        if (!optional.has(name) || this.forwarded.has(name)) this.onEvent(name, payload as never);
      });
    }
    engine.on('deviceEvent', (r) => {
      let values = this.changedValues.get(r.deviceId);
      if (!values) this.changedValues.set(r.deviceId, (values = {}));
      values[r.name] = r.value;
    });
    this.engine = engine;
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
    this.engine?.runtimeLog(undefined, 'error', message);
  }

  dispose(): void {
    this.engine?.dispose();
  }
}

export function serializeError(e: unknown): SerializedError {
  if (e instanceof SourceError) return { name: 'SourceError', message: e.message, problems: e.problems };
  if (e instanceof ConfigError) return { name: 'ConfigError', message: e.message, problems: e.problems, appName: e.appName };
  if (e instanceof Error) return { name: e.name, message: e.message };
  return { name: 'Error', message: String(e) };
}
