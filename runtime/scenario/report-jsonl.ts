/**
 * The JSON-lines reporter: one JSON object per run event, flat enough for the editor's Testing view
 * to map straight onto test items (file, scenario name and line, step line, ok, duration, message,
 * expected, actual). Its lines are declared in jsonl-format.ts and documented in docs/scenarios.md.
 */
import { jsonText } from '../cli/terminal-text';
import { JSONL_VERSION, type JsonlFailure, type JsonlLine } from './jsonl-format';
import type { Failure, RunEvent } from './results';
import type { Reporter } from './report-human';

function failureFields(f: Failure | undefined, scenarioFile: string): Partial<JsonlFailure> {
  if (!f) return {};
  return {
    message: f.message,
    ...(f.expected !== undefined ? { expected: f.expected } : {}),
    ...(f.actual !== undefined ? { actual: f.actual } : {}),
    location: { file: f.file ?? scenarioFile, line: f.line, column: f.column },
  };
}

/** The JSON object written for an event. */
export function jsonLineOf(e: RunEvent): JsonlLine {
  switch (e.type) {
    case 'file-start':
      return { event: e.type, version: JSONL_VERSION, file: e.file, scenarios: e.scenarios };
    case 'file-problem':
      return { event: e.type, file: e.file, problem: e.problem };
    case 'scenario-start':
      return { event: e.type, file: e.file, scenario: e.name, line: e.line };
    case 'step': {
      const s = e.step;
      return {
        event: e.type, file: e.file, scenario: e.scenario, scenarioLine: e.scenarioLine,
        index: s.index, kind: s.kind, line: s.line, column: s.column, ok: s.ok, description: s.description,
        durationMs: round(s.durationMs), time: new Date(s.time).toISOString(), ...failureFields(s.failure, e.file),
      };
    }
    case 'scenario-end': {
      const r = e.result;
      return {
        event: e.type, file: e.file, scenario: r.name, line: r.line, ok: r.ok, durationMs: round(r.durationMs),
        steps: r.steps.length, notRun: r.notRun, ...failureFields(r.failure, e.file),
        ...(r.ok ? {} : { logs: r.logs.map((l) => ({ time: new Date(l.time).toISOString(), level: l.level, message: l.message })) }),
        ...(r.permissionModel !== undefined ? { permissionModel: r.permissionModel } : {}),
      };
    }
    case 'file-end': {
      const r = e.result;
      return {
        event: e.type, file: e.file, ok: r.ok, durationMs: round(r.durationMs),
        passed: r.scenarios.filter((s) => s.ok).length, failed: r.scenarios.filter((s) => !s.ok).length, problems: r.problems.length,
      };
    }
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

export function createJsonLinesReporter(write: (text: string) => void): Reporter {
  // jsonText, not JSON.stringify: app text in messages and logs may hold C1 or bidi characters,
  // which JSON.stringify leaves raw; the stream is often read on a terminal too.
  return { onEvent: (e) => write(jsonText(jsonLineOf(e)) + '\n') };
}
