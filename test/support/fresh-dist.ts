/**
 * Tests that run dist/ (the CLI, the worker, the language server) fail when dist/ is older than its
 * sources, saying so, instead of testing yesterday's build. Each bundle's sources are the ones
 * esbuild.mjs lists in dist/OUT.inputs.json when it builds it.
 */
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/** The bundles the runtime's process tests and the CLI tests run. */
export const RUNTIME_BUNDLES = ['runtime/cli', 'runtime/worker', 'runtime/engine-thread'] as const;

/** Why the bundle cannot be tested as it is, or undefined when it is as new as its sources. */
export function staleBundle(bundle: string, root = ROOT): string | undefined {
  const js = `dist/${bundle}.js`;
  const fix = 'run "npm run build" (the tests run the bundles in dist/, not the sources)';
  let built: number;
  try {
    built = statSync(path.join(root, js)).mtimeMs;
  } catch {
    return `${js} does not exist: ${fix}`;
  }
  let inputs: string[];
  try {
    inputs = JSON.parse(readFileSync(path.join(root, `dist/${bundle}.inputs.json`), 'utf8')) as string[];
  } catch {
    return `${js} has no list of its sources (dist/${bundle}.inputs.json): ${fix}`;
  }
  let newest: { file: string; time: number } | undefined;
  for (const input of inputs) {
    let time: number;
    try {
      time = statSync(path.join(root, input)).mtimeMs;
    } catch {
      return `${js} was built from ${input}, which no longer exists: ${fix}`;
    }
    if (time > built && (!newest || time > newest.time)) newest = { file: input, time };
  }
  return newest && `${js} is older than ${newest.file}, one of its sources (changed ${((newest.time - built) / 1000).toFixed(0)} s after the build): ${fix}`;
}

/** Throws, naming the bundle, the newer source and the fix, when a bundle is stale. */
export function assertFreshDist(bundles: readonly string[] = RUNTIME_BUNDLES): void {
  const problems = bundles.map((b) => staleBundle(b)).filter((p): p is string => p !== undefined);
  if (problems.length) throw new Error(problems.join('\n'));
}
