import type { SourceProblem } from '../../runtime/errors';
import { lineColumnAt } from '../../runtime/errors';
import { suggest } from '../../runtime/suggest';
import type { AppJsonIndex } from './app-index';
import { settingsReferences } from './script-settings';

/** app.js reading `settings.X` where X is no input of its app.json: a warning, with did-you-mean. */
export function scriptProblems(file: string, script: string, index: AppJsonIndex): SourceProblem[] {
  const names = [...index.inputs.keys()];
  const problems: SourceProblem[] = [];
  for (const r of settingsReferences(script)) {
    if (index.inputs.has(r.name)) continue;
    const s = suggest(r.name, names);
    problems.push({
      file,
      ...lineColumnAt(script, r.offset),
      offset: r.offset,
      length: r.length,
      severity: 'warning',
      code: 'settings-unknown-input',
      message: `${r.object}.${r.name}: "${r.name}" is no input of app.json, so it is always undefined${s ? `; did you mean "${s}"?` : ''}`,
      fix: s ? `rename it to ${s}` : `add an input "${r.name}" to app.json, or read one of: ${names.join(', ') || '(app.json has no inputs)'}`,
      ...(s ? { replacement: s } : {}),
    });
  }
  return problems;
}
