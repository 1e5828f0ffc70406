import * as path from 'node:path';
import type { SourceProblem } from '../../runtime/errors';
import { appIndexOf } from '../features/app-index';
import { scriptProblems } from '../features/script-diagnostics';
import { appJsonParse } from './parsed-document';

/**
 * app.js's problems: `settings.X` checked against the app.json beside it (its buffer when open).
 * Undefined when there is no app.json beside it: then it is not an app's script.
 */
export function checkScript(scriptPath: string, script: string, readFile: (path: string) => string | undefined): SourceProblem[] | undefined {
  const jsonPath = path.join(path.dirname(scriptPath), 'app.json');
  const jsonText = readFile(jsonPath);
  return jsonText === undefined ? undefined : scriptProblems(scriptPath, script, appIndexOf(appJsonParse(jsonPath, jsonText)));
}
