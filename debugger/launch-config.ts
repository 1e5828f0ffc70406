/**
 * The `smartplug` debug type's launch configuration, declared once: the adapter reads it, the
 * extension's configuration provider fills it in (client/), and package.json's schema describes it.
 * Resolving it reads the app folder, its devices and its instance config, with the same readers as
 * `smartplug run`, and reports problems by file and place.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseInstanceFile } from '../runtime/app/instance-file';
import { loadAppFolder, type AppPackage } from '../runtime/app/load-app';
import { parseDevicesFile } from '../runtime/devices/devices-file';
import { DeviceRegistry } from '../runtime/devices/registry';
import type { DeviceSpec } from '../runtime/devices/types';
import { catalogueOf } from '../runtime/app/instance-config';
import { formatProblem, hasErrors, SourceError, type SourceProblem } from '../runtime/errors';

export interface SmartPlugLaunchArguments {
  /** The app's folder (holding app.json and app.js). */
  app: string;
  /** An instance file (default: the app's instance.json, when there is one), or the config object itself. */
  instance?: string | Record<string, unknown>;
  /** A devices file (default: the app's devices.json, when there is one). */
  devices?: string;
  /** `virtual` (default): time moves only when told to, so a session can be replayed (step back). */
  clock?: 'virtual' | 'real';
  /** The virtual clock's start, an ISO time (default: now). */
  start?: string;
  /** Stop at the first line of app.js. */
  stopOnEntry?: boolean;
  /** A scenario file to run under the debugger, instead of waiting for simulator input. */
  scenario?: string;
  /** The one scenario of that file to run (default: the first). */
  scenarioName?: string;
  /** The CPU limit of one execution in ms (default: the runtime's 2,000). */
  cpuLimitMs?: number;
  /** Set by the client for Run Without Debugging. */
  noDebug?: boolean;
}

/** The properties a launch configuration may have (package.json's schema lists exactly these; a test checks). */
export const LAUNCH_PROPERTIES = ['app', 'instance', 'devices', 'clock', 'start', 'stopOnEntry', 'scenario', 'scenarioName', 'cpuLimitMs'] as const satisfies readonly Exclude<keyof SmartPlugLaunchArguments, 'noDebug'>[];

export interface ResolvedLaunch {
  pkg: AppPackage;
  devices: DeviceSpec[];
  config: Record<string, unknown>;
  /** The instance's name, when the instance file gives one. */
  label?: string;
  clock: 'virtual' | 'real';
  /** Epoch ms. */
  start?: number;
  stopOnEntry: boolean;
  cpuLimitMs?: number;
  scenario?: { file: string; name?: string };
  noDebug: boolean;
  /** Problems that do not stop the launch (warnings), as text. */
  warnings: string[];
}

/** A launch that cannot start: every message names the file, the place and the fix. */
export class LaunchError extends Error {}

export function resolveLaunch(args: SmartPlugLaunchArguments, cwd = process.cwd()): ResolvedLaunch {
  if (typeof args.app !== 'string' || !args.app) throw new LaunchError('launch: "app" is missing: set it to the app\'s folder (the one holding app.json), e.g. "${workspaceFolder}"');
  const appDir = path.resolve(cwd, args.app);
  const warnings: string[] = [];
  const fail = (problems: readonly SourceProblem[]): never => {
    throw new LaunchError(problems.filter((p) => p.severity === 'error').map(formatProblem).join('\n'));
  };
  const read = <T>(what: () => T): T => {
    try {
      return what();
    } catch (e) {
      if (e instanceof SourceError) return fail(e.problems);
      throw e;
    }
  };
  if (!existsSync(path.join(appDir, 'app.json'))) throw new LaunchError(`launch: "app": ${appDir} holds no app.json; set "app" to the folder of the app to debug`);
  const pkg = read(() => loadAppFolder(appDir));
  warnings.push(...pkg.warnings.map(formatProblem));

  const devicesFile = args.devices !== undefined ? path.resolve(cwd, args.devices) : defaultFile(appDir, 'devices.json');
  const devices = devicesFile ? read(() => parseDevicesFile(readText(devicesFile, 'devices'), devicesFile)) : [];
  const registry = new DeviceRegistry();
  for (const d of devices) registry.add(d);

  let config: Record<string, unknown> = {};
  let label: string | undefined;
  const instance = args.instance ?? defaultFile(appDir, 'instance.json');
  if (typeof instance === 'string') {
    const file = path.resolve(cwd, instance);
    const parsed = parseInstanceFile(readText(file, 'instance'), file, pkg.appJson, catalogueOf(registry));
    if (hasErrors(parsed.problems) || !parsed.config) fail(parsed.problems);
    warnings.push(...parsed.problems.map(formatProblem));
    config = parsed.config!;
    label = parsed.name;
  } else if (instance && typeof instance === 'object') {
    // Inline: a whole instance object ({ config, name, … }) or the config object alone.
    const inline = instance as { config?: unknown; name?: unknown };
    const whole = inline.config !== null && typeof inline.config === 'object' && !Array.isArray(inline.config);
    const text = JSON.stringify(whole ? instance : { config: instance });
    const parsed = parseInstanceFile(text, 'launch.json "instance"', pkg.appJson, catalogueOf(registry));
    if (hasErrors(parsed.problems) || !parsed.config) fail(parsed.problems);
    config = parsed.config!;
    label = parsed.name;
  }

  let start: number | undefined;
  if (args.start !== undefined) {
    start = Date.parse(args.start);
    if (Number.isNaN(start)) throw new LaunchError(`launch: "start": "${args.start}" is not a date; use an ISO time like 2024-06-21T18:00:00Z`);
  }
  const clock = args.clock ?? 'virtual';
  // Fixed now, so that a replayed session (step back) starts at the same instant.
  if (start === undefined && clock === 'virtual') start = Date.now();
  if (clock !== 'virtual' && clock !== 'real') throw new LaunchError(`launch: "clock": "${String(clock)}" is not a clock; use "virtual" or "real"`);
  if (args.cpuLimitMs !== undefined && !(Number.isFinite(args.cpuLimitMs) && args.cpuLimitMs > 0)) throw new LaunchError(`launch: "cpuLimitMs": ${String(args.cpuLimitMs)} is not a positive number of milliseconds`);
  let scenario: ResolvedLaunch['scenario'];
  if (args.scenario !== undefined) {
    const file = path.resolve(cwd, args.scenario);
    if (!existsSync(file)) throw new LaunchError(`launch: "scenario": ${file} does not exist; set it to a .scenario.json file of the app`);
    scenario = { file, ...(args.scenarioName !== undefined ? { name: args.scenarioName } : {}) };
  }
  return { pkg, devices, config, label, clock, start, stopOnEntry: args.stopOnEntry === true, cpuLimitMs: args.cpuLimitMs, scenario, noDebug: args.noDebug === true, warnings };
}

function defaultFile(dir: string, name: string): string | undefined {
  const file = path.join(dir, name);
  return existsSync(file) ? file : undefined;
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new LaunchError(`launch: "${what}": cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); check the path`);
  }
}
