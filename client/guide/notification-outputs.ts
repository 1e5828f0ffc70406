/**
 * The notification outputs of the app's local installation (seed 003's notification output
 * selectors choose among them): notification-outputs.json beside app.json, an array of
 * `{ "id": 456, "name": "Phone" }`. The configuration guide's "add a new output" flow appends to
 * it. Ids an instance file uses that the file does not list are offered too, so an instance made
 * elsewhere opens with its outputs selected.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { NotificationOutput } from '../../guide/view-model';

export const NOTIFICATION_OUTPUTS_FILE = 'notification-outputs.json';

/** The outputs listed, in file order; an unreadable file lists none (the guide says where they come from). */
export function readNotificationOutputs(appDir: string): NotificationOutput[] {
  const file = path.join(appDir, NOTIFICATION_OUTPUTS_FILE);
  if (!existsSync(file)) return [];
  try {
    const list = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (!Array.isArray(list)) return [];
    return list.filter((o): o is NotificationOutput => o !== null && typeof o === 'object' && (typeof o.id === 'number' || typeof o.id === 'string') && typeof o.name === 'string');
  } catch {
    return [];
  }
}

/**
 * Adds an output named `name` with the next free numeric id and returns it. Refuses (throws, with
 * the fix) a file that is not a list, so nothing the user wrote is overwritten.
 */
export function addNotificationOutput(appDir: string, name: string): NotificationOutput {
  const file = path.join(appDir, NOTIFICATION_OUTPUTS_FILE);
  let list: unknown[] = [];
  if (existsSync(file)) {
    try {
      list = JSON.parse(readFileSync(file, 'utf8')) as unknown[];
    } catch (e) {
      throw new Error(`${NOTIFICATION_OUTPUTS_FILE} is not valid JSON (${e instanceof Error ? e.message : String(e)}): fix it, then add the output again`);
    }
    if (!Array.isArray(list)) throw new Error(`${NOTIFICATION_OUTPUTS_FILE} must be a JSON array of { "id", "name" }: fix it, then add the output again`);
  }
  const ids = list.map((o) => Number((o as { id?: unknown })?.id)).filter(Number.isInteger);
  const output = { id: Math.max(0, ...ids) + 1, name: name.trim() };
  writeFileSync(file, JSON.stringify([...list, output], null, 2) + '\n');
  return output;
}

/** The listed outputs plus, named by their id, those `ids` uses that the list lacks. */
export function withReferencedOutputs(outputs: NotificationOutput[], ids: readonly (string | number)[]): NotificationOutput[] {
  const known = new Set(outputs.map((o) => String(o.id)));
  const extra = ids.filter((id) => !known.has(String(id)) && (known.add(String(id)), true)).map((id) => ({ id, name: `Output ${id} (not in ${NOTIFICATION_OUTPUTS_FILE})` }));
  return [...outputs, ...extra];
}
