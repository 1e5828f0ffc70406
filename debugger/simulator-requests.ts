/**
 * The debug adapter's custom DAP requests: simulator controls during a session. Declared once here;
 * the adapter answers them (debug-session.ts) and the extension sends them (client/).
 */
import type { JobSnapshot, SubscriptionSnapshot } from '../runtime/engine/snapshot';

/** What an input did: ran to its end, or stopped at a breakpoint on the way (it finishes on resume). */
export type InputOutcome = 'done' | 'stopped';

export interface SimulatorRequests {
  /** A device event, as a device would send it. */
  'smartplug/injectEvent': { args: { device: string; attribute: string; value: unknown }; body: { outcome: InputOutcome } };
  /** Moves the virtual clock: `ms`, or a duration like "90s", "5m", "1h30m". */
  'smartplug/advanceClock': { args: { ms?: number; duration?: string }; body: { outcome: InputOutcome } };
  'smartplug/setMode': { args: { mode: string }; body: { outcome: InputOutcome } };
  /** Touches the app (its touch handler, as the app's tile would). */
  'smartplug/touch': { args: Record<string, never>; body: { outcome: InputOutcome } };
  /** Calls one of the app's HTTP endpoints (mappings). */
  'smartplug/callEndpoint': { args: { method: string; path: string; body?: unknown }; body: { outcome: InputOutcome; status?: number; body?: unknown } };
  /** The app's pending runIn/schedule callbacks. */
  'smartplug/pendingJobs': { args: Record<string, never>; body: { jobs: JobSnapshot[] } };
  /** Fires one pending callback now (the virtual clock moves to its time). */
  'smartplug/fireJob': { args: { id: number }; body: { outcome: InputOutcome } };
  /** What the app subscribes to now: the events worth injecting. */
  'smartplug/subscriptions': { args: Record<string, never>; body: { subscriptions: SubscriptionSnapshot[] } };
}

export type SimulatorRequest = keyof SimulatorRequests;

export const SIMULATOR_REQUESTS: readonly SimulatorRequest[] = [
  'smartplug/injectEvent', 'smartplug/advanceClock', 'smartplug/setMode', 'smartplug/touch',
  'smartplug/callEndpoint', 'smartplug/pendingJobs', 'smartplug/fireJob', 'smartplug/subscriptions',
];
