/**
 * The payloads of the platform's MQTT topics (platform/protocol/topics.ts), declared once. The
 * platform service and the agent both import these; `schemas/platform/*.schema.json` say the same
 * for anything else, and both sides validate what they receive against them (validate.ts).
 */
import type { Recording } from '../../runtime/scenario/from-recording';

/** How a Thing's app comes to it: its own list, or its Template's (then it cannot be removed from the Thing). */
export type AppOrigin = { kind: 'thing' } | { kind: 'template'; templateId: string };

/**
 * The load action of seed 002 for one bundle: method `setup`, a direct URL, SHA256 integrity with
 * its checksum, and the response topic the load completion goes to. `user` is the Thing's id; there
 * is no `passwd`: the agent authenticates the download with its own broker credential, so no secret
 * travels in a (retained) message.
 */
export interface BundleLoadAction {
  url: string;
  method: 'setup';
  integrity: 'SHA256';
  checksum: string;
  user: string;
  response: string;
}

/** One app a Thing should run: seed 003's instance object, the app's name, where it comes from and how to load it. */
export interface DesiredApp {
  app_id: number;
  installation_id: number;
  version: string;
  config: Record<string, unknown>;
  /** the instance's name (seed 003) */
  name: string;
  /** the app's name in the App Store */
  app: string;
  origin: AppOrigin;
  load: BundleLoadAction;
}

/** Platform → Thing, retained: what the Thing should run. */
export interface DesiredStateMessage {
  revision: number;
  apps: DesiredApp[];
  /** IAP timestamp of the change */
  mru: string;
}

/** An app's status; a running app lists its web-service routes (`METHOD /path`, seed 001's mappings), reachable through the platform. */
export type AppStatus = { state: 'running'; endpoints?: string[] } | { state: 'stopped' } | { state: 'failed'; error: string };

/** Thing → platform, retained: what the Thing runs now. */
export interface StatusMessage {
  /** the desired revision the Thing has reached (0: none yet) */
  revision: number;
  /** by installation_id */
  apps: Record<string, AppStatus>;
  /** the revision it is working towards, while a sync runs */
  syncing?: number;
  /** why the last sync did not reach its revision */
  error?: IapError | null;
  /** with an error: the agent tries that sync again by itself (it failed on the way: a download not answered, a switch cut short) */
  retrying?: boolean;
  mru: string;
}

/** Thing → platform, retained; `connected: false` is the agent's last will. */
export interface ConnectionMessage {
  connected: boolean;
  mru: string;
}

/** Seed 002's load completion object: what the load action carried, and null or an IAP error event object. */
export interface LoadCompletionMessage {
  url: unknown;
  method: unknown;
  protocol: unknown;
  type: unknown;
  flags: unknown;
  error: IapError | null;
}

/** An IAP event object (a trimmed generic-logger object): errors in completions, logs on ev/{category}. */
export interface IapError {
  cat: 'debug' | 'info' | 'warning' | 'error';
  /** IAP timestamp */
  utc: string;
  message: string;
  /** what raised it: "agent", or "app:<instance name>" */
  source: string;
  /** the topic it concerns */
  topic: string;
  /** a machine-readable reason ("checksum", "unsafe-path", …), when there is one */
  code?: string;
  data?: Record<string, unknown> | null;
}

/** A Thing's About object (IAP), trimmed to what the platform shows. */
export interface AboutMessage {
  manufacturer: string;
  product: string;
  model: string;
  version: string;
  glpVersion: 0;
  mru: string;
}

/**
 * A Thing's devices on glp/0/{SID}/fb/devices (retained): devices.json entries, with the attribute
 * values they had when its agent connected. Read them through checkDevicesFile.
 */
export interface DevicesMessage {
  devices: Array<{ id: string; label: string; capabilities: string[]; [more: string]: unknown }>;
  mru: string;
}

/** An image a load action applied to a target (seed 002). */
export interface ImageRecord {
  /** the image's file name */
  image: string;
  sha256: string;
  size: number;
  /** from the image's manifest, when it had one */
  version?: string;
  issuer?: string;
  /** IAP timestamp of the switchover */
  since: string;
}

/** The kinds of resource a setup installs: seed 002's recognised resources, and `file` for what a setup script installs. */
export type ResourceKind = 'modbus' | 'xif' | 'drf-xml' | 'amd' | 'file';

export interface ResourceRecord {
  kind: ResourceKind;
  sha256: string;
  size: number;
  /** the image that installed it */
  from: string;
  since: string;
}

/** What load actions installed on a Thing. */
export interface InstalledImages {
  /** the system version (the About's version) and the system image it came from */
  system: { version: string; image?: ImageRecord };
  /** native images by target: "" for the Thing itself, "protocol/handle" for a device */
  firmware: Record<string, ImageRecord>;
  /** resources by their path */
  resources: Record<string, ResourceRecord>;
}

/** A load action prepared and waiting for its switchover. */
export interface ScheduledLoad {
  url: string;
  method: string;
  /** "the Thing" or "device HANDLE (PROTOCOL)" */
  target: string;
  /** IAP timestamp */
  switchover: string;
}

/** Thing → anyone allowed, on glp/0/{SID}/fb/=agent/images (retained): what load actions installed, and those waiting. */
export interface ImagesMessage extends InstalledImages {
  scheduled: ScheduledLoad[];
  mru: string;
}

/** The JS Shell's actions (the `action` of a request on glp/0/{SID}/rq/=shell/do). */
export type ShellAction = 'eval' | 'apps' | 'logs' | 'cancel' | 'restart' | 'debug' | 'cdp' | 'detach' | 'record';

/** eval: an expression, in an app's context (`app`: its installation id) or the Thing's shell context. */
export interface ShellEvalArgs {
  expression: string;
  app?: number;
}

/** logs: the last `lines` log lines the agent kept; with `follow`, then every new one until cancelled. */
export interface ShellLogsArgs {
  follow?: boolean;
  lines?: number;
}

/** cancel: ends the stream (a logs follow) answering on this respond topic. */
export interface ShellCancelArgs {
  respond: string;
}

/**
 * debug: attaches a debugger to the app with this installation id. The Thing moves onto a worker of
 * its own (its other apps pause with it at a breakpoint; the other Things do not); the request's
 * respond topic is the session: its messages carry `debug` (the inspector's), until it ends.
 */
export interface ShellDebugArgs {
  app: number;
}

/** record: records what the app with this installation id sees and does, for `seconds` (default 300, at most 3600) or until `cancel`. */
export interface ShellRecordArgs {
  app: number;
  seconds?: number;
}

/** cdp: the debugger's inspector messages for a session (answered on the session, by the inspector); renews its lease. */
export interface ShellCdpArgs {
  session: string;
  messages: string[];
}

/** detach: ends a debug session; the Thing goes back onto a shared worker. */
export interface ShellDetachArgs {
  session: string;
}

/** What a debug session's stream carries: an engine thread ready for the debugger, or an inspector message. */
export type DebugFeed = { kind: 'attached' } | { kind: 'cdp'; message: string };

/**
 * A tool → a Thing's JS Shell: the IAP do envelope. `respond` is where the answers go (under the
 * Thing's glp/0/{SID}/ev/=shell/), `meta` is echoed in each, `auth` is the Thing's shell credential:
 * a request without the right one gets no answer at all.
 */
export type ShellRequest = {
  respond: string;
  meta?: unknown;
  auth: string;
} & (
  | { action: 'eval'; args: ShellEvalArgs }
  | { action: 'apps'; args?: Record<string, never> }
  | { action: 'logs'; args?: ShellLogsArgs }
  | { action: 'cancel'; args: ShellCancelArgs }
  | { action: 'restart'; args?: Record<string, never> }
  | { action: 'debug'; args: ShellDebugArgs }
  | { action: 'record'; args: ShellRecordArgs }
  | { action: 'cdp'; args: ShellCdpArgs }
  | { action: 'detach'; args: ShellDetachArgs }
);

/** One log line as the shell streams it. */
export interface ShellLogLine {
  /** IAP timestamp */
  utc: string;
  level: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  /** "app:<instance name>", "shell" (the Thing's shell context) or "runtime" */
  source: string;
  message: string;
}

/** An app as `apps` lists it. */
export interface ShellAppInfo {
  installation_id: number;
  /** the app's name in the App Store */
  app: string;
  version: string;
  /** the instance's name */
  name: string;
  status: AppStatus;
  /** the app's id in the Thing's runtime */
  runtimeId: string;
  state: unknown;
}

/** What a shell request ends with, by action. */
/** What ended a recording: its time, a `cancel`, its being full, or the Thing's agent stopping. */
export type RecordingEnd = 'time' | 'cancel' | 'full' | 'thing-stopped';

export interface ShellResults {
  /** the expression's value, as text made inside its context */
  eval: string;
  apps: ShellAppInfo[];
  logs: { lines: number; cancelled: boolean };
  cancel: { cancelled: number };
  /** `failed`: apps that could not be started again (by their runtime id), with why */
  restart: { apps: number; durationMs: number; failed: Array<{ runtimeId: string; error: string }> };
  /** the end of a debug session, and why (detached, the lease ran out, the agent stopped) */
  debug: { ended: string };
  detach: { detached: boolean };
  /** what the app saw and did while it was recorded (runtime/scenario/from-recording.ts makes the scenario), and what ended it */
  record: { recording: Omit<Recording, 'appPath'> & { truncated: boolean; endedBy: RecordingEnd } };
}

/**
 * Thing → the caller, on the request's respond topic: zero or more chunks of `output` (log lines:
 * what an expression logged, or the tail and follow of `logs`), then one message with `done: true`
 * carrying `result` or `error`. `seq` counts the messages of one request from 0.
 */
export interface ShellResponse {
  meta: unknown;
  seq: number;
  done: boolean;
  output?: ShellLogLine[];
  /** a debug session's inspector messages */
  debug?: DebugFeed[];
  result?: unknown;
  error: ShellError | null;
}

export interface ShellError {
  /** eval: the expression failed (syntax, a throw, the CPU limit); malformed: the request; unknown-app; failed: the action could not be done */
  code: 'eval' | 'malformed' | 'unknown-app' | 'failed' | 'busy';
  message: string;
}

/** What a change notice is about. */
export type ChangeKind = 'apps' | 'things' | 'templates' | 'rollouts';

/**
 * Platform → tools on glp/0/=platform/ev/changed: these ids of this kind changed (app ids as
 * text); an empty list means "any of them": read them all again.
 */
export interface ChangeNotice {
  kind: ChangeKind;
  ids: string[];
  utc: string;
}

/** Platform → Thing on glp/0/{SID}/rq/=endpoint/do: an HTTP request for an app's web-service route. */
export interface EndpointRequest {
  action: 'call';
  args: { installation_id: number; method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH'; path: string; body?: unknown };
  /** below glp/0/{SID}/ev/=endpoint/ */
  respond: string;
}

/** Thing → platform on the request's respond topic: the app's HTTP response. */
export interface EndpointReply {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}
