/**
 * What running scenarios produces: plain JSON, so the CLI, the JSON-lines stream and the editor's
 * Testing view all read the same model.
 */
import type { LogLevel } from '../engine/records';
import type { SourceProblem } from '../errors';
import type { StepKind } from './types';

export interface Failure {
  message: string;
  expected?: unknown;
  actual?: unknown;
  /** Where the failure points; `file` is set only when that is not the scenario file (app.js, instance.json). */
  file?: string;
  line: number;
  column: number;
}

export interface StepResult {
  /** 0-based index in the scenario's steps. */
  index: number;
  kind: StepKind;
  line: number;
  column: number;
  ok: boolean;
  description: string;
  durationMs: number;
  /** Virtual clock (epoch ms) after the step. */
  time: number;
  failure?: Failure;
}

export interface ScenarioLogLine {
  time: number;
  level: LogLevel;
  message: string;
  /** `app` for the script's own log calls, `runtime` for what the runtime says about the app. */
  source: 'app' | 'runtime';
}

export interface ScenarioResult {
  file: string;
  name: string;
  line: number;
  ok: boolean;
  durationMs: number;
  steps: StepResult[];
  /** Steps not run after a failure. */
  notRun: number;
  /** A failure outside any step: setup (unknown device, bad config), install, or file problems. */
  failure?: Failure;
  /** Problems found setting the scenario up (warnings included). */
  problems: SourceProblem[];
  /** The app's log, for showing next to a failure. */
  logs: ScenarioLogLine[];
  /**
   * Whether every worker process the scenario's Thing ran on was under Node's permission model
   * (false: the app had that process's file, network and process access); absent when no worker
   * was started for it (it stopped at setup).
   */
  permissionModel?: boolean;
}

export interface FileResult {
  file: string;
  ok: boolean;
  durationMs: number;
  /** Problems outside any scenario (syntax, app folder, app.js); errors among them stop every scenario. */
  problems: SourceProblem[];
  scenarios: ScenarioResult[];
}

export type RunEvent =
  | { type: 'file-start'; file: string; scenarios: { name: string; line: number }[] }
  | { type: 'file-problem'; file: string; problem: SourceProblem }
  | { type: 'scenario-start'; file: string; name: string; line: number }
  | { type: 'step'; file: string; scenario: string; scenarioLine: number; step: StepResult }
  | { type: 'scenario-end'; file: string; result: ScenarioResult }
  | { type: 'file-end'; file: string; result: FileResult };

export interface Summary {
  passed: number;
  failed: number;
}

/**
 * Scenarios passed and failed. A file whose problems stopped it before any scenario could even be
 * read (a syntax error) counts as one failure, so a broken file can never make a run look green.
 */
export function summarize(results: readonly FileResult[]): Summary {
  let passed = 0;
  let failed = 0;
  for (const f of results) {
    for (const s of f.scenarios) {
      if (s.ok) passed++;
      else failed++;
    }
    if (f.scenarios.length === 0 && !f.ok) failed++;
  }
  return { passed, failed };
}
