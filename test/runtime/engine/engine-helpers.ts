/**
 * Shared by the engine, sandbox and host tests: a ThingEngine on a virtual clock whose every
 * record is collected, app sources built from inline scripts or from test/fixtures/apps, and a
 * few standard devices.
 */
import * as path from 'node:path';
import type { AppJson, InputSpec } from '../../../runtime/app';
import { loadAppFolder } from '../../../runtime/app';
import { VirtualClock } from '../../../runtime/clock/virtual-clock';
import type { EngineOptions } from '../../../runtime/engine/engine-options';
import type { AppSource } from '../../../runtime/engine/installed-app';
import type {
  AppErrorRecord,
  AppLifecycleRecord,
  CommandRecord,
  DeviceEventRecord,
  ExecutionRecord,
  LocationEventRecord,
  LogRecord,
  NotificationRecord,
} from '../../../runtime/engine/records';
import type { PersistRecord } from '../../../runtime/engine/snapshot';
import { ThingEngine } from '../../../runtime/engine/thing-engine';
import type { DeviceSpec } from '../../../runtime/devices/types';

/** 2024-06-21 12:00 UTC (13:00 in London), the default start of every virtual clock here. */
export const T0 = Date.parse('2024-06-21T12:00:00Z');
export const SCRIPT_FILE = '/apps/test/app.js';
export const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures', 'apps');

export interface Records {
  logs: LogRecord[];
  errors: AppErrorRecord[];
  commands: CommandRecord[];
  deviceEvents: DeviceEventRecord[];
  notifications: NotificationRecord[];
  executions: ExecutionRecord[];
  locationEvents: LocationEventRecord[];
  apps: AppLifecycleRecord[];
  persists: PersistRecord[];
}

export interface TestThing {
  engine: ThingEngine;
  clock: VirtualClock;
  rec: Records;
  /** Messages of the app's own log calls (source 'app'), in order. */
  appLogs(appId?: string): string[];
  /** Messages the runtime logged at this level (source 'runtime'). */
  runtimeLogs(level?: LogRecord['level'], appId?: string): string[];
}

export function emptyRecords(): Records {
  return { logs: [], errors: [], commands: [], deviceEvents: [], notifications: [], executions: [], locationEvents: [], apps: [], persists: [] };
}

export function makeThing(options: Partial<EngineOptions> & { start?: number } = {}): TestThing {
  const clock = new VirtualClock(options.start ?? T0);
  const engine = new ThingEngine({ ...options, clock });
  const rec = emptyRecords();
  engine.on('log', (r) => rec.logs.push(r));
  engine.on('appError', (r) => rec.errors.push(r));
  engine.on('command', (r) => rec.commands.push(r));
  engine.on('deviceEvent', (r) => rec.deviceEvents.push(r));
  engine.on('notification', (r) => rec.notifications.push(r));
  engine.on('execution', (r) => rec.executions.push(r));
  engine.on('locationEvent', (r) => rec.locationEvents.push(r));
  engine.on('app', (r) => rec.apps.push(r));
  engine.on('persist', (r) => rec.persists.push(r));
  return {
    engine,
    clock,
    rec,
    appLogs: (appId) => rec.logs.filter((l) => l.source === 'app' && (!appId || l.appId === appId)).map((l) => l.message),
    runtimeLogs: (level, appId) =>
      rec.logs.filter((l) => l.source === 'runtime' && (!level || l.level === level) && (!appId || l.appId === appId)).map((l) => l.message),
  };
}

export function appJson(input: Record<string, InputSpec> = {}, name?: string): AppJson {
  return { ...(name ? { name } : {}), input, guide: [{ input_fields: Object.keys(input) }] } as AppJson;
}

/** An app package from an inline script. */
export function src(script: string, input: Record<string, InputSpec> = {}, name = 'test-app', scriptFile = SCRIPT_FILE): AppSource {
  return { name, appJson: appJson(input), scriptFile, script };
}

/** An app package from test/fixtures/apps/<dir>. */
export function fixture(dir: string): AppSource {
  const pkg = loadAppFolder(path.join(FIXTURES, dir));
  return { name: pkg.name, version: pkg.version, appJson: pkg.appJson, scriptFile: pkg.scriptFile, script: pkg.script };
}

/** 1-based line of the first line of `text` containing `needle`. */
export function lineOf(text: string, needle: string, occurrence = 1): number {
  const lines = text.split('\n');
  let seen = 0;
  for (let i = 0; i < lines.length; i++) if (lines[i].includes(needle) && ++seen === occurrence) return i + 1;
  throw new Error(`"${needle}" does not occur ${occurrence} time(s)`);
}

export const DOOR: DeviceSpec = { id: 'door', label: 'Front door', capabilities: ['contactSensor'], functionIds: { contact: 9 } };
export const LAMP: DeviceSpec = { id: 'lamp', label: 'Hall lamp', capabilities: ['switch', 'switchLevel'], functionIds: { switch: 4456, level: 4457 } };
export const LAMP2: DeviceSpec = { id: 'lamp2', label: 'Porch lamp', capabilities: ['switch'] };
export const LOCK: DeviceSpec = { id: 'lock', label: 'Back door lock', capabilities: ['lock'] };
export const BUTTON: DeviceSpec = { id: 'button', label: 'Wall button', capabilities: ['button'] };
export const THERMO: DeviceSpec = { id: 'thermo', label: 'Hall thermometer', capabilities: ['temperatureMeasurement'], functionIds: { temperature: 12 }, type: 'sensor' };
export const MOTION: DeviceSpec = { id: 'motion', label: 'Hall motion', capabilities: ['motionSensor'] };

/** Adds the standard devices (door, lamp, lamp2, lock, button, thermo, motion). */
export function addStandardDevices(engine: { addDevice(spec: DeviceSpec): void }): void {
  for (const d of [DOOR, LAMP, LAMP2, LOCK, BUTTON, THERMO, MOTION]) engine.addDevice(d);
}

/** The error thrown by `fn`, failing when it does not throw. */
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

export async function rejected(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}
