/**
 * The parsed form of a `*.scenario.json` file (see docs/scenarios.md). Parsing only checks what the
 * file says by itself; whatever needs the app, its devices or the clock (unknown devices, config
 * against app.json, local times) is checked when a scenario is set up, with the positions kept here.
 */
import type { LogLevel } from '../engine/records';
import type { RateLimit } from '../engine/rate-limiter';
import type { LocationSpec } from '../engine/location';
import type { SourceProblem } from '../errors';

export type AttrValue = string | number | boolean | null;

/** 1-based position in the scenario file. */
export interface Pos {
  line: number;
  column: number;
}

/** Devices or a config: written inline, or the path of a devices.json / instance.json. */
export type SourceRef =
  | { kind: 'inline'; value: unknown; offset: number; length: number; line: number; column: number }
  | { kind: 'file'; path: string; line: number; column: number };

/**
 * A point in time as written: an instant (ISO with Z or an offset), a local date-time or a time of
 * day (both in the location's time zone, known only at setup), or the next sunrise/sunset.
 */
export type TimeSpec =
  | { kind: 'instant'; ms: number }
  | { kind: 'local'; year: number; month: number; day: number; hour: number; minute: number; second: number }
  | { kind: 'timeOfDay'; hour: number; minute: number; second: number }
  | { kind: 'sun'; event: 'sunrise' | 'sunset'; offsetMs: number };

export interface TimeRef extends Pos {
  text: string;
  spec: TimeSpec;
}

export type LocationInput = Partial<LocationSpec> & { at: Record<string, Pos> };

export interface StepBase extends Pos {
  /** 0-based position in the scenario's steps. */
  index: number;
  /** Positions of parts of the step by dotted path (`device`, `attributes.lamp.switch`), for problems found at setup. */
  at: Record<string, Pos>;
}

export interface EventStep extends StepBase {
  kind: 'event';
  /** Either device + attribute, or functionId. */
  device?: string;
  attribute?: string;
  functionId?: string | number;
  value: AttrValue;
}
export interface AdvanceStep extends StepBase {
  kind: 'advance';
  ms: number;
  text: string;
}
export interface AdvanceToStep extends StepBase {
  kind: 'advanceTo';
  to: TimeRef;
}
export interface ModeStep extends StepBase {
  kind: 'mode';
  mode: string;
}
export interface PositionStep extends StepBase {
  kind: 'position';
  latitude: number;
  longitude: number;
}
export interface TouchStep extends StepBase {
  kind: 'touch';
}
export interface CommandStep extends StepBase {
  kind: 'command';
  device: string;
  command: string;
  args: unknown[];
}
export interface CallStep extends StepBase {
  kind: 'call';
  method: string;
  path: string;
  body?: unknown;
}
export interface UpdateStep extends StepBase {
  kind: 'update';
  config: SourceRef;
}
export interface UninstallStep extends StepBase {
  kind: 'uninstall';
}
export interface ExpectStep extends StepBase {
  kind: 'expect';
  expect: Expectations;
}

export type Step =
  | EventStep
  | AdvanceStep
  | AdvanceToStep
  | ModeStep
  | PositionStep
  | TouchStep
  | CommandStep
  | CallStep
  | UpdateStep
  | UninstallStep
  | ExpectStep;

export type StepKind = Step['kind'];

export const STEP_KINDS: readonly StepKind[] = ['event', 'advance', 'advanceTo', 'mode', 'position', 'touch', 'command', 'call', 'update', 'uninstall', 'expect'];

export interface CommandExpectation {
  device: string;
  command: string;
  /** Absent: any arguments. */
  args?: unknown[];
}

export interface NotificationExpectation {
  output?: string | number;
  contains?: string;
  message?: string;
}

export interface LogExpectation {
  level?: LogLevel;
  contains: string;
}

export interface AttributeExpectation {
  /** As written: `lamp.switch`. */
  key: string;
  device: string;
  attribute: string;
  value: AttrValue;
}

/** What an expect step checks; every field is optional and absent fields check nothing. */
export interface Expectations {
  commands?: CommandExpectation[];
  /** The lists given (commands, notifications) must be everything that happened, not a subsequence. */
  exactly?: boolean;
  noCommands?: boolean;
  attributes?: AttributeExpectation[];
  notifications?: NotificationExpectation[];
  logs?: LogExpectation[];
  noLogs?: { level?: LogLevel; contains?: string };
  errors?: { contains: string }[];
  /** Partial deep match of the app's state; `hasState` tells `"state": null` from absent. */
  state?: unknown;
  hasState?: boolean;
  mode?: string;
  response?: { status?: number; body?: unknown; hasBody: boolean };
  /** A count, or the handler names (in any order). */
  subscriptions?: number | string[];
  jobs?: number | string[];
}

export const EXPECT_KEYS = [
  'commands', 'exactly', 'noCommands', 'attributes', 'notifications', 'logs', 'noLogs', 'errors', 'state', 'mode', 'response', 'subscriptions', 'jobs',
] as const;

/** Everything a scenario may override; the file's top level gives the defaults. */
export interface ScenarioSettings {
  start?: TimeRef;
  location?: LocationInput;
  devices?: SourceRef;
  config?: SourceRef;
}

export interface ScenarioDefaults extends ScenarioSettings {
  app?: Pos & { path: string };
  rateLimit?: RateLimit | false;
  cpuLimitMs?: number;
}

export interface Scenario extends ScenarioSettings, Pos {
  name: string;
  /** Set when the scenario checks that installing fails, with a text the error must contain. */
  expectInstallError?: Pos & { text: string };
  steps: Step[];
  /** Errors inside this scenario: it cannot run, the others can. */
  problems: SourceProblem[];
}

export interface ScenarioFile {
  file: string;
  text: string;
  /** Every problem in the file, in file order (for an editor's diagnostics). */
  problems: SourceProblem[];
  /** Problems outside any scenario: when one is an error, no scenario of the file runs. */
  fileProblems: SourceProblem[];
  defaults: ScenarioDefaults;
  scenarios: Scenario[];
}

export const DEFAULT_START = '2024-01-01T12:00:00Z';
