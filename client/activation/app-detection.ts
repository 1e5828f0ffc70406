/**
 * Is there a SmartPlug app here? The answer decides whether the language server starts: a workspace
 * whose app.json files belong to another tool (Expo, Heroku) must not start it. Pure (no vscode):
 * the callers read at most the first HEAD_BYTES of a file, which is where the tell-tale keys are.
 */
import { documentKind } from '../../server/service/document-kind';

/** How much of a file is read to decide: a `$schema` sits near the top, and so do top-level keys in practice. */
export const HEAD_BYTES = 64 * 1024;

/** The files that name an app, a manifest or a load action (the activation events use the same names). */
export const OWN_FILES_GLOB = '**/{app.json,manifest.json,*.load.json}';
export const EXCLUDE_GLOB = '**/node_modules/**';

export interface Candidate {
  path: string;
  /** The start of the file's text (up to HEAD_BYTES). */
  head: string;
}

/** app.json, manifest.json or *.load.json of ours, or any JSON naming one of our schemas. */
export function isOwnFile(candidate: Candidate): boolean {
  return documentKind(candidate.path, candidate.head) !== undefined;
}

export function isScriptPath(path: string): boolean {
  return baseName(path) === 'app.js';
}

/** The app.json an app.js belongs to (an app.js is ours exactly when that app.json is). */
export function appJsonBeside(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return `${path.slice(0, cut + 1)}app.json`;
}

/** The activation decision: the first candidate that is ours, if any. */
export function findOwnFile(candidates: Iterable<Candidate>): Candidate | undefined {
  for (const c of candidates) if (isOwnFile(c)) return c;
  return undefined;
}

export function isInNodeModules(path: string): boolean {
  return /[\\/]node_modules[\\/]/.test(path);
}

function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

/**
 * What to show beside an app folder's name: the folder it sits in, relative to the workspace, or
 * nothing when it sits at the top (showing "door-light door-light" told the user nothing).
 */
export function appFolderDescription(relativePath: string, name: string): string | undefined {
  const rel = relativePath.split('\\').join('/');
  if (rel === name || rel.startsWith('/') || /^[A-Za-z]:/.test(rel)) return undefined;
  const parent = rel.endsWith(`/${name}`) ? rel.slice(0, -name.length - 1) : rel;
  return parent && parent !== '.' ? parent : undefined;
}
