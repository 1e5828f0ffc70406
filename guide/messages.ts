/**
 * Every message between the configuration guide's page (a webview) and the extension, declared
 * once: both sides import these types, and `isPageMessage` checks what the extension receives
 * (a webview's messages are input like any other). The extension holds the config object; the
 * page renders the model it is sent and answers with edits.
 */
import type { JsonValue } from '../runtime/app/app-json-types';
import type { ConfigPath } from '../runtime/app/config-types';
import type { GuideModel } from './view-model';

/** Extension → page. */
export type ExtensionMessage =
  /** The whole state: sent at start, after every edit, and whenever app.json, devices or outputs change. */
  | {
      type: 'state';
      appName: string;
      /** The instance's name (seed 003: chosen by the user). */
      instanceName: string;
      model: GuideModel;
      /** The instance object as it would be saved (seed 003: app_id, installation_id, version, config, name). */
      instance: InstanceObject;
      /** Where the devices offered come from. */
      devicesFrom: string;
      /** app.json cannot be read: the page says so and keeps the last model. */
      appJsonError?: string;
    }
  /** The result of a Save, Run, Debug or Install. */
  | { type: 'done'; action: PageAction; ok: boolean; message: string };

/** Page → extension. */
export type PageMessage =
  | { type: 'ready' }
  /** Sets one value of the config (undefined: removes it, so its default applies). */
  | { type: 'edit'; path: ConfigPath; value: JsonValue | undefined }
  | { type: 'addRow'; path: ConfigPath }
  | { type: 'removeRow'; path: ConfigPath; index: number }
  | { type: 'rename'; name: string }
  /** Seed 003's "add a new output" flow of a notification output selector. */
  | { type: 'addNotificationOutput'; path: ConfigPath }
  | { type: 'action'; action: PageAction };

export type PageAction = 'save' | 'saveAs' | 'run' | 'debug' | 'install';

export const PAGE_ACTIONS: readonly PageAction[] = ['save', 'saveAs', 'run', 'debug', 'install'];

export interface InstanceObject {
  app_id: number | string;
  installation_id: number | string;
  version: string;
  config: Record<string, JsonValue>;
  name: string;
}

/** Keys that would reach an object's prototype rather than name a config value. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const isPath = (p: unknown): p is ConfigPath =>
  Array.isArray(p) && p.length > 0 && p.length <= 16 && p.every((s) => (typeof s === 'string' && !FORBIDDEN_KEYS.has(s) && s.length <= 200) || (typeof s === 'number' && Number.isInteger(s) && s >= 0 && s < 10_000));

/** What the extension accepts from the page: anything else is dropped. */
export function isPageMessage(m: unknown): m is PageMessage {
  if (typeof m !== 'object' || m === null) return false;
  const r = m as Record<string, unknown>;
  switch (r.type) {
    case 'ready':
      return true;
    case 'edit':
      return isPath(r.path) && (r.value === undefined || isJson(r.value, 0));
    case 'addRow':
    case 'addNotificationOutput':
      return isPath(r.path);
    case 'removeRow':
      return isPath(r.path) && typeof r.index === 'number' && Number.isInteger(r.index) && r.index >= 0;
    case 'rename':
      return typeof r.name === 'string' && r.name.length <= 200;
    case 'action':
      return (PAGE_ACTIONS as readonly unknown[]).includes(r.action);
    default:
      return false;
  }
}

function isJson(v: unknown, depth: number): v is JsonValue {
  if (depth > 32) return false;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every((x) => isJson(x, depth + 1));
  if (typeof v === 'object') return Object.getPrototypeOf(v) === Object.prototype && Object.values(v as object).every((x) => isJson(x, depth + 1));
  return false;
}
