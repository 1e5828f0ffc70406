/**
 * Types of the prelude (runtime/sandbox/prelude/): the bridge it is given, the controls it hands back
 * to the host, and the in-context "kit" its parts share. Types only: nothing here exists at run time.
 */
export type BridgeFunction = (op: string, a?: unknown, b?: unknown, c?: unknown, d?: unknown, e?: unknown) => unknown;

/** The control surface the prelude hands back to the host (a sandbox-realm object). */
export interface SandboxControls {
  setDeadline(deadlineMs: number): void;
  setNamedFunctions(table: Record<string, unknown>): void;
  setState(json: string): void;
  setSettings(settingsJson: string, configJson: string): void;
  setPhase(phase: 'load' | 'run'): void;
  /** Returns 0 (done, state unchanged), a string (done, new state JSON), or 1 (async, ends later). */
  runDevice(execId: number, handler: string, name: string, value: unknown, unit: unknown, deviceId: string, functionId: unknown, date: number, isStateChange: boolean, source: string): 0 | 1 | string;
  runLocation(execId: number, handler: string, name: string, value: unknown, date: number): 0 | 1 | string;
  runTouch(execId: number, handler: string, date: number): 0 | 1 | string;
  runScheduled(execId: number, handler: string, dataJson: string, date: number): 0 | 1 | string;
  runLifecycle(execId: number, name: string, argJson: string): 0 | 1 | string;
  runEndpoint(execId: number, handler: string, requestJson: string): 0 | 1 | string;
  invoke(execId: number, name: string, argsJson: string): string;
  /** Reports a promise of this app that was rejected with no handler, as an error of execution execId. */
  reportRejection(execId: number, reason: unknown): void;
  /** New state JSON if the state changed since it was last saved, else 0 (for invoke(), which has no run()). */
  takeState(): 0 | string;
  hasFunction(name: string): boolean;
  guardTrips(): number;
  /** A JS Shell evaluation starts: the guard is reset as for a handler (the host runs the expression itself). */
  beginShell(): void;
  /** A shell expression's value (or what it threw) as text, made in this realm: only the string goes back. */
  shellResult(value: unknown, threw: boolean): string;
}

/** What one execution returns to the host: see SandboxControls.runDevice. */
export type Outcome = 0 | 1 | string;

export interface AppInfo {
  id: string;
  label: string;
  name: string;
  cpuLimitMs: number;
}

/** What core.ts puts in the kit: the bridge, globals, time, phases, handlers, state and executions. */
export interface CoreKit
  extends Pick<SandboxControls, 'setDeadline' | 'setNamedFunctions' | 'setState' | 'setPhase' | 'invoke' | 'takeState' | 'hasFunction' | 'guardTrips' | 'reportRejection' | 'beginShell'> {
  appInfo: AppInfo;
  /** Calls the host; a failure (text starting with NUL) is thrown as an Error of the script's realm. */
  call(op: string, a?: unknown, b?: unknown, c?: unknown, d?: unknown, e?: unknown): unknown;
  /** `call`, with a string result parsed as JSON. */
  callJson(op: string, a?: unknown, b?: unknown, c?: unknown, d?: unknown): unknown;
  /** A value as log text. */
  fmt(v: unknown): string;
  /** JSON.stringify and JSON.parse as they were before app.js ran (a script may replace the globals). */
  stringify: typeof JSON.stringify;
  parse: typeof JSON.parse;
  /** Defines a pinned (non-writable, non-configurable, non-enumerable) global. */
  define(name: string, value: unknown): void;
  /** The context's own Date, from before `Date` became the runtime's clock. */
  RealDate: DateConstructor;
  /** Throws unless the app is past its top level. */
  requireRun(what: string): void;
  /** Whether app.js's top level is running (the load phase). */
  loading(): boolean;
  /** A handler (function or name) as the reference the host keeps. */
  handlerRef(h: unknown, what: string): string;
  resolveHandler(ref: string): Function;
  /** The script's top-level binding of that name (not necessarily a function). */
  namedFunction(name: string): unknown;
  /** Runs one execution: resets the guard, reports a failure, saves the state. */
  run(execId: number, fn: () => unknown): Outcome;
}

/** What handles.ts adds: handles of devices, functions, notifications, the location and the app. */
export interface HandlesKit extends CoreKit, Pick<SandboxControls, 'setSettings'> {
  /** The kind and id of every handle, for subscribe() and sendNotification(). */
  handleInfo: WeakMap<object, { kind: string; id: string | number }>;
  deviceHandle(id: string): Record<string, unknown>;
  /** A function's handle; with hasValue, carrying the value the user chose. */
  functionHandle(id: string | number, value?: unknown, hasValue?: boolean): Record<string, unknown>;
  /** Forgets a device's handle (a deleted child device). */
  dropDeviceHandle(id: string): void;
  /** Settings JSON with tagged selector values ({"$device": id} …) as handles. */
  resolveTagged(v: unknown): unknown;
  location: Record<string, unknown>;
  appHandle: Record<string, unknown>;
}

/** What api.ts adds: the marker of a render() result. */
export interface ApiKit extends HandlesKit {
  RENDER: string;
}

/** What inspect.ts adds: the JS Shell's formatter (a value, or what was thrown, as bounded text). */
export interface InspectKit extends ApiKit {
  inspect(value: unknown, threw: boolean): string;
}
