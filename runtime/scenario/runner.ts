/**
 * Runs scenario files: each scenario on a fresh Thing with a virtual clock, its devices and the app
 * installed with its config. Progress goes out through onEvent as it happens, so the CLI and the
 * editor can stream it; nothing here prints. Nothing a scenario file or an app does makes this
 * throw: every mistake becomes a failure or a problem in the result.
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import { join, resolve } from 'path';
import { performance } from 'node:perf_hooks';
import type { AppPackage } from '../app/load-app';
import { GuardedClock } from '../clock/guarded-clock';
import type { AppErrorRecord } from '../engine/records';
import { ThingEngine } from '../engine/thing-engine';
import { formatProblem, hasErrors, SourceError, type SourceProblem } from '../errors';
import { errorMatches, renderError } from './check-expect';
import { parseScenarioFile } from './parse-scenario';
import { Recorder } from './recorder';
import type { Failure, FileResult, RunEvent, ScenarioResult, StepResult } from './results';
import { describeStep, runStep, type RunState } from './run-steps';
import { setupScenario, type ScenarioSetup } from './setup';
import { loadScenarioApp } from './sources';
import { seededRandom } from '../engine/seeded-random';
import type { Scenario, ScenarioFile, Step } from './types';

export interface RunOptions {
  onEvent?: (event: RunEvent) => void;
  /** Which scenarios to run (default: all); the others are left out of the result. */
  select?: (scenario: { name: string; line: number }) => boolean;
  /** The file's text (an unsaved editor buffer); read from disk when absent. */
  text?: string;
}

export const SCENARIO_SUFFIX = '.scenario.json';
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

/** Runs several files one after another (scenarios share the process, never a Thing). */
export async function runScenarioFiles(files: readonly string[], options: Omit<RunOptions, 'text'> = {}): Promise<FileResult[]> {
  const out: FileResult[] = [];
  for (const f of files) out.push(await runScenarioFile(f, options));
  return out;
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

const settle = () => new Promise<void>((r) => setImmediate(r));

/** Runs one scenario of a parsed file; loads the app itself unless options.app is given. */
export async function runScenario(parsed: ScenarioFile, scenario: Scenario, options: RunOptions & { app?: AppPackage } = {}): Promise<ScenarioResult> {
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

  const clock = new GuardedClock(setup.start);
  // A seeded generator: runEvery* start times are the same on every run of a scenario.
  const engine = new ThingEngine({ clock, location: setup.location, rateLimit: parsed.defaults.rateLimit, cpuLimitMs: parsed.defaults.cpuLimitMs, random: seededRandom(scenario.name) });
  const recorder = new Recorder(engine);
  try {
    for (const d of setup.devices) engine.addDevice(d);
    const state: RunState = { engine, clock, recorder, appId: '', installed: false, updates: setup.updates };
    const install = await installApp(engine, app, setup, parsed.file);
    state.appId = install.appId ?? '';
    state.installed = install.appId !== undefined;
    result.logs = logsOf(recorder);

    if (scenario.expectInstallError) {
      const want = scenario.expectInstallError;
      const got = install.error?.message ?? (recorder.all.errors.length ? recorder.all.errors.map(renderError).join('\n') : undefined);
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
      return finish({ message: `installed() failed: ${unexpected.map(renderError).join('\n')}`, expected: 'no app error', actual: unexpected.length === 1 ? renderError(unexpected[0]) : unexpected.map(renderError), line: scenario.line, column: scenario.column });
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
    result.logs = logsOf(recorder);
    return finish();
  } finally {
    engine.dispose();
  }
}

async function runOne(step: Step, state: RunState, steps: readonly Step[]): Promise<StepResult> {
  const t0 = performance.now();
  const before = state.recorder.mark();
  let failure = runStep(step, state);
  // Async handlers finish on the microtask queue; their errors belong to this step.
  await settle();
  if (!failure && step.kind !== 'expect') {
    const unexpected = unexpectedErrors(state.recorder.since(before).errors, steps, step.index);
    if (unexpected.length) {
      failure = {
        message: `the app failed: ${unexpected.map(renderError).join('\n')}\n(an app error fails the step it happens in unless the next expect lists it under "errors")`,
        expected: 'no app error', actual: unexpected.length === 1 ? renderError(unexpected[0]) : unexpected.map(renderError), line: step.line, column: step.column,
      };
    }
  }
  return {
    index: step.index, kind: step.kind, line: step.line, column: step.column, ok: !failure, description: describeStep(step),
    durationMs: performance.now() - t0, time: state.clock.now(), ...(failure ? { failure } : {}),
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

async function installApp(engine: ThingEngine, app: AppPackage, setup: ScenarioSetup, scenarioFile: string): Promise<InstallOutcome> {
  if (setup.installProblems.length || !setup.config) {
    return { error: { message: setup.installProblems.map((p) => problemText(p, scenarioFile)).join('\n'), problem: setup.installProblems[0] } };
  }
  try {
    const info = engine.install({
      source: { name: app.name, version: app.version, appJson: app.appJson, scriptFile: app.scriptFile, script: app.script },
      config: setup.config, ...(setup.label !== undefined ? { label: setup.label } : {}),
    });
    await settle();
    return { appId: info.id };
  } catch (e) {
    if (e instanceof SourceError) return { error: { message: e.problems.map(formatProblem).join('\n'), problem: e.problems[0] } };
    return { error: { message: e instanceof Error ? e.message : String(e) } };
  }
}

function logsOf(recorder: Recorder): ScenarioResult['logs'] {
  return recorder.all.logs.slice(-MAX_LOG_LINES).map((l) => ({ time: l.time, level: l.level, message: l.message, source: l.source }));
}
