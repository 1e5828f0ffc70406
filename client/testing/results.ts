/**
 * `smartplug test --format json` lines → what the Testing view shows: each scenario started, passed
 * or failed with its duration, and each failure as a message with expected and actual (for a diff)
 * at its place. The format is docs/scenarios.md's "JSON lines" (runtime/scenario/report-jsonl.ts).
 * Pure (no vscode): fed line by line as the child process writes them.
 */

/** 1-based, as the CLI reports it. */
export interface ResultLocation {
  file: string;
  line: number;
  column: number;
}

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
  /** The file could not run at all (a syntax error): every scenario of it fails with these. */
  | { type: 'file-failed'; file: string; failures: FailureMessage[] }
  /** A line that is not part of the format (a warning on stdout): shown in the run's output. */
  | { type: 'output'; text: string };

interface Pending {
  failures: FailureMessage[];
}

export class ResultMapper {
  private readonly stepFailures = new Map<string, Pending>();
  private readonly fileProblems = new Map<string, FailureMessage[]>();
  private readonly filesWithScenarios = new Set<string>();

  /** One line of the child's stdout → what it means for the view (often nothing). */
  push(line: string): RunOutcome[] {
    const text = line.trim();
    if (text === '') return [];
    let e: Record<string, any>;
    try {
      e = JSON.parse(text);
    } catch {
      return [{ type: 'output', text: line }];
    }
    if (typeof e !== 'object' || e === null || typeof e.event !== 'string' || typeof e.file !== 'string') return [{ type: 'output', text: line }];
    const file: string = e.file;
    switch (e.event) {
      case 'file-start':
        return [];
      case 'file-problem': {
        const p = e.problem ?? {};
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
      default:
        return [];
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

function failureOf(e: Record<string, any>, location: ResultLocation | undefined): FailureMessage {
  const hasBoth = e.expected !== undefined && e.actual !== undefined;
  return {
    message: String(e.message ?? 'failed'),
    ...(hasBoth ? { expected: formatValue(e.expected), actual: formatValue(e.actual) } : {}),
    ...(location && typeof location.line === 'number' ? { location: { file: location.file, line: location.line, column: location.column || 1 } } : {}),
  };
}

function logLine(l: { time?: string; level?: string; message?: string }): string {
  const time = typeof l.time === 'string' ? l.time.slice(11, 23) : '';
  return `${time} ${(l.level ?? '').padEnd(5)} ${l.message ?? ''}`;
}

function keyOf(file: string, scenario: string, line: number): string {
  return `${file}\u0000${scenario}\u0000${line}`;
}
