/**
 * What the Run App terminal completes from: the app's devices file read with the runtime's own
 * reader, each device's attributes, commands and enumerated values from the capability catalogue.
 * Node only (no vscode).
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { getCapability } from '../../runtime/devices/capabilities';
import { parseDevicesFile } from '../../runtime/devices/devices-file';

export interface CompletionDevice {
  id: string;
  attributes: Record<string, unknown>;
  commands: string[];
  values: Record<string, string[]>;
}

/** The devices of `file` (none when it is missing or has errors: the CLI reports those). */
export function completionDevices(file: string): CompletionDevice[] {
  if (!existsSync(file)) return [];
  let specs;
  try {
    specs = parseDevicesFile(readFileSync(file, 'utf8'), path.basename(file));
  } catch {
    return [];
  }
  return specs.map((d) => {
    const attributes: Record<string, unknown> = { ...(d.attributes ?? {}) };
    const commands = new Set<string>();
    const values: Record<string, string[]> = {};
    for (const id of d.capabilities) {
      const cap = getCapability(id);
      if (!cap) continue;
      for (const a of cap.attributes) {
        if (!(a.name in attributes)) attributes[a.name] = a.initial;
        if (a.values) values[a.name] = [...a.values];
      }
      for (const c of cap.commands) commands.add(c.name);
    }
    return { id: d.id, attributes, commands: [...commands], values };
  });
}
