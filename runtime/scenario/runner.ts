/**
 * Runs scenario files: each scenario on a fresh Thing with a virtual clock, its devices and the app
 * installed with its config. The Things run in worker processes (a WorkerPool: one per run unless
 * the caller shares one), driven through the runtime API like any other client, so app code never
 * runs in this process and an app that hangs (a catastrophic regular expression, a native loop) is
 * stopped by the worker's warden and named, and the run goes on. Progress goes out through onEvent
 * as it happens, so the CLI and the editor can stream it; nothing here prints. Nothing a scenario
 * file or an app does makes this throw: every mistake becomes a failure or a problem in the result.
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import { join, resolve } from 'path';
import { performance } from 'node:perf_hooks';
import type { AppPackage } from '../app/load-app';
import { appSlug } from '../engine/app-ids';
import type { AppErrorRecord } from '../engine/records';
import { formatProblem, hasErrors, SourceError, type SourceProblem } from '../errors';
import { Thing } from '../host/thing';
import { WorkerPool, type PoolOptions } from '../host/worker-pool';
import { errorMatches, renderError } from './check-expect';
import { parseScenarioFile } from './parse-scenario';
import { Recorder } from './recorder';
import type { Failure, FileResult, RunEvent, ScenarioResult, StepResult } from './results';
import { describeStep, runStep, type RunState } from './run-steps';
import { setupScenario } from './setup';
import { loadScenarioApp } from './sources';
import { SCENARIO_SUFFIX, type Scenario, type ScenarioFile, type Step } from './types';

export interface RunOptions {
  onEvent?: (event: RunEvent) => void;
  /** Which scenarios to run (default: all); the others are left out of the result. */
  select?: (scenario: { name: string; line: number }) => boolean;
  /** The file's text (an unsaved editor buffer); read from disk when absent. */
  text?: string;
  /**
   * The worker processes the scenarios' Things run on. Absent: the run starts its own pool and
   * closes it at its end. One pool serves a whole run: a Thing on a running worker costs about a
   * millisecond, starting a worker a few hundred.
   */
  pool?: WorkerPool;
}

/**
 * The pool a run starts for itself. Restarts are deliberate here (restart steps) or the end of a
 * scenario that fails anyway, and Things live for one scenario: a wide budget, so a file of many
 * restart steps does not use up a worker.
 */
const RUNNER_POOL_OPTIONS: PoolOptions = { restartsBeforeBackoff: 60 };

/** Runs `run` with options.pool, or with a pool of its own that is closed when it is done. */
async function withPool<T>(options: RunOptions, run: (options: RunOptions & { pool: WorkerPool }) => Promise<T>): Promise<T> {
  if (options.pool) return run(options as RunOptions & { pool: WorkerPool });
  const pool = new WorkerPool(RUNNER_POOL_OPTIONS);
  try {
    return await run({ ...options, pool });
  } finally {
    await pool.close();
  }
}

/** Log lines kept per scenario for the failure report; the newest are the telling ones. */
const MAX_LOG_LINES = 500;

export async function runScenarioFile(file: string, options: RunOptions = {}): Promise<FileResult> {
  let text = options.text;
  if (text === undefined) {
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      const problem: SourceProblem = { file, line: 0, column: 0, severity: 'error', code: 'scenario-file-unreadable', message: `cannot read the scenario file: ${(e as Error).message}` };
      const result: FileResult = { file, ok: false, durationMs: 0, problems: [problem], scenarios: [] };
      options.onEvent?.({ type: 'file-start', file, scenarios: [] });
      options.onEvent?.({ type: 'file-problem', file, problem });
      options.onEvent?.({ type: 'file-end', file, result });
      return result;
    }
  }
  return runParsedScenarioFile(parseScenarioFile(text, file), options);
}

export async function runParsedScenarioFile(parsed: ScenarioFile, options: RunOptions = {}): Promise<FileResult> {
  return withPool(options, (o) => runParsed(parsed, o));
}

async function runParsed(parsed: ScenarioFile, options: RunOptions & { pool: WorkerPool }): Promise<FileResult> {
  const t0 = performance.now();
  const emit = options.onEvent ?? (() => undefined);
  const file = parsed.file;
  const selected = parsed.scenarios.filter((s) => !options.select || options.select({ name: s.name, line: s.line }));
  emit({ type: 'file-start', file, scenarios: selected.map((s) => ({ name: s.name, line: s.line })) });
  const loaded = hasErrors(parsed.fileProblems) ? { problems: [] } : loadScenarioApp(parsed);
  const problems = [...parsed.fileProblems, ...loaded.problems];
  for (const problem of problems) emit({ type: 'file-problem', file, problem });
  const blocker = problems.find((p) => p.severity === 'error');
  const scenarios: ScenarioResult[] = [];
  for (const s of selected) {
    scenarios.push(blocker || !loaded.app ? notRun(parsed, s, blocker, emit) : await runScenario(parsed, s, { ...options, app: loaded.app }));
  }
  const result: FileResult = { file, ok: !blocker && scenarios.every((s) => s.ok), durationMs: performance.now() - t0, problems, scenarios };
  emit({ type: 'file-end', file, result });
  return result;
}

/** Runs several files one after another (their scenarios share the pool's workers, never a Thing). */
export async function runScenarioFiles(files: readonly string[], options: Omit<RunOptions, 'text'> = {}): Promise<FileResult[]> {
  return withPool(options, async (o) => {
    const out: FileResult[] = [];
    for (const f of files) out.push(await runScenarioFile(f, o));
    return out;
  });
}

/** `*.scenario.json` files: given files as they are, folders searched (skipping node_modules and dot folders). */
export function findScenarioFiles(paths: readonly string[]): string[] {
  const out = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(SCENARIO_SUFFIX)) out.add(full);
    }
  };
  for (const p of paths) {
    const abs = resolve(p);
    let isDir = false;
    try {
      isDir = statSync(abs).isDirectory();
    } catch {
      // A missing path is reported by runScenarioFile as an unreadable file.
    }
    if (isDir) walk(abs);
    else out.add(abs);
  }
  return [...out];
}

function notRun(parsed: ScenarioFile, s: Scenario, blocker: SourceProblem | undefined, emit: (e: RunEvent) => void): ScenarioResult {
  emit({ type: 'scenario-start', file: parsed.file, name: s.name, line: s.line });
  const why = blocker ? formatProblem(blocker) : 'the app could not be loaded';
  const result: ScenarioResult = {
    file: parsed.file, name: s.name, line: s.line, ok: false, durationMs: 0, steps: [], notRun: s.steps.length,
    failure: { message: `not run: ${why}`, ...placeOf(parsed, blocker, s) }, problems: [], logs: [],
  };
  emit({ type: 'scenario-end', file: parsed.file, result });
  return result;
}

/** A problem for a failure message; its place is left out when it is in the scenario file itself. */
function problemText(p: SourceProblem, scenarioFile: string): string {
  if (p.file !== scenarioFile || p.line === 0) return formatProblem(p);
  return `line ${p.line}:${Math.max(1, p.column)}: ${p.message}${p.fix ? ` Fix: ${p.fix}` : ''} [${p.code}]`;
}

/** A failure's place: in the scenario file (no `file`), or in another file. */
function placeOf(parsed: ScenarioFile, p: SourceProblem | undefined, fallback: { line: number; column: number }): Pick<Failure, 'file' | 'line' | 'column'> {
  if (!p || p.line === 0) return p && p.file !== parsed.file ? { file: p.file, line: fallback.line, column: fallback.column } : { line: fallback.line, column: fallback.column };
  return { ...(p.file !== parsed.file ? { file: p.file } : {}), line: p.line, column: Math.max(1, p.column) };
}

/** Things of scenarios: ids unique in the process, so callers may share a pool. */
let thingSeq = 0;

/** An app id as the runtime makes them ("door-light-1"), numbered per scenario so reports are the same however many ran before. */
function appIdOf(name: string, n: number): string {
  return `${appSlug(name)}-${n}`;
}

/** Runs one scenario of a parsed file on a fresh Thing; loads the app itself unless options.app is given. */
export async function runScenario(parsed: ScenarioFile, scenario: Scenario, options: RunOptions & { app?: AppPackage } = {}): Promise<ScenarioResult> {
  return withPool(options, (o) => runOnThing(parsed, scenario, o));
}

async function runOnThing(parsed: ScenarioFile, scenario: Scenario, options: RunOptions & { app?: AppPackage; pool: WorkerPool }): Promise<ScenarioResult> {
  const emit = options.onEvent ?? (() => undefined);
  const t0 = performance.now();
  emit({ type: 'scenario-start', file: parsed.file, name: scenario.name, line: scenario.line });
  const result: ScenarioResult = { file: parsed.file, name: scenario.name, line: scenario.line, ok: false, durationMs: 0, steps: [], notRun: 0, problems: [], logs: [] };
  const finish = (failure?: Failure): ScenarioResult => {
    if (failure) result.failure = failure;
    result.ok = !failure && result.steps.every((s) => s.ok);
    result.durationMs = performance.now() - t0;
    emit({ type: 'scenario-end', file: parsed.file, result });
    return result;
  };
  /** Stops before the first step: every error is listed, the failure points at the first. */
  const stop = (problems: readonly SourceProblem[]) => {
    const errors = problems.filter((p) => p.severity === 'error');
    result.notRun = scenario.steps.length;
    return finish({ message: errors.map((p) => problemText(p, parsed.file)).join('\n'), ...placeOf(parsed, errors[0], scenario) });
  };

  if (hasErrors(scenario.problems)) return stop(scenario.problems);
  let app = options.app;
  if (!app) {
    const loaded = loadScenarioApp(parsed);
    if (hasErrors(loaded.problems)) return stop(loaded.problems);
    if (!loaded.app) return stop([{ file: parsed.file, line: 0, column: 0, severity: 'error', code: 'scenario-app-missing', message: 'the app could not be loaded' }]);
    app = loaded.app;
  }
  const setup = setupScenario(parsed, scenario, app);
  result.problems = setup.problems;
  if (hasErrors(setup.problems)) return stop(setup.problems);

  const pool = options.pool;
  const thingId = `scenario-${++thingSeq}`;
  let thing: Thing;
  try {
    // The worker seeds runEvery* start times with the scenario's name: the same on every run.
    thing = await pool.addThing(thingId, {
      clock: 'virtual', start: setup.start, location: setup.location, rateLimit: parsed.defaults.rateLimit, cpuLimitMs: parsed.defaults.cpuLimitMs, seed: scenario.name,
    }, (id, s, t, n) => new Thing(id, s, t, n));
  } catch (e) {
    result.notRun = scenario.steps.length;
    return finish({ message: `the scenario's Thing could not be started: ${messageOf(e)}`, line: scenario.line, column: scenario.column });
  }
  // Said in the report: a worker without the permission model must not go unnoticed (a restart step
  // starts another process, which says so again).
  result.permissionModel = pool.permissionModelOf(thingId) === true;
  thing.on('worker', (w) => {
    if (w.permissionModel === false) result.permissionModel = false;
  });
  // Listening before anything is installed: the worker sends executions only once asked.
  const recorder = new Recorder(thing);
  const appId = appIdOf(app.name, 1);
  const labels = new Map<string, string>([[appId, setup.appLabel]]);
  try {
    for (const d of setup.devices) await thing.addDevice(d);
    const state: RunState = { thing, pool, recorder, appId, installed: false, labels, updates: setup.updates, now: setup.start };

    // The other apps first: they are the Thing the app under test is installed on.
    for (const [i, other] of setup.otherApps.entries()) {
      const id = appIdOf(other.app.name, i + 2);
      const installed = await installApp(thing, other.app, other.config, other.label, id);
      if (installed.error) {
        result.logs = logsOf(recorder, labels);
        result.notRun = scenario.steps.length;
        return finish({ message: `installing "${other.label}" (one of "apps") failed: ${installed.error.message}`, ...placeOf(parsed, installed.error.problem, other.at) });
      }
      labels.set(id, other.label);
    }
    const install = setup.installProblems.length || !setup.config
      ? { error: { message: setup.installProblems.map((p) => problemText(p, parsed.file)).join('\n'), problem: setup.installProblems[0] } }
      : await installApp(thing, app, setup.config, setup.label, appId);
    state.installed = install.error === undefined;
    result.logs = logsOf(recorder, labels);
    const many = labels.size > 1;

    if (scenario.expectInstallError) {
      const want = scenario.expectInstallError;
      const got = install.error?.message ?? (recorder.all.errors.length ? recorder.all.errors.map((e) => describeError(e, many)).join('\n') : undefined);
      if (got === undefined) return finish({ message: `installing was expected to fail with ${JSON.stringify(want.text)}, but it succeeded`, expected: want.text, actual: 'installed without errors', line: want.line, column: want.column });
      if (!got.includes(want.text)) return finish({ message: `installing failed, but not with ${JSON.stringify(want.text)}:\n${got}`, expected: want.text, actual: got, line: want.line, column: want.column });
      return finish();
    }
    if (install.error) {
      result.problems.push(...setup.installProblems);
      result.notRun = scenario.steps.length;
      return finish({ message: `installing failed: ${install.error.message}`, ...placeOf(parsed, install.error.problem, scenario) });
    }
    const unexpected = unexpectedErrors(recorder.all.errors, scenario.steps, -1);
    if (unexpected.length) {
      result.notRun = scenario.steps.length;
      return finish({ message: `installed() failed: ${unexpected.map((e) => describeError(e, many)).join('\n')}`, expected: 'no app error', actual: unexpected.length === 1 ? describeError(unexpected[0], many) : unexpected.map((e) => describeError(e, many)), line: scenario.line, column: scenario.column });
    }

    for (const step of scenario.steps) {
      const r = await runOne(step, state, scenario.steps);
      result.steps.push(r);
      emit({ type: 'step', file: parsed.file, scenario: scenario.name, scenarioLine: scenario.line, step: r });
      if (!r.ok) {
        result.notRun = scenario.steps.length - step.index - 1;
        break;
      }
    }
    result.logs = logsOf(recorder, labels);
    return finish();
  } catch (e) {
    // The runtime itself failed (its worker could not be restarted, say): the scenario fails, the run goes on.
    result.logs = logsOf(recorder, labels);
    const done = result.steps.length;
    result.notRun = Math.max(0, scenario.steps.length - done);
    return finish({ message: `the runtime failed: ${messageOf(e)}`, line: scenario.steps[done]?.line ?? scenario.line, column: scenario.steps[done]?.column ?? scenario.column });
  } finally {
    await pool.removeThing(thingId).catch(() => undefined);
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * An app error as a step's failure shows it: `handler: message (app.js:line:column)`, led by the
 * app's label when the Thing has several apps, or when the runtime stopped the app (it ran past its
 * CPU limit where the guard could not stop it, or ended the worker's engine thread).
 */
function describeError(e: AppErrorRecord, many: boolean): string {
  const stopped = e.message.startsWith(`${e.handler}: stopped`);
  return many || stopped ? `${e.appLabel}: ${renderError(e)}` : renderError(e);
}

async function runOne(step: Step, state: RunState, steps: readonly Step[]): Promise<StepResult> {
  const t0 = performance.now();
  const before = state.recorder.mark();
  // The step's records (async handlers included) reach the recorder before the worker's reply.
  let failure = await runStep(step, state);
  if (failure && (step.kind === 'advance' || step.kind === 'advanceTo' || step.kind === 'restart')) {
    // Time may have moved part of the way before the step failed.
    state.now = await state.thing.now().catch(() => state.now);
  }
  if (!failure && step.kind !== 'expect') {
    const unexpected = unexpectedErrors(state.recorder.since(before).errors, steps, step.index);
    if (unexpected.length) {
      const many = state.labels.size > 1;
      failure = {
        message: `the app failed: ${unexpected.map((e) => describeError(e, many)).join('\n')}\n(an app error fails the step it happens in unless the next expect lists it under "errors")`,
        expected: 'no app error', actual: unexpected.length === 1 ? describeError(unexpected[0], many) : unexpected.map((e) => describeError(e, many)), line: step.line, column: step.column,
      };
    }
  }
  return {
    index: step.index, kind: step.kind, line: step.line, column: step.column, ok: !failure, description: describeStep(step),
    durationMs: performance.now() - t0, time: state.now, ...(failure ? { failure } : {}),
  };
}

/** App errors the next expect step does not list under "errors": an app author must see a crash. */
function unexpectedErrors(errors: readonly AppErrorRecord[], steps: readonly Step[], after: number): AppErrorRecord[] {
  const next = steps.find((s) => s.index > after && s.kind === 'expect');
  const listed = next?.kind === 'expect' ? (next.expect.errors ?? []) : [];
  return errors.filter((e) => !listed.some((x) => errorMatches(x.contains, e)));
}

interface InstallOutcome {
  appId?: string;
  error?: { message: string; problem?: SourceProblem };
}

async function installApp(thing: Thing, app: AppPackage, config: Record<string, unknown>, label: string | undefined, id: string): Promise<InstallOutcome> {
  try {
    const info = await thing.install({
      source: { name: app.name, version: app.version, appJson: app.appJson, scriptFile: app.scriptFile, script: app.script },
      config, id, ...(label !== undefined ? { label } : {}),
    });
    return { appId: info.id };
  } catch (e) {
    if (e instanceof SourceError) return { error: { message: e.problems.map(formatProblem).join('\n'), problem: e.problems[0] } };
    return { error: { message: messageOf(e) } };
  }
}

/** The log for the report; with several apps on the Thing each line says whose it is. */
function logsOf(recorder: Recorder, labels: ReadonlyMap<string, string>): ScenarioResult['logs'] {
  const many = labels.size > 1;
  return recorder.all.logs.slice(-MAX_LOG_LINES).map((l) => ({ time: l.time, level: l.level, message: many && l.appId ? `${l.appLabel}: ${l.message}` : l.message, source: l.source }));
}
