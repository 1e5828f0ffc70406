/** runtime/scenario: the scenario test harness behind `smartplug test` and the editor's Testing view. */
export * from './types';
export { parseScenarioFile } from './parse-scenario';
export { diagnoseScenarioFile } from './diagnose';
export { parseDuration, formatDuration, parseTime, resolveTime } from './time-text';
export { runScenarioFile, runParsedScenarioFile, runScenarioFiles, runScenario, findScenarioFiles } from './runner';
export type { RunOptions } from './runner';
export { summarize } from './results';
export type { Failure, FileResult, RunEvent, ScenarioLogLine, ScenarioResult, StepResult, Summary } from './results';
export { createHumanReporter, formatFailure } from './report-human';
export type { HumanReporterOptions, Reporter } from './report-human';
export { createJsonLinesReporter, jsonLineOf } from './report-jsonl';
export { JSONL_VERSION } from './jsonl-format';
export type * from './jsonl-format';
export { unifiedDiff, diffLines } from './line-diff';
export type { DiffLine } from './line-diff';
export { partialMatch, deepEqual } from './match';
export { GuardedClock, MAX_TIMERS_PER_INSTANT } from '../clock/guarded-clock';
