/**
 * Types shared by the config checker, the instance-file reader and their callers. The devices
 * module is reached only through SelectorCatalogue so runtime/app does not depend on it.
 */
import type { Severity } from '../errors';
import type { DeviceSpec, FunctionInfo } from '../devices/types';
import type { JsonValue } from './app-json-types';

/** A path into the config object: input names, repeat indices, selector ids used as keys. */
export type ConfigPath = (string | number)[];

export interface ConfigProblem {
  path: ConfigPath;
  /**
   * `key` when the problem is the property name at `path` (an unknown input, a selector id
   * written as a key) rather than its value; instance-file positions use it.
   */
  at?: 'key';
  severity: Severity;
  /** Stable identifier, e.g. `config-type`, `config-unknown-id`. */
  code: string;
  message: string;
  fix: string;
  /** JSON text that fixes the problem when it replaces the key or value at `path` (an editor's quick fix). */
  replacement?: string;
}

export type CatalogueFunction = Pick<FunctionInfo, 'id' | 'deviceId' | 'type' | 'meta'>;
/** `capabilities`: what a device selector's `capability` filter key matches. */
export type CatalogueDevice = Pick<DeviceSpec, 'id' | 'type' | 'meta'> & { readonly capabilities?: readonly string[] };

/**
 * What the config checker needs to know about the simulated installation. Ids are compared by
 * value as written; the checker also tries the other form (12 ↔ "12") because JSON object keys
 * are always strings while plain ids are usually numbers.
 */
export interface SelectorCatalogue {
  functionById(id: string | number): CatalogueFunction | undefined;
  deviceById(id: string | number): CatalogueDevice | undefined;
  /** For did-you-mean on unknown ids. */
  functionIds(): Iterable<string | number>;
  deviceIds(): Iterable<string | number>;
  /** The devices module's filter semantics, so a selector's `filter` means the same everywhere. */
  matches(filter: Readonly<Record<string, JsonValue>>, subject: CatalogueFunction | CatalogueDevice): boolean;
  /** Known notification outputs; when absent, notification ids are checked for shape only. */
  notificationOutputIds?(): Iterable<string | number>;
}

/** How a selected function, device or notification output reaches the sandbox. */
export interface FunctionRef {
  $function: string | number;
  value?: JsonValue;
}
export interface DeviceRef {
  $device: string | number;
  value?: JsonValue;
}
export interface NotificationRef {
  $notification: string | number;
}

/**
 * The config as the sandbox receives it: plain JSON in which every selector value is tagged
 * (FunctionRef, DeviceRef, NotificationRef, or arrays of them) so the sandbox can hand the app
 * live objects instead of bare ids.
 */
export type SettingsDescriptor = { [input: string]: JsonValue };
