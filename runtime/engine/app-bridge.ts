import type { BridgeFunction } from '../sandbox/prelude/types';
import type { InstalledApp } from './installed-app';
import type { LogLevel } from './records';

/**
 * What the bridge needs from the engine. The bridge only decodes the script's calls (primitives and
 * JSON text) and encodes results; the engine does the work.
 */
export interface BridgeHost {
  now(): number;
  log(app: InstalledApp, level: LogLevel, message: string): void;
  scriptError(app: InstalledApp, message: string, stack: string, execId: string): void;
  unknownHandler(name: string, known: string[], what: string): never;
  describeDevice(id: string): unknown;
  describeFunction(id: string): unknown;
  deviceState(deviceId: string, attribute: string): unknown;
  deviceHistory(deviceId: string, max: number): unknown;
  appCommand(app: InstalledApp, deviceId: string, command: string, args: unknown[]): void;
  functionCommand(app: InstalledApp, functionId: string, command: string, args: unknown[]): void;
  setFunction(app: InstalledApp, functionId: string, value: unknown): void;
  describeLocation(): unknown;
  setMode(app: InstalledApp, mode: string): void;
  sunTimes(opts: { sunriseOffset?: string | number; sunsetOffset?: string | number; date?: string }): { sunrise: number | null; sunset: number | null };
  subscribe(app: InstalledApp, kind: string, id: string, attribute: string, handler: string): void;
  subscribeCommand(app: InstalledApp, kind: string, id: string, command: string, handler: string): void;
  unsubscribe(app: InstalledApp, kind: string, id: string): void;
  runIn(app: InstalledApp, seconds: number, handler: string, overwrite: boolean, data: string): void;
  runOnce(app: InstalledApp, when: number | string, handler: string, overwrite: boolean, data: string): void;
  schedule(app: InstalledApp, spec: string | number, handler: string, data: string): void;
  runEvery(app: InstalledApp, minutes: number, handler: string, data: string): void;
  unschedule(app: InstalledApp, handler: string | undefined): void;
  canSchedule(app: InstalledApp): boolean;
  notify(app: InstalledApp, outputId: string | number, message: string): void;
  mappings(app: InstalledApp, routes: { route: string; handler: string }[]): void;
  endpointResponse(app: InstalledApp, execId: number, response: string): void;
  addChildDevice(app: InstalledApp, id: string, spec: unknown): string;
  childDevices(app: InstalledApp): string[];
  deleteChildDevice(app: InstalledApp, id: string): void;
  addChildApp(app: InstalledApp, appName: string, label: string, config: Record<string, unknown>): { id: string; label: string; name: string };
  childApps(app: InstalledApp): { id: string; label: string; name: string }[];
  deleteChildApp(app: InstalledApp, id: string): void;
  parentApp(app: InstalledApp): { id: string; label: string; name: string } | null;
  invoke(app: InstalledApp, targetId: string, method: string, args: unknown[]): string;
  asyncDone(app: InstalledApp, execId: number, result: 0 | string): void;
}

const LEVELS = new Set<LogLevel>(['trace', 'debug', 'info', 'warn', 'error']);

/** Builds the host function one app's prelude calls for everything outside its context. */
export function createBridge(host: BridgeHost, getApp: () => InstalledApp): BridgeFunction {
  return (op, a, b, c, d) => {
    const app = getApp();
    switch (op) {
      case 'now':
        return host.now();
      case 'log':
        host.log(app, LEVELS.has(a as LogLevel) ? (a as LogLevel) : 'info', String(b));
        return undefined;
      case 'error':
        host.scriptError(app, String(a), String(b ?? ''), String(c ?? ''));
        return undefined;
      case 'unknownHandler':
        return host.unknownHandler(String(a), JSON.parse(String(b)) as string[], String(c));
      case 'device':
        return JSON.stringify(host.describeDevice(String(a)));
      case 'function':
        return JSON.stringify(host.describeFunction(String(a)));
      case 'state':
        return JSON.stringify(host.deviceState(String(a), String(b)) ?? null);
      case 'history':
        return JSON.stringify(host.deviceHistory(String(a), Number(b)));
      case 'command':
        host.appCommand(app, String(a), String(b), JSON.parse(String(c)) as unknown[]);
        return undefined;
      case 'functionCommand':
        host.functionCommand(app, String(a), String(b), JSON.parse(String(c)) as unknown[]);
        return undefined;
      case 'setFunction':
        host.setFunction(app, String(a), JSON.parse(String(b)));
        return undefined;
      case 'location':
        return JSON.stringify(host.describeLocation());
      case 'setMode':
        host.setMode(app, String(a));
        return undefined;
      case 'sun':
        return JSON.stringify(host.sunTimes(JSON.parse(String(a)) as { sunriseOffset?: string; sunsetOffset?: string }));
      case 'subscribe':
        host.subscribe(app, String(a), String(b), String(c), String(d));
        return undefined;
      case 'subscribeCommand':
        host.subscribeCommand(app, String(a), String(b), String(c), String(d));
        return undefined;
      case 'unsubscribe':
        host.unsubscribe(app, String(a), String(b));
        return undefined;
      case 'runIn':
        host.runIn(app, Number(a), String(b), c === true, String(d ?? ''));
        return undefined;
      case 'runOnce':
        host.runOnce(app, typeof a === 'number' ? a : String(a), String(b), c === true, String(d ?? ''));
        return undefined;
      case 'schedule':
        host.schedule(app, typeof a === 'number' ? a : String(a), String(b), String(c ?? ''));
        return undefined;
      case 'runEvery':
        host.runEvery(app, Number(a), String(b), String(c ?? ''));
        return undefined;
      case 'unschedule':
        host.unschedule(app, a === '' ? undefined : String(a));
        return undefined;
      case 'canSchedule':
        return host.canSchedule(app);
      case 'notify':
        host.notify(app, b === 'number' ? Number(a) : String(a), String(c));
        return undefined;
      case 'mappings':
        host.mappings(app, JSON.parse(String(a)) as { route: string; handler: string }[]);
        return undefined;
      case 'endpointResponse':
        host.endpointResponse(app, Number(a), String(b));
        return undefined;
      case 'addChildDevice':
        return host.addChildDevice(app, String(a), JSON.parse(String(b)));
      case 'childDevices':
        return JSON.stringify(host.childDevices(app));
      case 'deleteChildDevice':
        host.deleteChildDevice(app, String(a));
        return undefined;
      case 'addChildApp':
        return JSON.stringify(host.addChildApp(app, String(a), String(b), JSON.parse(String(c)) as Record<string, unknown>));
      case 'childApps':
        return JSON.stringify(host.childApps(app));
      case 'deleteChildApp':
        host.deleteChildApp(app, String(a));
        return undefined;
      case 'parentApp':
        return JSON.stringify(host.parentApp(app));
      case 'invoke':
        return host.invoke(app, String(a), String(b), JSON.parse(String(c)) as unknown[]);
      case 'asyncDone':
        host.asyncDone(app, Number(a), b === 0 ? 0 : String(b));
        return undefined;
      default:
        throw new Error(`unknown runtime operation "${op}"`);
    }
  };
}
