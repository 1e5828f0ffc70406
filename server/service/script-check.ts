import * as path from 'node:path';
import { parseTree } from 'jsonc-parser';
import type { SourceProblem } from '../../runtime/errors';
import { indexAppJson } from '../features/app-index';
import { scriptProblems } from '../features/script-diagnostics';

/**
 * app.js's problems: `settings.X` checked against the app.json beside it (its buffer when open).
 * Undefined when there is no app.json beside it: then it is not an app's script.
 */
export function checkScript(scriptPath: string, script: string, readFile: (path: string) => string | undefined): SourceProblem[] | undefined {
  const jsonText = readFile(path.join(path.dirname(scriptPath), 'app.json'));
  return jsonText === undefined ? undefined : scriptProblems(scriptPath, script, indexAppJson(parseTree(jsonText)));
}
