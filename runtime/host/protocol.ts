/**
 * The messages between a runtime host and its worker processes (Node IPC, JSON), and the table of
 * calls on a Thing. Declared once here; both sides import these types.
 */
import type { AppSource } from '../engine/installed-app';
import type { AppInfo, EndpointResponse, InstallRequest } from '../engine/engine-requests';
import type { LocationSpec } from '../engine/location';
import type { RateLimit } from '../engine/rate-limiter';
import type { RuntimeEventMap } from '../engine/records';
import type { EvalResult, EvalTarget } from '../engine/shell-eval';
import type { AttrValue, DeviceSpec } from '../devices/types';

export interface EngineSettings {
  clock: 'real' | 'virtual';
  /** Virtual clock start, epoch ms. */
  start?: number;
  location?: Partial<LocationSpec>;
  rateLimit?: RateLimit | false;
  cpuLimitMs?: number;
  /** Events sent only when the host asks for them (one per execution is a lot of traffic). */
  forward?: OptionalEvent[];
  /** Seeds the random start times of runEvery* jobs (scenario tests: the same on every run). */
  seed?: string;
}

/**
 * Records the worker sends only while the host has a listener for them: one per execution, or one
 * per device event, is more traffic than running the handlers. (The host's copy of the devices
 * comes from EventsMessage.deviceValues instead.)
 */
export const OPTIONAL_EVENTS = ['execution', 'deviceEvent'] as const;
export type OptionalEvent = (typeof OPTIONAL_EVENTS)[number];

/**
 * Every call the host makes on a Thing in a worker, declared once: its parameters and its result.
 * The host's API (host/thing.ts) and the worker's dispatcher (worker/thing-host.ts) are both derived
 * from this interface, so neither can add, drop or retype a call without the other failing to build.
 */
export interface ThingCalls {
  /** Creates the Thing in the worker, or creates it again after the worker lost it. */
  createThing(settings: EngineSettings): void;
  disposeThing(): void;
  /** Which optional records this Thing's host listens to. */
  forward(events: OptionalEvent[]): void;
  addDevice(spec: DeviceSpec): void;
  registerPackage(source: AppSource): void;
  install(request: InstallRequest): AppInfo;
  update(appId: string, config: Record<string, unknown>): AppInfo;
  uninstall(appId: string): void;
  deviceEvent(deviceId: string, attribute: string, value: unknown): void;
  /** Many device reports as one turn; returns how many. */
  deviceEvents(events: [deviceId: string, attribute: string, value: unknown][]): number;
  sendCommand(deviceId: string, command: string, args: unknown[]): void;
  setMode(mode: string): void;
  setPosition(latitude: number, longitude: number): void;
  touch(appId: string): void;
  callEndpoint(appId: string, method: string, url: string, body?: unknown): EndpointResponse;
  /** Virtual clock only: moves time forward; returns the new time. */
  advance(ms: number): number;
  now(): number;
  appInfo(appId: string): AppInfo;
  listApps(): AppInfo[];
  devices(): DeviceView[];
  /** The Thing's location now (mode, position, time zone). */
  location(): LocationSpec;
  /** Which device attribute a function id names. */
  functionOf(functionId: string | number): { deviceId: string; attribute: string; type: string };
  /** The JS Shell: evaluates an expression in an app's context or the Thing's shell context; only text comes back. */
  evaluate(target: EvalTarget, expression: string): EvalResult;
}

/**
 * How an app source travels to a worker: in full the first time (with the key it is kept under),
 * then by that key. A fleet installs one app on the hundred Things of a worker; sending its script
 * and app.json each time cost more than installing it. The engine thread keeps what it was sent for
 * as long as it lives; the host starts again from nothing when the thread is lost.
 */
export type WireSource = (AppSource & { sourceKey?: string }) | { sourceRef: string };

export type CallName = keyof ThingCalls;
export type CallArgs<K extends CallName> = Parameters<ThingCalls[K]>;
export type CallResult<K extends CallName> = ReturnType<ThingCalls[K]>;

/** A device as `devices()` reports it. */
export interface DeviceView {
  id: string;
  label: string;
  type: string;
  capabilities: string[];
  attributes: Record<string, AttrValue>;
}

export interface CallMessage<K extends CallName = CallName> {
  kind: 'call';
  id: number;
  /** The Thing the call concerns: a worker hosts many. */
  thing: string;
  op: K;
  args: CallArgs<K>;
  /**
   * Apps that must not run for this call: it is being delivered again after the engine thread was
   * lost while one of them ran it (that app stopped the thread; the others get it exactly once).
   */
  skip?: string[];
}

/** The host asks the worker process what it may do (answered by the process, not by a Thing). */
export interface SelfCheckMessage {
  kind: 'selfCheck';
  id: number;
}

/**
 * Debug sessions only: one Chrome DevTools Protocol message, as JSON text, between the host's
 * debugger and the V8 inspector of the worker's engine thread (the warden relays it; see
 * worker-main.ts). Host → worker: a command; worker → host: its response or an event.
 */
export interface InspectorMessage {
  kind: 'inspector';
  message: string;
}

export type HostMessage = CallMessage | SelfCheckMessage | InspectorMessage;

export interface ReplyMessage {
  kind: 'reply';
  id: number;
  ok: boolean;
  result?: unknown;
  error?: SerializedError;
}

export interface SerializedError {
  name: string;
  message: string;
  /** SourceError problems or ConfigError problems, when the error carries them. */
  problems?: unknown[];
  appName?: string;
  /** What to do about it, when the error says (a DeviceError's fix: "Use a value between 0 and 100."). */
  fix?: string;
}

/** One Thing's records, batched per event-loop turn so a busy worker sends few messages. */
export interface EventsMessage {
  kind: 'events';
  thing: string;
  batch: { [K in keyof RuntimeEventMap]: [K, RuntimeEventMap[K]] }[keyof RuntimeEventMap][];
  /** The newest value of every device attribute that changed since the last message (deviceId → attribute → value). */
  deviceValues?: DeviceValues;
}

export type DeviceValues = Record<string, Record<string, AttrValue>>;

export interface ReadyMessage {
  kind: 'ready';
  pid: number;
  /** Whether Node's permission model is on in the worker. */
  permissionModel: boolean;
}

export interface BeatMessage {
  kind: 'beat';
}

/** The app execution that was running when the engine thread was stopped or died. */
export interface Culprit {
  thing: string;
  appId: string;
  handler: string;
  kind: string;
  /** The host call being handled (0: none, e.g. a real-clock timer). */
  callId: number;
}

/**
 * The worker's engine thread was stopped (an execution ran past its deadline where the in-script
 * guard could not stop it) or died (out of memory, a crash). The worker process lives on and has
 * started a new, empty engine thread: the host restores its apps and delivers the calls in flight
 * again. Calls listed in `inFlight` got no reply and never will.
 */
export interface EngineLostMessage {
  kind: 'engine-lost';
  cause: 'runaway' | 'out-of-memory' | 'crash';
  reason: string;
  culprit?: Culprit;
  inFlight: number[];
  /** For a runaway: ms from the execution's deadline to the stop. */
  lateByMs?: number;
  /**
   * The thread could not be stopped (a native loop that ignores interrupts): the worker process is
   * ending itself instead, and the host re-spawns it. The calls in flight are delivered again then.
   */
  processEnding?: boolean;
}

/**
 * Debug sessions only: the warden has attached the inspector to a new engine thread (the first,
 * or one started after the last was lost). The thread waits, before it runs anything, until the
 * debugger sends it Runtime.runIfWaitingForDebugger: breakpoints are set again first.
 */
export interface InspectorAttachedMessage {
  kind: 'inspector-attached';
}

/** The warden's code cache of the engine thread bundle, when the host asked for one (base64; see worker/code-cache.ts). */
export interface CodeCacheMessage {
  kind: 'code-cache';
  data: string;
}

export type WorkerMessage = ReplyMessage | EventsMessage | ReadyMessage | BeatMessage | EngineLostMessage | InspectorMessage | InspectorAttachedMessage | CodeCacheMessage;

/** Engine thread → worker process: an interned name of the execution slot (see worker/execution-slot.ts). */
export interface SlotNameMessage {
  kind: 'slot-name';
  id: number;
  name: string;
}

/** What selfCheck reports: the worker tries what a context escape would try. */
export interface SelfCheckResult {
  readFile: string;
  spawn: string;
  writeFile: string;
  /** Names of the environment variables the worker process was given. */
  env: string[];
  /** The same from inside the engine thread, where apps run. */
  engineThread: {
    env: string[];
    /** Which ways to Node's modules and the process an escaped script could find from the thread's global scope. */
    reachable: string[];
  };
}

/** Warden → engine thread: report what the thread offers (see SelfCheckResult.engineThread). */
export interface ThreadCheckMessage {
  kind: 'threadCheck';
  id: number;
}
