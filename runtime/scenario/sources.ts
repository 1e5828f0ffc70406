/**
 * The files a scenario file points at: the app folder, devices and configs, written inline or as
 * paths relative to the scenario file. Inline values are checked by the same checkers as their
 * files (devices.json, instance.json) on a copy of the scenario text with everything else blanked
 * out, so every problem keeps its exact line and column in the scenario file.
 */
import { readdirSync } from 'fs';
import { dirname, join, resolve } from 'path';
import { APP_JSON, DISK_FILES, loadAppFolder, type AppPackage, type FileSource } from '../app/load-app';
import { configFix, configProblemPosition, parseInstanceFile } from '../app/instance-file';
import { checkConfig } from '../app/check-config';
import { parseJsonDocument, problemAt } from '../app/json-tree';
import type { SelectorCatalogue } from '../app/config-types';
import { checkDevicesFile } from '../devices/devices-file';
import type { DeviceSpec } from '../devices/types';
import { type Fix, SourceError, type SourceProblem } from '../errors';
import { parseScript } from '../sandbox/script-ast';
import type { ExtraAppRef, Pos, ScenarioFile, SourceRef } from './types';

/**
 * A problem at a position the scenario model kept (line and column only: an editor widens it to the
 * JSON value that starts there). A literal fix's replacement is the JSON text for that value.
 */
export function problemAtPos(file: string, pos: Pos, code: string, message: string, fix?: Fix, severity: SourceProblem['severity'] = 'error'): SourceProblem {
  const problem: SourceProblem = { file, line: pos.line, column: pos.column, severity, code, message };
  if (typeof fix === 'string') problem.fix = fix;
  else if (fix) {
    problem.fix = fix.text;
    problem.replacement = fix.replacement;
  }
  return problem;
}

/** The text with everything outside [offset, offset + length) blanked, line breaks kept. */
export function maskOutside(text: string, offset: number, length: number): string {
  const blank = (s: string) => s.replace(/[^\r\n]/g, ' ');
  return blank(text.slice(0, offset)) + text.slice(offset, offset + length) + blank(text.slice(offset + length));
}

export function scenarioDir(parsed: ScenarioFile): string {
  return dirname(resolve(parsed.file));
}

/** The app a scenario file tests: its "app", else the nearest folder upwards that holds app.json. */
export function loadScenarioApp(parsed: ScenarioFile, files: FileSource = DISK_FILES): { app?: AppPackage; problems: SourceProblem[] } {
  const base = scenarioDir(parsed);
  let dir: string | undefined;
  const appRef = parsed.defaults.app;
  if (appRef) dir = resolve(base, appRef.path);
  else {
    for (let d = base; ; d = dirname(d)) {
      if (files.exists(join(d, APP_JSON))) {
        dir = d;
        break;
      }
      if (dirname(d) === d) break;
    }
  }
  if (!dir) {
    return { problems: [{ file: parsed.file, line: 0, column: 0, severity: 'error', code: 'scenario-app-missing', message: `no ${APP_JSON} in ${base} or any folder above it, so there is no app to test`, fix: 'add "app": "<path of the app folder>" at the top of the scenario file' }] };
  }
  return loadAppDir(parsed, dir, appRef, files);
}

const otherApps = new WeakMap<ScenarioFile, Map<string, { app?: AppPackage; problems: SourceProblem[] }>>();

/** One of the other apps a scenario installs (`"apps"`), loaded once per file. */
export function loadOtherApp(parsed: ScenarioFile, ref: ExtraAppRef, files: FileSource = DISK_FILES): { app?: AppPackage; problems: SourceProblem[] } {
  const dir = resolve(scenarioDir(parsed), ref.path);
  let cache = otherApps.get(parsed);
  if (!cache) otherApps.set(parsed, (cache = new Map()));
  const key = `${dir}\0${ref.pathAt.line}:${ref.pathAt.column}`;
  let loaded = cache.get(key);
  if (!loaded) cache.set(key, (loaded = loadAppDir(parsed, dir, ref.pathAt, files)));
  return loaded;
}

/** An app folder: app.json and app.js loaded, app.js parsed; a missing or unreadable folder is placed at `at` ("app"). */
function loadAppDir(parsed: ScenarioFile, dir: string, at: Pos | undefined, files: FileSource): { app?: AppPackage; problems: SourceProblem[] } {
  const denied = accessDenied(dir);
  if (denied) {
    const pos = at ?? { line: 0, column: 0 };
    return { problems: [{ file: parsed.file, line: pos.line, column: pos.column, severity: 'error', code: 'scenario-read-denied', message: `the app folder ${dir} is outside what this test run may read (scenarios run under Node's permission model)`, fix: `run smartplug test with --allow-read ${dir}` }] };
  }
  let app: AppPackage;
  try {
    app = loadAppFolder(dir, files);
  } catch (e) {
    if (!(e instanceof SourceError)) throw e;
    // A missing folder is the scenario file's mistake: point at its "app".
    const problems = e.problems.map((p) => (p.code === 'app-folder-missing' && at ? { ...p, file: parsed.file, line: at.line, column: at.column, message: `the app folder ${dir} does not exist` } : p));
    return { problems };
  }
  try {
    parseScript(app.script, app.scriptFile);
  } catch (e) {
    if (!(e instanceof SourceError)) throw e;
    return { app, problems: e.problems };
  }
  return { app, problems: [] };
}

/** True when Node's permission model forbids reading the folder (smartplug test runs under it). */
function accessDenied(dir: string): boolean {
  try {
    readdirSync(dir);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ERR_ACCESS_DENIED';
  }
}

function readRefFile(parsed: ScenarioFile, ref: SourceRef & { kind: 'file' }, what: string, files: FileSource): { path: string; text?: string; problem?: SourceProblem } {
  const path = resolve(scenarioDir(parsed), ref.path);
  try {
    return { path, text: files.readText(path).replace(/^\uFEFF/, '') };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ERR_ACCESS_DENIED') {
      return { path, problem: problemAtPos(parsed.file, ref, 'scenario-read-denied', `the ${what} file ${path} is outside what this test run may read (scenarios run under Node's permission model)`, `run smartplug test with --allow-read ${dirname(path)}`) };
    }
    const why = err.code === 'ENOENT' ? 'does not exist' : `cannot be read: ${err.message}`;
    return { path, problem: problemAtPos(parsed.file, ref, `scenario-${what}-file`, `the ${what} file ${path} ${why}`, `correct the path; it is relative to ${scenarioDir(parsed)}`) };
  }
}

export function loadDevices(parsed: ScenarioFile, ref: SourceRef | undefined, files: FileSource = DISK_FILES): { devices: DeviceSpec[]; problems: SourceProblem[] } {
  if (!ref) return { devices: [], problems: [] };
  if (ref.kind === 'inline') return checkDevicesFile(maskOutside(parsed.text, ref.offset, ref.length), parsed.file);
  const read = readRefFile(parsed, ref, 'devices', files);
  if (read.text === undefined) return { devices: [], problems: [read.problem!] };
  return checkDevicesFile(read.text, read.path);
}

export interface LoadedConfig {
  /** As written (no defaults applied); undefined when it cannot be read at all. */
  config?: Record<string, unknown>;
  /** The instance's name, from an API-body instance file. */
  name?: string;
  problems: SourceProblem[];
}

/** A config from inline JSON, an instance file, or none (`{}`: only defaults), checked against app.json. */
export function loadConfig(parsed: ScenarioFile, ref: SourceRef | undefined, app: AppPackage, catalogue: SelectorCatalogue, missingAt: Pos, files: FileSource = DISK_FILES): LoadedConfig {
  if (!ref) {
    const problems = checkConfig(app.appJson, {}, catalogue).map((p) =>
      problemAtPos(parsed.file, missingAt, p.code, `${p.message} (the scenario gives no "config")`, p.fix, p.severity));
    return { config: {}, problems };
  }
  let text: string;
  let file: string;
  if (ref.kind === 'inline') {
    text = maskOutside(parsed.text, ref.offset, ref.length);
    file = parsed.file;
  } else {
    const read = readRefFile(parsed, ref, 'config', files);
    if (read.text === undefined) return { problems: [read.problem!] };
    text = read.text;
    file = read.path;
  }
  const inst = parseInstanceFile(text, file, app.appJson, catalogue);
  return { ...(inst.config ? { config: inst.config } : {}), ...(inst.name !== undefined ? { name: inst.name } : {}), problems: inst.problems };
}

/**
 * An inline `update`: its keys replace the current config's (null clears one, so its default
 * applies). The merged config is checked; a problem is placed on the update's own value when it
 * concerns a key the update sets, else on the update as a whole.
 */
export function mergeUpdate(parsed: ScenarioFile, ref: SourceRef & { kind: 'inline' }, current: Record<string, unknown>, app: AppPackage, catalogue: SelectorCatalogue): LoadedConfig {
  const doc = parseJsonDocument(maskOutside(parsed.text, ref.offset, ref.length), parsed.file, { allowComments: true });
  const update = ref.value as Record<string, unknown>;
  const merged: Record<string, unknown> = { ...current };
  for (const [k, v] of Object.entries(update)) {
    if (v === null) delete merged[k];
    else merged[k] = v;
  }
  const problems = checkConfig(app.appJson, merged, catalogue).map((p) => {
    const own = p.path.length > 0 && typeof p.path[0] === 'string' && p.path[0] in update && doc.root;
    return own ? problemAt(doc, configProblemPosition(doc.root!, p.path, p.at), p.severity, p.code, p.message, configFix(p)) : problemAtPos(parsed.file, ref, p.code, p.message, p.fix, p.severity);
  });
  return { config: merged, problems };
}

/** Config problems are what an install (or update) would refuse; others are mistakes in the files. */
export function isConfigProblem(p: SourceProblem): boolean {
  return p.code.startsWith('config-');
}
