/**
 * Where the host keeps the engine thread's code cache (see worker/code-cache.ts): beside the bundle,
 * named for this Node (V8 rejects another's anyway), and only while newer than the bundle. A
 * worker is given it to read, or, when there is none, asked to make one, which the host writes.
 * Making one runs a sample app in a thread of the warden's (worker/warm-code-cache.ts), so one
 * worker of this process at a time is asked; the others start without a cache meanwhile.
 */
import { renameSync, statSync, writeFileSync } from 'node:fs';

export interface CodeCachePlan {
  file: string;
  /** The worker's argument: read this cache, or make one; none while another worker makes it. */
  arg?: string;
  /** Whether this worker was asked to make it (only then is its code-cache message written). */
  asked: boolean;
}

/** The cache files a worker of this process is making now. */
const making = new Set<string>();

export function codeCachePlan(threadPath: string): CodeCachePlan {
  const file = `${threadPath}.${process.version}.v8cache`;
  let fresh = false;
  try {
    fresh = statSync(file).mtimeMs >= statSync(threadPath).mtimeMs;
  } catch {
    /* none yet */
  }
  if (fresh) return { file, arg: `--code-cache=${file}`, asked: false };
  if (making.has(file)) return { file, asked: false };
  making.add(file);
  return { file, arg: '--make-code-cache', asked: true };
}

/** The worker asked to make it ended (with its cache or without): the next may be asked. */
export function codeCacheDone(plan: CodeCachePlan): void {
  if (plan.asked) making.delete(plan.file);
}

/** Writes a cache the worker made (whole or not at all); a folder the host may not write keeps none. */
export function saveCodeCache(plan: CodeCachePlan, base64: string, pid: number): void {
  const tmp = `${plan.file}.${pid}.tmp`;
  try {
    writeFileSync(tmp, Buffer.from(base64, 'base64'));
    renameSync(tmp, plan.file);
  } catch {
    /* read-only install: every thread compiles its bundle, as before */
  } finally {
    codeCacheDone(plan);
  }
}
