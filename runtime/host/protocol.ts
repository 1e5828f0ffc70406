/**
 * The messages between a runtime host and its worker process (Node IPC, JSON). Declared once here;
 * both sides import these types.
 */
import type { AppSource } from '../engine/installed-app';
import type { InstallRequest } from '../engine/thing-engine';
import type { LocationSpec } from '../engine/location';
import type { RateLimit } from '../engine/rate-limiter';
import type { RuntimeEventMap } from '../engine/records';
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
}

/**
 * Records the worker sends only while the host has a listener for them: one per execution, or one
 * per device event, is more traffic than running the handlers. (The host's copy of the devices
 * comes from EventsMessage.deviceValues instead.)
 */
export const OPTIONAL_EVENTS = ['execution', 'deviceEvent'] as const;
export type OptionalEvent = (typeof OPTIONAL_EVENTS)[number];

/** Calls the host makes; each gets one reply. */
export type WorkerCall =
  | { op: 'init'; settings: EngineSettings }
  | { op: 'addDevice'; spec: DeviceSpec }
  | { op: 'registerPackage'; source: AppSource }
  | { op: 'install'; request: InstallRequest }
  | { op: 'update'; appId: string; config: Record<string, unknown> }
  | { op: 'uninstall'; appId: string }
  | { op: 'deviceEvent'; deviceId: string; attribute: string; value: unknown }
  | { op: 'deviceEvents'; events: [deviceId: string, attribute: string, value: unknown][] }
  | { op: 'sendCommand'; deviceId: string; command: string; args: unknown[] }
  | { op: 'setMode'; mode: string }
  | { op: 'setPosition'; latitude: number; longitude: number }
  | { op: 'touch'; appId: string }
  | { op: 'callEndpoint'; appId: string; method: string; url: string; body?: unknown }
  | { op: 'advance'; ms: number }
  | { op: 'now' }
  | { op: 'appInfo'; appId: string }
  | { op: 'listApps' }
  | { op: 'devices' }
  | { op: 'selfCheck' }
  | { op: 'forward'; events: OptionalEvent[] };

export interface CallMessage {
  kind: 'call';
  id: number;
  call: WorkerCall;
  /**
   * Apps that must not run for this call: it is being delivered again after the engine thread was
   * lost while one of them ran it (that app stopped the thread; the others get it exactly once).
   */
  skip?: string[];
}

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
}

/** Runtime events, batched per event-loop turn so a busy worker sends few messages. */
export interface EventsMessage {
  kind: 'events';
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

export type WorkerMessage = ReplyMessage | EventsMessage | ReadyMessage | BeatMessage | EngineLostMessage;

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
}
