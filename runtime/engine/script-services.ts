import { parseOffset, sunTimes } from '../clock/sun';
import { localToInstant } from '../clock/time-zone';
import { allCapabilities } from '../devices/capabilities';
import { didYouMean } from '../suggest';
import type { DeviceSpec } from '../devices/types';
import type { BridgeHost } from './app-bridge';
import type { EngineCore } from './engine-core';
import type { InstalledApp } from './installed-app';
import { clipMessage, OutputKind } from './output-limiter';
import type { LogLevel } from './records';
import { parseRoute } from './routes';

/** The parts of app management the script API reaches (child apps), provided by the engine. */
export interface AppManager {
  installChild(parent: InstalledApp, appName: string, label: string, config: Record<string, unknown>): InstalledApp;
  uninstallLater(appId: string): void;
  onSubscriptionsChanged(): void;
  endpointResponse(execId: number, response: string): void;
}

let commandNames: string[] | undefined;
function allCommandNames(): string[] {
  commandNames ??= [...new Set(allCapabilities().flatMap((c) => c.commands.map((m) => m.name)))];
  return commandNames;
}

const LOCATION_EVENTS = ['mode', 'sunrise', 'sunset', 'sunriseTime', 'sunsetTime', 'position'];

/** Child devices per app (issue 13). */
export const MAX_CHILD_DEVICES = 100;

/** The engine side of every script API call. Each method validates and explains what is wrong. */
export class ScriptServices implements BridgeHost {
  constructor(
    private readonly core: EngineCore,
    private readonly manager: AppManager,
  ) {}

  now(): number {
    return this.core.clock.now();
  }

  log(app: InstalledApp, level: LogLevel, message: string): void {
    if (!this.admitOutput(app, 'log')) return;
    // A logged Error carries its stack: show app.js frames (with app.js columns), not the runtime's.
    this.core.appLog(app, level, clipMessage(message, (m) => (m.includes('\n    at ') ? app.sandbox.cleanStack(m) : m)));
  }

  /** The output caps (issue 13), kept here on the host side: a script can change anything in its own context. */
  private admitOutput(app: InstalledApp, kind: OutputKind): boolean {
    if (app.output.admit(kind, this.core.clock.now(), app.current)) return true;
    this.core.noteOutputCut(app);
    return false;
  }

  scriptError(app: InstalledApp, message: string, stack: string, execId: string): void {
    // The rest of an async handler runs while its promise jobs are drained: it is that handler's.
    const ctx = app.pendingAsync.get(Number(execId)) ?? app.current;
    this.core.reportScriptError(app, message, stack, ctx?.handler ?? (execId === 'state' ? 'state' : 'app'));
  }

  unknownHandler(name: string, known: string[], what: string): never {
    throw new Error(`${what}: "${name}" is not a function defined in app.js${didYouMean(name, known)}; define function ${name}(evt) { … } or pass the function itself`);
  }

  describeDevice(id: string): unknown {
    const d = this.core.devices.require(id);
    return {
      id: d.id, label: d.label, type: d.type, capabilities: d.capabilities.map((c) => c.id),
      attributes: d.supportedAttributes().map((a) => ({ name: a.name, unit: a.unit, functionType: a.functionType })),
      commands: d.supportedCommands().map((c) => ({ name: c.name, params: c.params.map((p) => ({ name: p.name })) })),
      // Commands of other capabilities: calling one gets an explanation instead of "is not a function".
      missingCommands: allCommandNames().filter((n) => !d.hasCommand(n)),
    };
  }

  describeFunction(id: string): unknown {
    const fn = this.core.devices.requireFunction(id);
    const device = this.core.devices.require(fn.deviceId);
    const commands = device.functionCommands(fn.attribute);
    return {
      ...fn,
      commands: commands.map((c) => c.name),
      // The catalogue's other commands: calling one gets an explanation instead of "is not a function".
      missingCommands: allCommandNames().filter((n) => !commands.some((c) => c.name === n)),
      // Those of them the device has, so the explanation can point at settings.x.device.<command>().
      deviceCommands: device.supportedCommands().map((c) => c.name),
    };
  }

  deviceState(deviceId: string, attribute: string): unknown {
    const d = this.core.devices.require(deviceId);
    if (!d.hasAttribute(attribute)) {
      const names = d.supportedAttributes().map((a) => a.name);
      throw new Error(`device "${d.label}" has no attribute "${attribute}"${didYouMean(attribute, names)}; it has: ${names.join(', ')}`);
    }
    return d.current(attribute) ?? null;
  }

  deviceHistory(deviceId: string, max: number): unknown {
    this.core.devices.require(deviceId);
    const list = this.core.historyOf(deviceId);
    return list.slice(-Math.max(1, Math.min(max, list.length))).reverse().map((e) => ({ name: e.name, value: e.value, unit: e.unit, date: e.time }));
  }

  appCommand(app: InstalledApp, deviceId: string, command: string, args: unknown[]): void {
    this.sendCommand(deviceId, command, args, app);
  }

  /** A function handle's command (`settings.light.on()`): the command of the function's own attribute. */
  functionCommand(app: InstalledApp, functionId: string, command: string, args: unknown[]): void {
    const fn = this.core.devices.requireFunction(functionId);
    this.sendCommand(fn.deviceId, command, args, app, fn.attribute);
  }

  /**
   * Applies a command as a device would: new values, a command record, then events in order.
   * `forAttribute`: only the capability whose command is for that attribute applies it (SimDevice.command).
   */
  sendCommand(deviceId: string, command: string, args: unknown[], app?: InstalledApp, forAttribute?: string): void {
    const device = this.core.devices.require(deviceId);
    const time = this.core.clock.now();
    const changes = device.command(command, args, time, forAttribute);
    this.core.publish('command', { time, appId: app?.id, deviceId, deviceLabel: device.label, command, args });
    for (const s of this.core.subs.find('command', deviceId, command)) {
      const target = this.core.apps.get(s.appId);
      if (!target) continue;
      this.core.enqueue(() =>
        this.core.execute(target, 'event', s.handler, (id) =>
          target.sandbox.controls.runDevice(id, s.handler, command, JSON.stringify(args), null, deviceId, '', time, true, app ? 'APP_COMMAND' : 'COMMAND')));
    }
    const fns = device.functions();
    for (const c of changes) {
      const current = device.current(c.attribute);
      const fn = fns.find((f) => f.attribute === c.attribute);
      this.core.queueAppliedEvent({
        time, deviceId, deviceLabel: device.label, functionId: fn ? fn.id : `${deviceId}.${c.attribute}`, name: c.attribute,
        value: current ? current.value : c.value, unit: c.unit, isStateChange: (c as { isStateChange?: boolean }).isStateChange ?? true,
        source: app ? 'APP_COMMAND' : 'COMMAND', causedBy: app?.id,
      });
    }
  }

  setFunction(app: InstalledApp, functionId: string, value: unknown): void {
    const fn = this.core.devices.requireFunction(functionId);
    const { command, args } = functionSetter(fn.attribute, value, fn.type);
    this.sendCommand(fn.deviceId, command, args, app);
  }

  describeLocation(): unknown {
    const l = this.core.location;
    const t = sunTimes(this.core.clock.now(), l.latitude, l.longitude, l.timeZone);
    return { ...l, sunrise: t.sunrise ?? null, sunset: t.sunset ?? null };
  }

  setMode(app: InstalledApp | undefined, mode: string): void {
    const l = this.core.location;
    if (!l.modes.includes(mode)) throw new Error(`location mode "${mode}" does not exist${didYouMean(mode, l.modes)}; the modes are: ${l.modes.join(', ')}`);
    if (l.mode === mode) return;
    l.mode = mode;
    if (app) this.core.runtimeLog(app, 'info', `set location mode to ${mode}`);
    this.core.dispatchLocationEvent('mode', mode);
  }

  sunTimes(opts: { sunriseOffset?: string | number; sunsetOffset?: string | number; date?: string }): { sunrise: number | null; sunset: number | null } {
    const l = this.core.location;
    const day = opts.date ? Date.parse(opts.date) : this.core.clock.now();
    const t = sunTimes(day, l.latitude, l.longitude, l.timeZone);
    const rise = t.sunrise === undefined ? null : t.sunrise + (opts.sunriseOffset === undefined ? 0 : parseOffset(opts.sunriseOffset));
    const set = t.sunset === undefined ? null : t.sunset + (opts.sunsetOffset === undefined ? 0 : parseOffset(opts.sunsetOffset));
    return { sunrise: rise, sunset: set };
  }

  subscribe(app: InstalledApp, kind: string, id: string, attribute: string, handler: string): void {
    const dot = attribute.indexOf('.');
    const attr = dot < 0 ? attribute : attribute.slice(0, dot);
    const value = dot < 0 ? undefined : attribute.slice(dot + 1);
    if (kind === 'device' || kind === 'function') {
      let deviceId = id;
      let name = attr;
      if (kind === 'function') {
        const fn = this.core.devices.requireFunction(id);
        deviceId = fn.deviceId;
        if (name !== '' && name !== fn.attribute) throw new Error(`subscribe: function ${id} is the "${fn.attribute}" of its device, not "${name}"; subscribe(fn, "${fn.attribute}${value !== undefined ? '.' + value : ''}", handler) or subscribe(fn, handler)`);
        name = fn.attribute;
      }
      const device = this.core.devices.require(deviceId);
      if (name === '') throw new Error(`subscribe: say which attribute of "${device.label}" to listen to, e.g. subscribe(device, "${device.supportedAttributes()[0]?.name ?? 'switch'}", handler)`);
      const spec = device.attributeSpec(name);
      if (!spec) {
        const names = device.supportedAttributes().map((a) => a.name);
        throw new Error(`subscribe: device "${device.label}" has no attribute "${name}"${didYouMean(name, names)}; it has: ${names.join(', ')}. Subscribe to one of those, or select a device with that capability`);
      }
      if (value !== undefined && spec.kind === 'enum' && spec.values && !spec.values.includes(value)) {
        throw new Error(`subscribe: "${value}" is never a value of ${name}${didYouMean(value, spec.values)}; its values are: ${spec.values.join(', ')}`);
      }
      this.core.subs.add({ appId: app.id, kind: 'device', target: deviceId, attribute: name, value, handler });
    } else if (kind === 'location') {
      if (attr !== '' && !LOCATION_EVENTS.includes(attr)) throw new Error(`subscribe: location has no event "${attr}"${didYouMean(attr, LOCATION_EVENTS)}; its events are: ${LOCATION_EVENTS.join(', ')}`);
      if (attr === 'mode' && value !== undefined && !this.core.location.modes.includes(value)) {
        throw new Error(`subscribe: location mode "${value}" does not exist${didYouMean(value, this.core.location.modes)}; the modes are: ${this.core.location.modes.join(', ')}`);
      }
      if (attr === '') for (const e of LOCATION_EVENTS) this.core.subs.add({ appId: app.id, kind: 'location', target: 'location', attribute: e, handler });
      else this.core.subs.add({ appId: app.id, kind: 'location', target: 'location', attribute: attr, value, handler });
    } else if (kind === 'app') {
      if (id !== app.id) throw new Error('subscribe: an app can subscribe only to its own touches: subscribe(app, handler)');
      if (attribute !== '' && attribute !== 'touch') throw new Error(`subscribe: an app has only one event, its touch; write subscribe(app, handler), not subscribe(app, "${attribute}", handler)`);
      this.core.subs.add({ appId: app.id, kind: 'app', target: app.id, attribute: '', handler });
    } else {
      throw new Error(`subscribe: a ${kind} cannot be subscribed to; pass a device, a function, location or app`);
    }
    this.core.markDirty(app);
    this.manager.onSubscriptionsChanged();
  }

  subscribeCommand(app: InstalledApp, kind: string, id: string, command: string, handler: string): void {
    if (kind !== 'device') throw new Error('subscribeToCommand: pass a device');
    const device = this.core.devices.require(id);
    if (!device.hasCommand(command)) {
      const names = device.supportedCommands().map((c) => c.name);
      throw new Error(`subscribeToCommand: device "${device.label}" has no command "${command}"${didYouMean(command, names)}; ${names.length ? `it has: ${names.join(', ')}` : 'it has no commands (a sensor only reports; subscribe to its attributes instead)'}`);
    }
    this.core.subs.add({ appId: app.id, kind: 'command', target: id, attribute: command, handler });
    this.core.markDirty(app);
  }

  unsubscribe(app: InstalledApp, kind: string, id: string): void {
    // A function is one attribute of its device: unsubscribing it leaves the device's other attributes.
    const fn = kind === 'function' ? this.core.devices.requireFunction(id) : undefined;
    const target = fn ? fn.deviceId : kind === 'location' ? 'location' : id;
    this.core.subs.remove((s) => s.appId === app.id && (kind === '' || (s.target === target && (!fn || s.attribute === fn.attribute))));
    this.core.markDirty(app);
    this.manager.onSubscriptionsChanged();
  }

  runIn(app: InstalledApp, seconds: number, handler: string, overwrite: boolean, data: string): void {
    app.jobs.runAt(this.core.clock.now() + Math.round(seconds * 1000), handler, overwrite, data);
    this.core.markDirty(app);
  }

  runOnce(app: InstalledApp, when: number | string, handler: string, overwrite: boolean, data: string): void {
    const at = typeof when === 'number' ? when : instantOf(when, this.core.location.timeZone);
    app.jobs.runAt(Math.max(at, this.core.clock.now()), handler, overwrite, data);
    this.core.markDirty(app);
  }

  schedule(app: InstalledApp, spec: string | number, handler: string, data: string): void {
    app.jobs.schedule(spec, handler, data);
    this.core.markDirty(app);
  }

  runEvery(app: InstalledApp, minutes: number, handler: string, data: string): void {
    app.jobs.every(minutes, handler, data);
    this.core.markDirty(app);
  }

  unschedule(app: InstalledApp, handler: string | undefined): void {
    app.jobs.unschedule(handler);
    this.core.markDirty(app);
  }

  canSchedule(app: InstalledApp): boolean {
    return app.jobs.count() < 100;
  }

  notify(app: InstalledApp, outputId: string | number, message: string): void {
    if (!this.admitOutput(app, 'notification')) return;
    this.core.publish('notification', { time: this.core.clock.now(), appId: app.id, appLabel: app.label, outputId, message: clipMessage(message) });
  }

  mappings(app: InstalledApp, routes: { route: string; handler: string }[]): void {
    app.routes = routes.map((r) => parseRoute(r.route, r.handler));
    this.core.markDirty(app);
  }

  endpointResponse(_app: InstalledApp, execId: number, response: string): void {
    this.manager.endpointResponse(execId, response);
  }

  addChildDevice(app: InstalledApp, id: string, spec: unknown): string {
    const s = (spec ?? {}) as { label?: string; capabilities?: string[]; attributes?: Record<string, string | number | boolean | null>; type?: string };
    if (!Array.isArray(s.capabilities) || s.capabilities.length === 0) throw new Error('addChildDevice: give the device its capabilities, e.g. addChildDevice("lamp-1", { label: "Lamp", capabilities: ["switch"] })');
    // Child devices are re-created at every restore, and each is a device every app can see: a wall against a runaway loop.
    if (app.childDevices.size >= MAX_CHILD_DEVICES) throw new Error(`addChildDevice: this app already has ${MAX_CHILD_DEVICES} child devices; the limit is ${MAX_CHILD_DEVICES}. Delete one with deleteChildDevice(id) first`);
    const deviceSpec: DeviceSpec = { id, label: s.label ?? id, capabilities: s.capabilities.map(String), attributes: s.attributes, type: s.type, meta: { app_id: app.id } };
    this.core.devices.add(deviceSpec, this.core.clock.now());
    app.childDevices.add(id);
    this.core.markDirty(app);
    return id;
  }

  childDevices(app: InstalledApp): string[] {
    return [...app.childDevices];
  }

  deleteChildDevice(app: InstalledApp, id: string): void {
    if (!app.childDevices.has(id)) throw new Error(`deleteChildDevice: "${id}" is not a child device of this app`);
    this.core.subs.remove((s) => s.target === id);
    this.core.devices.remove(id);
    app.childDevices.delete(id);
    this.core.markDirty(app);
  }

  addChildApp(app: InstalledApp, appName: string, label: string, config: Record<string, unknown>): { id: string; label: string; name: string } {
    const child = this.manager.installChild(app, appName, label, config);
    return { id: child.id, label: child.label, name: child.source.name };
  }

  childApps(app: InstalledApp): { id: string; label: string; name: string }[] {
    return [...app.children].map((id) => this.core.apps.get(id)).filter((c): c is InstalledApp => !!c).map((c) => ({ id: c.id, label: c.label, name: c.source.name }));
  }

  deleteChildApp(app: InstalledApp, id: string): void {
    if (!app.children.has(id)) throw new Error(`deleteChildApp: "${id}" is not a child app of this app`);
    this.manager.uninstallLater(id);
  }

  parentApp(app: InstalledApp): { id: string; label: string; name: string } | null {
    const p = app.parentId ? this.core.apps.get(app.parentId) : undefined;
    return p ? { id: p.id, label: p.label, name: p.source.name } : null;
  }

  invoke(app: InstalledApp, targetId: string, method: string, args: unknown[]): string {
    const target = this.core.apps.get(targetId);
    if (!target || (target.parentId !== app.id && app.parentId !== targetId)) throw new Error(`invoke: "${targetId}" is neither this app's parent nor one of its children`);
    let result = '';
    let failure: string | undefined;
    const ran = this.core.execute(target, 'invoke', method, (execId) => {
      try {
        result = target.sandbox.controls.invoke(execId, method, JSON.stringify(args));
      } catch (e) {
        failure = e !== null && typeof e === 'object' && 'message' in e ? String((e as { message: unknown }).message) : String(e);
      }
      // The invoked method may have changed the target's state: save it as any execution does.
      return target.sandbox.controls.takeState();
    });
    if (!ran) throw new Error(`${target.label}.${method}() was not run: ${target.label} is rate limited; try again later`);
    if (failure !== undefined) throw new Error(`${target.label}.${method}() failed: ${failure}`);
    return result;
  }

  asyncDone(app: InstalledApp, execId: number, result: 0 | string): void {
    const ctx = app.pendingAsync.get(execId);
    app.pendingAsync.delete(execId);
    if (result !== 0) this.core.persistState(app, result, ctx?.handler ?? 'app');
  }
}

/**
 * An ISO date-time as runOnce takes it: with Z or an offset it is that instant; without one it is a
 * wall time in the location's time zone (as schedule() reads times), not the host's.
 */
export function instantOf(text: string, timeZone: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/.exec(text.trim());
  if (m) {
    return localToInstant({ year: +m[1], month: +m[2], day: +m[3], hour: +m[4], minute: +m[5], second: m[6] ? +m[6] : 0 }, timeZone);
  }
  const at = Date.parse(text);
  if (Number.isNaN(at)) throw new TypeError(`runOnce: "${text}" is not a date; pass a Date, epoch ms or an ISO time such as "2024-06-22T07:30:00"`);
  return at;
}

/** How a function selector's value is written: the command of its attribute that sets it. */
export function functionSetter(attribute: string, value: unknown, type: string): { command: string; args: unknown[] } {
  const truthy = value === true || value === 'on' || value === 1 || value === '1' || value === 'true' || (typeof value === 'number' && value > 0);
  switch (attribute) {
    case 'switch':
      return { command: truthy ? 'on' : 'off', args: [] };
    case 'level':
      return { command: 'setLevel', args: [Number(value)] };
    case 'lock':
      return { command: value === 'locked' || value === true || value === 1 ? 'lock' : 'unlock', args: [] };
    case 'heatingSetpoint':
      return { command: 'setHeatingSetpoint', args: [Number(value)] };
    case 'coolingSetpoint':
      return { command: 'setCoolingSetpoint', args: [Number(value)] };
    case 'thermostatMode':
      return { command: 'setThermostatMode', args: [String(value)] };
    case 'colorTemperature':
      return { command: 'setColorTemperature', args: [Number(value)] };
    case 'hue':
      return { command: 'setHue', args: [Number(value)] };
    case 'saturation':
      return { command: 'setSaturation', args: [Number(value)] };
    case 'valve':
    case 'door':
    case 'windowShade':
      return { command: value === 'open' || truthy ? 'open' : 'close', args: [] };
    default:
      throw new Error(`function of type "${type}" (${attribute}) is read-only: a sensor reports it; it cannot be set`);
  }
}
