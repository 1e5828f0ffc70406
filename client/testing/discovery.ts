/**
 * What the Testing view shows: scenario files grouped by app (the folder holding app.json), each
 * file's scenarios with their names and lines, from the same parser the runner uses. Pure (no
 * vscode, no file system): the tree module feeds it file texts and the set of app folders.
 */
import * as path from 'node:path';
import { parseScenarioFile } from '../../runtime/scenario/parse-scenario';

export const SCENARIO_GLOB = '**/*.scenario.json';
export const SCENARIO_SUFFIX = '.scenario.json';

export interface ScenarioEntry {
  name: string;
  /** 1-based line of the scenario in its file. */
  line: number;
}

export interface FileProblem {
  message: string;
  /** 1-based; 0 when the problem concerns the whole file. */
  line: number;
  column: number;
}

export interface ScenarioFileEntry {
  file: string;
  /** The app folder the file names in `"app"`, resolved; undefined when it relies on the default. */
  declaredApp?: string;
  scenarios: ScenarioEntry[];
  /** Problems that stop the whole file (a syntax error): shown on the file, and why it has no scenarios. */
  problems: FileProblem[];
}

export function readScenarioFile(file: string, text: string): ScenarioFileEntry {
  const parsed = parseScenarioFile(text, file);
  const app = parsed.defaults.app;
  return {
    file,
    ...(app ? { declaredApp: path.resolve(path.dirname(file), app.path) } : {}),
    scenarios: parsed.scenarios.map((s) => ({ name: s.name, line: s.line })),
    problems: parsed.fileProblems
      .filter((p) => p.severity === 'error')
      .map((p) => ({ message: p.fix ? `${p.message}. Fix: ${p.fix}` : p.message, line: p.line, column: p.column })),
  };
}

/** A syntax error leaves no scenarios to show; the tree keeps the last ones it knew while the user types. */
export function hasSyntaxError(entry: ScenarioFileEntry): boolean {
  return entry.problems.length > 0 && entry.scenarios.length === 0;
}

/**
 * The app a scenario file tests: the folder it names in `"app"`, else — as the runner does — the
 * nearest folder from the file upwards that holds app.json.
 */
export function appFolderOf(entry: Pick<ScenarioFileEntry, 'file' | 'declaredApp'>, appFolders: ReadonlySet<string>): string | undefined {
  if (entry.declaredApp) return entry.declaredApp;
  let dir = path.dirname(entry.file);
  for (;;) {
    if (appFolders.has(dir)) return dir;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

export interface AppGroup {
  /** The app folder; undefined for scenario files with no app found (they still run, and say why they fail). */
  folder: string | undefined;
  files: ScenarioFileEntry[];
}

/** Groups files by app, apps and files sorted by path so the tree is stable. */
export function groupByApp(entries: Iterable<ScenarioFileEntry>, appFolders: ReadonlySet<string>): AppGroup[] {
  const groups = new Map<string | undefined, ScenarioFileEntry[]>();
  for (const e of entries) {
    const folder = appFolderOf(e, appFolders);
    const list = groups.get(folder) ?? [];
    list.push(e);
    groups.set(folder, list);
  }
  return [...groups.entries()]
    .map(([folder, files]) => ({ folder, files: files.sort((a, b) => a.file.localeCompare(b.file)) }))
    .sort((a, b) => (a.folder ?? '\uffff').localeCompare(b.folder ?? '\uffff'));
}

/**
 * Test item ids for a file's scenarios: the name, which survives edits that move lines; a name used
 * twice in a file gets its line as well (the runner identifies scenarios by file, name and line).
 */
export function scenarioIds(scenarios: readonly ScenarioEntry[]): string[] {
  const count = new Map<string, number>();
  for (const s of scenarios) count.set(s.name, (count.get(s.name) ?? 0) + 1);
  return scenarios.map((s) => (count.get(s.name)! > 1 ? `${s.name}@${s.line}` : s.name));
}

/**
 * The scenario a run reported (by name and line, as the CLI read the saved file) among those the
 * tree shows (maybe from an unsaved buffer, lines moved): the same name, the nearest line first.
 */
export function matchScenario<T extends ScenarioEntry>(shown: readonly T[], name: string, line: number): T | undefined {
  let best: T | undefined;
  for (const s of shown) {
    if (s.name !== name) continue;
    if (!best || Math.abs(s.line - line) < Math.abs(best.line - line)) best = s;
  }
  return best;
}
