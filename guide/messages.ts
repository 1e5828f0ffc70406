/**
 * Every message between the configuration guide's page (a webview) and the extension, declared
 * once: both sides import these types, and `isPageMessage` checks what the extension receives
 * (a webview's messages are input like any other).
 *
 * The page holds the config as it is being filled in and builds its own view model with the
 * runtime's code (guide/guide-state.ts), so typing needs no round trip. The extension sends what
 * the page is built from (app.json, the devices, the notification outputs, an instance file's
 * values) and carries out what the page asks for (save, run, debug, install, a new output).
 */
import type { AppJson, JsonValue } from '../runtime/app/app-json-types';
import type { ConfigPath } from '../runtime/app/config-types';
import type { DeviceSpec } from '../runtime/devices/types';
import type { NotificationOutput } from './view-model';

/** A problem in app.json, where it is and how to fix it. */
export interface AppJsonProblem {
  file: string;
  line: number;
  column: number;
  message: string;
  fix?: string;
}

/** Extension → page. */
export type ExtensionMessage =
  /**
   * What the guide is built from: sent at start and whenever app.json, the devices or the outputs
   * change. `problem` is app.json's first error. Without `appJson` (the file is not JSON, or not an
   * object) the page keeps the last good guide and every value entered; with it (the file could
   * still be read) the page uses it and shows the problem too.
   */
  | {
      type: 'app';
      appName: string;
      appJson?: AppJson;
      problem?: AppJsonProblem;
      devices: DeviceSpec[];
      /** Where the devices offered come from, e.g. "devices.json". */
      devicesFrom: string;
      /** The editor can offer other devices (a Thing's): the page shows "Change…" beside devicesFrom. */
      devicesChoosable?: boolean;
      notificationOutputs: NotificationOutput[];
      /** The actions this editor can carry out (Install needs a platform connection). */
      actions: PageAction[];
    }
  /** Values to start from: an instance file read from disk (or a new instance's identity). */
  | { type: 'instance'; instance: InstanceObject; file: string }
  /** A notification output was added through seed 003's "add a new output" flow: select it at `path`. */
  | { type: 'outputAdded'; path: ConfigPath; output: NotificationOutput }
  /** The result of a Save, Run, Debug or Install. */
  | { type: 'done'; action: PageAction; ok: boolean; message: string };

/** Page → extension. */
export type PageMessage =
  | { type: 'ready' }
  /** Seed 003's "add a new output" flow of a notification output selector, named by the user. */
  | { type: 'addNotificationOutput'; path: ConfigPath; name: string }
  | { type: 'action'; action: PageAction; instance: InstanceObject }
  /** "Change…" beside where the devices come from: devices.json, or a Thing of the connected platform. */
  | { type: 'chooseDevices' };

export type PageAction = 'save' | 'saveAs' | 'run' | 'debug' | 'install';

export const PAGE_ACTIONS: readonly PageAction[] = ['save', 'saveAs', 'run', 'debug', 'install'];

/** Seed 003's instance object: what "configure a new instance" sends, and what instance.json holds. */
export interface InstanceObject {
  app_id: number;
  installation_id: number;
  version: string;
  config: Record<string, JsonValue>;
  name: string;
}

/** Keys that would reach an object's prototype rather than name a config value. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const isPath = (p: unknown): p is ConfigPath =>
  Array.isArray(p) && p.length > 0 && p.length <= 16 && p.every((s) => (typeof s === 'string' && !FORBIDDEN_KEYS.has(s) && s.length <= 200) || (typeof s === 'number' && Number.isInteger(s) && s >= 0 && s < 10_000));

const isName = (n: unknown): n is string => typeof n === 'string' && n.trim().length > 0 && n.length <= 200;

/** What the extension accepts from the page: anything else is dropped. */
export function isPageMessage(m: unknown): m is PageMessage {
  if (typeof m !== 'object' || m === null) return false;
  const r = m as Record<string, unknown>;
  switch (r.type) {
    case 'ready':
    case 'chooseDevices':
      return true;
    case 'addNotificationOutput':
      return isPath(r.path) && isName(r.name);
    case 'action':
      return (PAGE_ACTIONS as readonly unknown[]).includes(r.action) && isInstanceObject(r.instance);
    default:
      return false;
  }
}

export function isInstanceObject(v: unknown): v is InstanceObject {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return (
    Number.isInteger(r.app_id) &&
    Number.isInteger(r.installation_id) &&
    typeof r.version === 'string' &&
    r.version.length <= 100 &&
    typeof r.name === 'string' &&
    r.name.length <= 200 &&
    typeof r.config === 'object' &&
    r.config !== null &&
    !Array.isArray(r.config) &&
    isJson(r.config, 0)
  );
}

function isJson(v: unknown, depth: number): v is JsonValue {
  if (depth > 32) return false;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every((x) => isJson(x, depth + 1));
  if (typeof v === 'object') {
    if (Object.getPrototypeOf(v) !== Object.prototype) return false;
    return Object.entries(v as object).every(([k, x]) => !FORBIDDEN_KEYS.has(k) && isJson(x, depth + 1));
  }
  return false;
}
