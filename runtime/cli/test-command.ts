import { spawn } from 'node:child_process';
import { realpathSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { createHumanReporter, createJsonLinesReporter, findScenarioFiles, runScenarioFiles, summarize } from '../scenario';
import { permissionFlag } from '../host/permission-flag';
import { sandboxReadFolders } from './sandbox-reads';
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
 * that is already under the permission model (the child). The environment only marks the child, so
 * that a child whose Node ignored the flag refuses (instead of starting another child, forever);
 * it can never make a run go without the permission model.
 */
export async function testCommand(o: TestOptions): Promise<number> {
  if (!runsScenariosHere(process)) {
    if (process.env[SANDBOX_CHILD_MARK] !== '1') return runSandboxed(o);
    o.err(permissionIgnoredMessage());
    return 2;
  }
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

/** Set in the environment of the sandboxed child; see testCommand. */
const SANDBOX_CHILD_MARK = 'SMARTPLUG_TEST_SANDBOX_CHILD';

/** What the child says when its Node started it without the permission model it was asked for. */
export function permissionIgnoredMessage(): string {
  return `smartplug test: this Node (${process.version}, ${process.execPath}) ignored ${permissionFlag()}: the sandboxed run has no permission model, ` +
    'so no scenario was run (scenarios run only under Node\'s permission model). Run smartplug test with Node 20.19 or later from nodejs.org.';
}

/** The package's own folder (bundles and package.json), found from this bundle's real location. */
function packageRoot(): string {
  let dir = realpathSync(__dirname);
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
 * The file this process was started from, symlinks resolved: `npx`, `npm install -g` and `npm link`
 * start it through a symlink in a bin folder, which the permission model would not let the child
 * read (only the package's real folder is allowed).
 */
function entryScript(): string {
  return realpathSync(require.main?.filename ?? process.argv[1]);
}

function runSandboxed(o: TestOptions): Promise<number> {
  const reads = sandboxReadFolders({ packageRoot: packageRoot(), cwd: process.cwd(), allowRead: o.allowRead, paths: o.paths });
  const args = [
    permissionFlag(),
    ...reads.map((r) => `--allow-fs-read=${r}`),
    // The scenarios' Things run in worker processes (each under the permission model of its own).
    '--allow-child-process',
    // Not --disable-warning: the Node inside older VS Code releases (20.9) does not know it.
    '--no-warnings',
    entryScript(),
    ...process.argv.slice(2),
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: 'inherit', env: { ...process.env, [SANDBOX_CHILD_MARK]: '1' } });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.on('error', (e) => {
      o.err(`smartplug test: could not start the sandboxed run: ${e.message}`);
      resolve(1);
    });
  });
}
