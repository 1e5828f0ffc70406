import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { createHumanReporter, createJsonLinesReporter, findScenarioFiles, runScenarioFiles, summarize } from '../scenario';
import { terminalText } from './terminal-text';

export interface TestOptions {
  paths: string[];
  format: 'text' | 'json';
  /** Extra folders the sandboxed run may read (apps outside the given paths). */
  allowRead: string[];
  /** Run only the scenarios with these names (the editor runs one scenario this way). */
  scenarios: string[];
  out: (line: string) => void;
  err: (line: string) => void;
  color: boolean;
}

/**
 * `smartplug test`: runs scenario files and reports each step. App code runs in the runtime's worker
 * processes (under the permission model, with a warden that stops runaways), never in the process
 * that reads the scenarios. That process is itself a child under Node's permission model, as
 * defence in depth: it may read the scenarios, the apps and this package (the worker bundles among
 * it), and start the worker processes, and nothing else; it may not write files, start threads or
 * load addons. There is no way to turn that off: the only process that runs scenarios itself is one
 * that is already under the permission model (the child). An environment variable once could; the
 * environment is not a place a security decision may come from.
 */
export async function testCommand(o: TestOptions): Promise<number> {
  if (!runsScenariosHere(process)) return runSandboxed(o);
  const roots = o.paths.length ? o.paths : [process.cwd()];
  const files = findScenarioFiles(roots);
  if (files.length === 0) {
    o.err(terminalText(`smartplug test: no *.scenario.json files in ${roots.join(', ')}; write one (see docs/scenarios.md) or pass its path`));
    return 1;
  }
  const write = (text: string) => process.stdout.write(text);
  const wanted = new Set(o.scenarios);
  const select = wanted.size ? (s: { name: string }) => wanted.has(s.name) : undefined;
  const human = o.format === 'json' ? undefined : createHumanReporter({ write, color: o.color });
  const reporter = human ?? createJsonLinesReporter(write);
  const results = await runScenarioFiles(files, { onEvent: (e) => reporter.onEvent(e), select });
  if (select && results.every((f) => f.scenarios.length === 0 && f.problems.length === 0)) {
    o.err(terminalText(`smartplug test: no scenario named ${[...wanted].map((n) => JSON.stringify(n)).join(' or ')} in ${files.join(', ')}`));
    return 1;
  }
  if (human) write(human.summary(results) + '\n');
  return summarize(results).failed > 0 ? 1 : 0;
}

/**
 * Whether this process may run the scenarios itself: only when Node's permission model is on in
 * it, which is so in the child runSandboxed starts (and nowhere else, unless someone started Node
 * with --experimental-permission on purpose). Nothing else, the environment included, is asked.
 */
export function runsScenariosHere(proc: { permission?: unknown }): boolean {
  return typeof proc.permission === 'object' && proc.permission !== null;
}

/** The package's own folder (bundles and package.json), found from this bundle's location. */
function packageRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 4; i++) {
    try {
      if (statSync(path.join(dir, 'package.json')).isFile()) return dir;
    } catch {
      /* go up */
    }
    dir = path.dirname(dir);
  }
  return path.resolve(__dirname, '..', '..');
}

/**
 * The paths none of the others contains. Allowing a folder allows everything in it, so the rest
 * add nothing; and Node 20 gets the pair wrong: with both APP and APP/tests/x.scenario.json
 * allowed, listing APP itself is denied (so `smartplug test /elsewhere/APP/tests/x.scenario.json`
 * could not load its app).
 */
export function outermostPaths(paths: readonly string[]): string[] {
  const within = (inner: string, outer: string) => inner === outer || inner.startsWith(outer.endsWith(path.sep) ? outer : outer + path.sep);
  const unique = [...new Set(paths)];
  return unique.filter((p) => !unique.some((q) => q !== p && within(p, q)));
}

function runSandboxed(o: TestOptions): Promise<number> {
  const reads = new Set<string>([packageRoot(), process.cwd(), ...o.allowRead.map((p) => path.resolve(p))]);
  for (const p of o.paths) {
    const abs = path.resolve(p);
    reads.add(abs);
    // A scenario usually sits in APP/tests/: its app is the folder above.
    const dir = abs.endsWith('.json') ? path.dirname(abs) : abs;
    if (path.basename(dir) === 'tests') reads.add(path.dirname(dir));
  }
  const script = process.argv[1];
  const args = [
    '--experimental-permission',
    ...outermostPaths([...reads]).map((r) => `--allow-fs-read=${r}`),
    // The scenarios' Things run in worker processes (each under the permission model of its own).
    '--allow-child-process',
    // Not --disable-warning: the Node inside older VS Code releases (20.9) does not know it.
    '--no-warnings',
    script,
    ...process.argv.slice(2),
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: 'inherit' });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.on('error', (e) => {
      o.err(`smartplug test: could not start the sandboxed run: ${e.message}`);
      resolve(1);
    });
  });
}
