/**
 * The parsed form of a `*.scenario.json` file (see docs/scenarios.md). Parsing only checks what the
 * file says by itself; whatever needs the app, its devices or the clock (unknown devices, config
 * against app.json, local times) is checked when a scenario is set up, with the positions kept here.
 */
import type { LogLevel } from '../engine/records';
import type { RateLimit } from '../engine/rate-limiter';
import type { LocationSpec } from '../engine/location';
import type { SourceProblem } from '../errors';

/** How a scenario file's name ends. */
export const SCENARIO_SUFFIX = '.scenario.json';

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
/** `{ "restart": "worker" }`: the worker process is restarted; every app must come back as it was. */
export interface RestartStep extends StepBase {
  kind: 'restart';
  what: 'worker';
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
  | RestartStep
  | ExpectStep;

export type StepKind = Step['kind'];

export const STEP_KINDS: readonly StepKind[] = ['event', 'advance', 'advanceTo', 'mode', 'position', 'touch', 'command', 'call', 'update', 'uninstall', 'restart', 'expect'];

/** What a `restart` step may restart. */
export const RESTART_TARGETS = ['worker'] as const;

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

/**
 * How many times something happened in an expect step's window: `"none"`, a number (exactly), or
 * `{ "count" | "atLeast" | "atMost", "app"? }`. Both bounds are inclusive.
 */
export interface CountExpectation {
  atLeast: number;
  /** Absent: no upper bound. */
  atMost?: number;
  /** Only this app's (by label); absent: every app on the Thing. */
  app?: string;
  /** As reports show it: `none`, `3`, `at most 3`, `at least 1`, `1 to 3`. */
  text: string;
}

/** What an expect step checks; every field is optional and absent fields check nothing. */
export interface Expectations {
  commands?: CommandExpectation[];
  /** `"commands"` written as a count (`"none"`, `2`, `{ "atMost": 3 }`) instead of a list. */
  commandCount?: CountExpectation;
  /** How many times apps' handlers ran (lifecycle callbacks included; not those the rate limit dropped). */
  executions?: CountExpectation;
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
  'commands', 'exactly', 'noCommands', 'attributes', 'notifications', 'logs', 'noLogs', 'errors', 'state', 'mode', 'response', 'subscriptions', 'jobs', 'executions',
] as const;

/** Another app installed on the scenario's Thing beside the app under test (`"apps": [ … ]`). */
export interface ExtraAppRef extends Pos {
  /** The app folder, relative to the scenario file, and where it is written. */
  path: string;
  pathAt: Pos;
  /** Its config, inline or an instance.json; absent: `{}` (only input defaults). */
  config?: SourceRef;
  /** Its label in reports and in `"app"` of count expectations; default: the instance's name, else app.json's name. */
  label?: string;
  labelAt?: Pos;
}

/** Everything a scenario may override; the file's top level gives the defaults. */
export interface ScenarioSettings {
  start?: TimeRef;
  location?: LocationInput;
  devices?: SourceRef;
  config?: SourceRef;
  /** Other apps on the Thing, installed before the app under test, in this order. */
  apps?: ExtraAppRef[];
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
