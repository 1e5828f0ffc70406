/** Deploying an app folder: check it with the runtime's own reader, then zip it deterministically. */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAppFolder, type AppPackage } from '../../runtime/app/load-app';
import { lineColumnAt, SourceError, type SourceProblem } from '../../runtime/errors';
import { parseScript } from '../../runtime/sandbox/script-ast';
import { APP_JSON, APP_SCRIPT, MANIFEST, README, SCRIPT_FILES } from './bundle-files';
import type { AppBundle } from './types';
import { zipFiles } from './write-zip';

/**
 * Makes the bundle of the app in `appDir`: app.json, app.js, and manifest.json and README.md when
 * present (bundle-files.ts says why nothing else). Throws the runtime's SourceError, naming file,
 * line and fix, for an app the runtime would refuse, and for one whose app.js does not parse or
 * whose app.json lacks the `name` or `version` the store files it under.
 */
export async function makeBundle(appDir: string): Promise<AppBundle> {
  const pkg = loadAppFolder(appDir);
  requireIdentity(pkg);
  parseScript(pkg.script, pkg.scriptFile); // throws SourceError at the syntax error
  const files = new Map<string, Buffer>([
    // The texts the reader checked (an editor's byte order mark removed), not a second read.
    [APP_JSON, Buffer.from(pkg.appJsonText, 'utf8')],
    [APP_SCRIPT, Buffer.from(pkg.script, 'utf8')],
  ]);
  if (pkg.manifestFile) files.set(MANIFEST, readFileSync(pkg.manifestFile));
  const readme = join(pkg.dir, README);
  if (existsSync(readme)) files.set(README, readFileSync(readme));
  const bytes = await zipFiles(files);
  return {
    bytes,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    // requireIdentity made both present
    name: pkg.appJson.name as string,
    version: pkg.appJson.version as string,
    scriptNames: [...SCRIPT_FILES],
    files: [...files.keys()].sort(),
  };
}

/**
 * The runtime falls back to the folder's name and 0.0.0; a deployed app may not: the store files
 * versions under the name and orders them by the version, and a Thing reads both from the bundle.
 */
function requireIdentity(pkg: AppPackage): void {
  const problems: SourceProblem[] = [];
  const { line, column } = lineColumnAt(pkg.appJsonText, Math.max(0, pkg.appJsonText.indexOf('{')));
  const missing = (key: string, example: string): SourceProblem => ({
    file: pkg.appJsonFile,
    line,
    column,
    severity: 'error',
    code: 'app-json-deploy-identity',
    message: `app.json has no "${key}"; a deployed app needs one`,
    fix: `add "${key}": ${example} to app.json`,
  });
  if (pkg.appJson.name === undefined) problems.push(missing('name', JSON.stringify(pkg.name)));
  if (pkg.appJson.version === undefined) problems.push(missing('version', '"1.0.0"'));
  if (problems.length > 0) throw new SourceError(problems);
}
