/**
 * Where the host keeps the engine thread's code cache (see worker/code-cache.ts): beside the bundle,
 * named for this Node (V8 rejects another's anyway), and only while newer than the bundle. A
 * worker is given it to read, or, when there is none, asked to make one, which the host writes.
 */
import { renameSync, statSync, writeFileSync } from 'node:fs';

export interface CodeCachePlan {
  file: string;
  /** The worker's argument: read this cache, or make one. */
  arg: string;
  /** Whether this worker was asked to make it (only then is its code-cache message written). */
  asked: boolean;
}

export function codeCachePlan(threadPath: string): CodeCachePlan {
  const file = `${threadPath}.${process.version}.v8cache`;
  let fresh = false;
  try {
    fresh = statSync(file).mtimeMs >= statSync(threadPath).mtimeMs;
  } catch {
    /* none yet */
  }
  return { file, arg: fresh ? `--code-cache=${file}` : '--make-code-cache', asked: !fresh };
}

/** Writes a cache the worker made (whole or not at all); a folder the host may not write keeps none. */
export function saveCodeCache(plan: CodeCachePlan, base64: string, pid: number): void {
  const tmp = `${plan.file}.${pid}.tmp`;
  try {
    writeFileSync(tmp, Buffer.from(base64, 'base64'));
    renameSync(tmp, plan.file);
  } catch {
    /* read-only install: every thread compiles its bundle, as before */
  }
}
