/**
 * Every problem of a scenario file without running it: the file's own, the app's (folder, app.js
 * syntax) and each scenario's setup (unknown devices, configs that do not fit app.json). For the
 * editor's diagnostics (`files`: its open buffers over the disk) and `smartplug check`.
 */
import { hasErrors, type SourceProblem } from '../errors';
import { sortByPosition } from '../app/json-tree';
import { DISK_FILES, type FileSource } from '../app/load-app';
import { setupScenario } from './setup';
import { loadScenarioApp } from './sources';
import type { ScenarioFile } from './types';

export function diagnoseScenarioFile(parsed: ScenarioFile, files: FileSource = DISK_FILES): SourceProblem[] {
  const out: SourceProblem[] = [...parsed.problems];
  if (hasErrors(parsed.fileProblems)) return out;
  const { app, problems } = loadScenarioApp(parsed, files);
  out.push(...problems);
  if (!app || hasErrors(problems)) return out;
  const seen = new Set(out.map(key));
  for (const s of parsed.scenarios) {
    if (hasErrors(s.problems)) continue;
    const setup = setupScenario(parsed, s, app, files);
    // Scenarios sharing the file's devices and config would report the same problem each.
    for (const p of [...setup.problems, ...(s.expectInstallError ? [] : setup.installProblems)]) {
      if (!seen.has(key(p))) {
        seen.add(key(p));
        out.push(p);
      }
    }
  }
  return sortByPosition(out);
}

function key(p: SourceProblem): string {
  return `${p.file}:${p.line}:${p.column}:${p.code}:${p.message}`;
}
