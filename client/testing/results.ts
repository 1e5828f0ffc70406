/**
 * `smartplug test --format json` lines → what the Testing view shows: each scenario started, passed
 * or failed with its duration, and each failure as a message with expected and actual (for a diff)
 * at its place. The lines are declared once, in runtime/scenario/jsonl-format.ts (the CLI writes
 * them from the same types). Pure (no vscode): fed line by line as the child process writes them.
 */
import type { JsonlFailure, JsonlLine, JsonlLocation, JsonlLogLine } from '../../runtime/scenario/jsonl-format';

/** 1-based, as the CLI reports it. */
export type ResultLocation = JsonlLocation;

export interface FailureMessage {
  message: string;
  /** Text forms of the expected and actual values: both present means the view can show a diff. */
  expected?: string;
  actual?: string;
  location?: ResultLocation;
}

export interface ScenarioRef {
  /** Absolute path of the scenario file. */
  file: string;
  scenario: string;
  line: number;
}

export type RunOutcome =
  | ({ type: 'started' } & ScenarioRef)
  | ({ type: 'passed'; durationMs: number } & ScenarioRef)
  | ({ type: 'failed'; durationMs: number; failures: FailureMessage[]; logs: string[] } & ScenarioRef)
  /**
   * The scenario's app ran in a worker without Node's permission model: whatever its steps did,
   * the result is not one to trust quietly. The view shows it as errored with `message`.
   */
  | ({ type: 'unsandboxed'; durationMs: number; message: string } & ScenarioRef)
  /** The file could not run at all (a syntax error): every scenario of it fails with these. */
  | { type: 'file-failed'; file: string; failures: FailureMessage[] }
  /** A line that is not part of the format (a warning on stdout): shown in the run's output. */
  | { type: 'output'; text: string };

/** What the view says of a scenario that ran without the permission model. */
export const UNSANDBOXED_MESSAGE =
  "This scenario ran without Node's permission model: its app had the test process's file, network and process access, " +
  "so its result is not shown as passed or failed. The Node that VS Code runs the tests with did not apply the permission model; " +
  'run the scenario with `smartplug test` in a terminal whose Node is 20.19 or later (nodejs.org).';

interface Pending {
  failures: FailureMessage[];
}

const EVENTS: ReadonlySet<string> = new Set<JsonlLine['event']>(['file-start', 'file-problem', 'scenario-start', 'step', 'scenario-end', 'file-end']);

/** A parsed line that has the shape every line of the format shares; anything else is output. */
function asJsonlLine(value: unknown): JsonlLine | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as { event?: unknown; file?: unknown };
  return typeof v.event === 'string' && EVENTS.has(v.event) && typeof v.file === 'string' ? (value as JsonlLine) : undefined;
}

export class ResultMapper {
  private readonly stepFailures = new Map<string, Pending>();
  private readonly fileProblems = new Map<string, FailureMessage[]>();
  private readonly filesWithScenarios = new Set<string>();

  /** One line of the child's stdout → what it means for the view (often nothing). */
  push(line: string): RunOutcome[] {
    const text = line.trim();
    if (text === '') return [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return [{ type: 'output', text: line }];
    }
    const e = asJsonlLine(parsed);
    if (!e) return [{ type: 'output', text: line }];
    const file = e.file;
    switch (e.event) {
      case 'file-start':
        return [];
      case 'file-problem': {
        const p = e.problem;
        const list = this.fileProblems.get(file) ?? [];
        list.push({
          message: p.fix ? `${p.message}. Fix: ${p.fix}` : String(p.message),
          ...(typeof p.line === 'number' && p.line > 0 ? { location: { file: p.file ?? file, line: p.line, column: p.column || 1 } } : {}),
        });
        this.fileProblems.set(file, list);
        return [];
      }
      case 'scenario-start':
        this.filesWithScenarios.add(file);
        return [{ type: 'started', file, scenario: e.scenario, line: e.line }];
      case 'step': {
        if (e.ok) return [];
        const key = keyOf(file, e.scenario, e.scenarioLine);
        const pending = this.stepFailures.get(key) ?? { failures: [] };
        // The failure shows at the failing step, in the scenario file.
        pending.failures.push(failureOf(e, { file, line: e.line, column: e.column }));
        this.stepFailures.set(key, pending);
        return [];
      }
      case 'scenario-end': {
        this.filesWithScenarios.add(file);
        const ref: ScenarioRef = { file, scenario: e.scenario, line: e.line };
        const durationMs = typeof e.durationMs === 'number' ? e.durationMs : 0;
        const key = keyOf(file, e.scenario, e.line);
        const pending = this.stepFailures.get(key);
        this.stepFailures.delete(key);
        if (e.permissionModel === false) return [{ type: 'unsandboxed', ...ref, durationMs, message: UNSANDBOXED_MESSAGE }];
        if (e.ok) return [{ type: 'passed', ...ref, durationMs }];
        const failures = [...(pending?.failures ?? [])];
        if (typeof e.message === 'string') failures.push(failureOf(e, e.location));
        if (failures.length === 0) failures.push({ message: `failed${e.notRun ? `; ${e.notRun} step(s) not run` : ''}`, location: { file, line: e.line, column: 1 } });
        const logs = Array.isArray(e.logs) ? e.logs.map(logLine) : [];
        return [{ type: 'failed', ...ref, durationMs, failures, logs }];
      }
      case 'file-end': {
        const problems = this.fileProblems.get(file);
        this.fileProblems.delete(file);
        // When scenarios ran, each already carries the problem (e.g. an app.js syntax error) itself.
        if (!problems || this.filesWithScenarios.has(file)) return [];
        return [{ type: 'file-failed', file, failures: problems }];
      }
    }
  }
}

/** Splits a child's output, which arrives in arbitrary chunks, into whole lines. */
export class LineSplitter {
  private rest = '';

  push(chunk: string): string[] {
    const parts = (this.rest + chunk).split(/\r?\n/);
    this.rest = parts.pop() ?? '';
    return parts;
  }

  /** What is left when the stream ends (a last line without a newline). */
  end(): string[] {
    const last = this.rest;
    this.rest = '';
    return last ? [last] : [];
  }
}

/** A value as the diff shows it: text as it is, anything else as indented JSON. */
export function formatValue(v: unknown): string {
  if (typeof v === 'string') return v;
  return JSON.stringify(v, null, 2) ?? String(v);
}

function failureOf(e: Partial<JsonlFailure>, location: ResultLocation | undefined): FailureMessage {
  const hasBoth = e.expected !== undefined && e.actual !== undefined;
  return {
    message: String(e.message ?? 'failed'),
    ...(hasBoth ? { expected: formatValue(e.expected), actual: formatValue(e.actual) } : {}),
    ...(location && typeof location.line === 'number' ? { location: { file: location.file, line: location.line, column: location.column || 1 } } : {}),
  };
}

function logLine(l: Partial<JsonlLogLine>): string {
  const time = typeof l.time === 'string' ? l.time.slice(11, 23) : '';
  return `${time} ${(l.level ?? '').padEnd(5)} ${l.message ?? ''}`;
}

function keyOf(file: string, scenario: string, line: number): string {
  return `${file}\u0000${scenario}\u0000${line}`;
}
