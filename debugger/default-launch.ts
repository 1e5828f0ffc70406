/**
 * F5 with no launch.json: the launch configuration for the file in the editor. The app is the
 * nearest folder above it that holds app.json; a scenario file is debugged as its first scenario.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { SmartPlugLaunchArguments } from './launch-config';

export interface DefaultLaunch extends SmartPlugLaunchArguments {
  type: 'smartplug';
  request: 'launch';
  name: string;
}

/** The app folder holding `file` (the nearest with app.json), or undefined. */
export function appFolderOf(file: string): string | undefined {
  let dir = path.dirname(path.resolve(file));
  for (;;) {
    if (existsSync(path.join(dir, 'app.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

export function defaultLaunchFor(file: string): DefaultLaunch | undefined {
  const app = appFolderOf(file);
  if (!app) return undefined;
  const base = { type: 'smartplug', request: 'launch', app } as const;
  if (file.endsWith('.scenario.json')) return { ...base, name: `Debug ${path.basename(file)}`, scenario: path.resolve(file) };
  return { ...base, name: `Debug ${path.basename(app)}` };
}
