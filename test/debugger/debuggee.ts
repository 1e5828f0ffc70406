/** The debug tests' app (test/fixtures/apps/debuggee) and the lines they stop at, by their @bp: marks. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

export const DEBUGGEE_DIR = path.resolve(__dirname, '..', 'fixtures', 'apps', 'debuggee');
export const DEBUGGEE_JS = path.join(DEBUGGEE_DIR, 'app.js');

const lines = readFileSync(DEBUGGEE_JS, 'utf8').split('\n');

/** The 1-based line marked `// @bp:NAME` in app.js. */
export function lineOf(name: string): number {
  const i = lines.findIndex((l) => l.includes(`// @bp:${name}`));
  if (i < 0) throw new Error(`no line marked @bp:${name} in ${DEBUGGEE_JS}`);
  return i + 1;
}
