/**
 * The lines of `smartplug test --format json`: one JSON object a line, one per run event. The one
 * declaration of that contract: the CLI writes it (report-jsonl.ts), the editor's Testing view reads
 * it (client/testing/results.ts), docs/scenarios.md describes it. Types only, so the client takes
 * nothing of the runner with it.
 */
import type { SourceProblem } from '../errors';
import type { LogLevel } from '../engine/records';
import type { StepKind } from './types';

/** Sent in `file-start`; raised when a field changes meaning or goes away (adding one does not). */
export const JSONL_VERSION = 1;

/** 1-based. */
export interface JsonlLocation {
  file: string;
  line: number;
  column: number;
}

/** The fields a failing step or scenario adds. */
export interface JsonlFailure {
  message: string;
  /** Both present: the view can show a diff (strings as they are, anything else as JSON). */
  expected?: unknown;
  actual?: unknown;
  location: JsonlLocation;
}

export interface JsonlFileStart {
  event: 'file-start';
  version: number;
  file: string;
  scenarios: { name: string; line: number }[];
}

/** A problem outside any scenario (syntax, app folder, app.js); an error stops every scenario of the file. */
export interface JsonlFileProblem {
  event: 'file-problem';
  file: string;
  problem: SourceProblem;
}

export interface JsonlScenarioStart {
  event: 'scenario-start';
  file: string;
  scenario: string;
  line: number;
}

export interface JsonlStep extends Partial<JsonlFailure> {
  event: 'step';
  file: string;
  scenario: string;
  /** The scenario's line: with `scenario`, which scenario the step belongs to. */
  scenarioLine: number;
  /** 0-based position in the scenario's steps. */
  index: number;
  kind: StepKind;
  line: number;
  column: number;
  ok: boolean;
  description: string;
  durationMs: number;
  /** The virtual clock after the step, ISO. */
  time: string;
}

export interface JsonlLogLine {
  time: string;
  level: LogLevel;
  message: string;
}

export interface JsonlScenarioEnd extends Partial<JsonlFailure> {
  event: 'scenario-end';
  file: string;
  scenario: string;
  line: number;
  ok: boolean;
  durationMs: number;
  /** Steps run. */
  steps: number;
  notRun: number;
  /** The app's log; only when the scenario failed. */
  logs?: JsonlLogLine[];
  /**
   * Whether the worker process(es) the scenario's apps ran in had Node's permission model; false
   * means they had its full file, network and process access, and a reader must say so. Absent
   * when no worker was started for the scenario (it stopped at setup).
   */
  permissionModel?: boolean;
}

export interface JsonlFileEnd {
  event: 'file-end';
  file: string;
  ok: boolean;
  durationMs: number;
  passed: number;
  failed: number;
  problems: number;
}

export type JsonlLine = JsonlFileStart | JsonlFileProblem | JsonlScenarioStart | JsonlStep | JsonlScenarioEnd | JsonlFileEnd;

export type JsonlEvent = JsonlLine['event'];
