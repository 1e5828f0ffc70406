/**
 * What the sandboxed `smartplug test` child may read: the `--allow-fs-read` folders, and the file it
 * is started from. Node 20's permission model compares path *strings* (a symlink's path and its
 * target's are different resources) and has two bugs this works around:
 * - with a folder and a path inside it both allowed, listing the folder is denied;
 * - with a folder and a sibling whose name starts with the folder's name both allowed (`/t/app` and
 *   `/t/apple`), listing the first is denied too.
 * So only folders are allowed (a file stands for its folder), each both as written and with its
 * symlinks resolved, none inside another, and no one a string prefix of another.
 */
import { realpathSync, statSync } from 'node:fs';
import * as path from 'node:path';

export interface SandboxReadInput {
  /** The package's own folder (the CLI, worker and engine bundles). */
  packageRoot: string;
  cwd: string;
  /** `--allow-read` as given. */
  allowRead: readonly string[];
  /** The files and folders given to `smartplug test`. */
  paths: readonly string[];
}

/** The folders to pass as `--allow-fs-read`, in a form Node 20 gets right. */
export function sandboxReadFolders(o: SandboxReadInput): string[] {
  const wanted: string[] = [o.packageRoot, o.cwd];
  for (const p of o.allowRead) wanted.push(folderOf(path.resolve(o.cwd, p)));
  for (const p of o.paths) {
    const dir = folderOf(path.resolve(o.cwd, p));
    wanted.push(dir);
    // A scenario usually sits in APP/tests/: its app is the folder above.
    if (path.basename(dir) === 'tests') wanted.push(path.dirname(dir));
  }
  const both = wanted.flatMap((p) => {
    const real = realPath(p);
    return real && real !== p ? [p, real] : [p];
  });
  return withoutPrefixClashes(outermostPaths(both));
}

/** A file stands for the folder holding it; a path that does not exist yet is taken as written. */
function folderOf(p: string): string {
  try {
    return statSync(p).isDirectory() ? p : path.dirname(p);
  } catch {
    return p.endsWith('.json') ? path.dirname(p) : p;
  }
}

function realPath(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

function within(inner: string, outer: string): boolean {
  return inner === outer || inner.startsWith(outer.endsWith(path.sep) ? outer : outer + path.sep);
}

/** The paths none of the others contains (allowing a folder allows everything in it). */
export function outermostPaths(paths: readonly string[]): string[] {
  const unique = [...new Set(paths)];
  return unique.filter((p) => !unique.some((q) => q !== p && within(p, q)));
}

/**
 * Replaces a folder whose path is a string prefix of another allowed path (`/t/app`, `/t/apple`)
 * by its parent, which holds both, until no such pair is left.
 */
export function withoutPrefixClashes(folders: readonly string[]): string[] {
  let current = outermostPaths(folders);
  for (;;) {
    const clash = current.find((a) => current.some((b) => b !== a && b.startsWith(a) && !within(b, a)));
    if (clash === undefined) return current;
    current = outermostPaths(current.map((p) => (p === clash ? path.dirname(p) : p)));
  }
}
