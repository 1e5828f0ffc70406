/**
 * The messages between a runtime host and its worker process (Node IPC, JSON). Declared once here;
 * both sides import these types.
 */
import type { AppSource } from '../engine/installed-app';
import type { InstallRequest } from '../engine/thing-engine';
import type { LocationSpec } from '../engine/location';
import type { RateLimit } from '../engine/rate-limiter';
import type { RuntimeEventMap } from '../engine/records';
import type { DeviceSpec } from '../devices/types';

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

export const OPTIONAL_EVENTS = ['execution'] as const;
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
}

export interface ReadyMessage {
  kind: 'ready';
  pid: number;
  /** Whether Node's permission model is on in the worker. */
  permissionModel: boolean;
}

export interface BeatMessage {
  kind: 'beat';
}

export type WorkerMessage = ReplyMessage | EventsMessage | ReadyMessage | BeatMessage;

/** What selfCheck reports: the worker tries what a context escape would try. */
export interface SelfCheckResult {
  readFile: string;
  spawn: string;
  writeFile: string;
}
