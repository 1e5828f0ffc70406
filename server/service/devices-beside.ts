import * as path from 'node:path';
import { parseTree } from 'jsonc-parser';
import { objectEntries } from '../../runtime/app/json-tree';

/** What the devices.json beside an app.json says that its selector filters can match. */
export interface KnownDevices {
  /** Device types (`type` of a device), in file order. */
  readonly types: string[];
  /** Meta keys of the devices, in file order. */
  readonly metaKeys: string[];
}

/** Reads a file the way the caller sees it (the language server: an open editor's buffer first); undefined when there is none. */
export type ReadFile = (path: string) => string | undefined;

/**
 * The device types and meta keys of devices.json beside app.json, read leniently (a broken file
 * still yields what can be read). Undefined when there is no such file, so a caller can tell "no
 * devices" from "devices with no meta".
 */
export function devicesBeside(appPath: string, readFile: ReadFile): KnownDevices | undefined {
  const text = devicesTextBeside(appPath, readFile);
  if (text === undefined) return undefined;
  const types: string[] = [];
  const metaKeys: string[] = [];
  const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  const list = root?.type === 'array' ? root : objectEntries(root).get('devices');
  for (const device of list?.type === 'array' ? (list.children ?? []) : []) {
    const props = objectEntries(device);
    const type = props.get('type');
    if (type?.type === 'string' && type.value !== '' && !types.includes(type.value as string)) types.push(type.value as string);
    for (const key of objectEntries(props.get('meta')).keys()) if (!metaKeys.includes(key)) metaKeys.push(key);
  }
  return { types, metaKeys };
}

/** The text of the devices.json beside an app.json, as the caller sees it; undefined when there is none. */
export function devicesTextBeside(appPath: string, readFile: ReadFile): string | undefined {
  // A document with no file (an untitled buffer) is named by its URI: it has nothing beside it. A
  // relative path (`smartplug validate app.json`) is the working directory's.
  if (!path.isAbsolute(appPath) && /^[a-z][\w+.-]*:/i.test(appPath)) return undefined;
  return readFile(path.join(path.dirname(path.resolve(appPath)), 'devices.json'));
}

