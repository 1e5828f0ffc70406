/**
 * The prelude: the SmartPlug script API, as it exists *inside* an app's vm context.
 *
 * Its parts (core, handles, api, inspect, controls) are never called in the host: app-sandbox.ts evaluates
 * their source text (Function#toString) in each app's context, so every object a script can reach
 * is created in the script's own realm. The host is reached only through `bridge`, a host function
 * kept in core's closure, which takes and returns primitives and JSON text. That keeps host objects
 * (and so `process`, `require`, the host `Function` constructor) out of the script's reach: the vm
 * context is the boundary, and the worker's permission model is the second wall behind it.
 *
 * The parts share one "kit", an object of the context's realm that core creates and each later
 * part extends and passes on; a part copies what it uses from the kit into its own constants once,
 * so calls between parts are plain closure calls.
 *
 * Rules for editing any part: no references to anything outside the part's function (it is
 * serialised), and no `Date` after core (use the kit's RealDate); no TypeScript-only runtime
 * constructs (enums, decorators, parameter properties); keep hot paths (dispatch, guard) free of
 * allocation and indirection.
 */
import type { AppInfo, BridgeFunction, CoreKit, Outcome } from './types';

/** The first part: the bridge, pinned globals, the execution guard, time, phases, handlers, state and executions. */
export function preludeCore(bridge: BridgeFunction, hostNow: () => number, appInfoJson: string): CoreKit {
  'use strict';
  const G = globalThis as unknown as Record<string, unknown>;
  // A script can replace JSON.stringify and JSON.parse in its context. What the runtime writes and
  // reads (state, arguments, results) goes through the originals, taken here before app.js runs, so
  // a replacement cannot make the runtime produce text that is not JSON (or lie about its size).
  const stringify = JSON.stringify;
  const parse = JSON.parse;
  const appInfo = parse(appInfoJson) as AppInfo;
  const define = (name: string, value: unknown) =>
    Object.defineProperty(G, name, { value, writable: false, enumerable: false, configurable: false });

  // A stack-trace hook could hand a script the host functions below it on the stack.
  Object.defineProperty(Error, 'prepareStackTrace', { value: undefined, writable: false, configurable: false });
  // Node reads the hook as `globalThis.Error.prepareStackTrace` of the error's realm, so replacing the
  // global `Error` with an object carrying a hook would get the same frames: pin it.
  Object.defineProperty(G, 'Error', { value: Error, writable: false, enumerable: false, configurable: false });

  // ---------------------------------------------------------------- bridge and errors
  // The host encodes failures as a string starting with NUL, so no host Error object crosses over.
  // The two host functions this context holds (bridge, hostNow) can still *throw* when the stack
  // runs out at their entry or in their error path: V8 then makes the RangeError in the host's
  // realm, and its constructor.constructor is the host's Function. Every call to them is wrapped
  // here, in this realm: whatever they throw is dropped unread and an error of this realm is thrown.
  const hostFailed = (op: string): Error => new RangeError(`Maximum call stack size exceeded (in the runtime's ${op})`);
  const call = (op: string, a?: unknown, b?: unknown, c?: unknown, d?: unknown, e?: unknown): unknown => {
    let r: unknown;
    try {
      r = bridge(op, a, b, c, d, e);
    } catch {
      throw hostFailed(op);
    }
    if (typeof r === 'string' && r.charCodeAt(0) === 0) throw new Error(r.slice(1));
    // Only primitives cross: a host object would carry the host's prototypes.
    if (r !== null && (typeof r === 'object' || typeof r === 'function')) throw new TypeError(`the runtime's ${op} returned an object`);
    return r;
  };
  const readClock = (): number => {
    try {
      return hostNow();
    } catch {
      throw hostFailed('clock');
    }
  };
  const callJson = (op: string, a?: unknown, b?: unknown, c?: unknown, d?: unknown): unknown => {
    const r = call(op, a, b, c, d);
    return typeof r === 'string' ? parse(r) : r;
  };
  const fmt = (v: unknown): string => {
    if (typeof v === 'string') return v;
    if (v instanceof Error) return v.stack || String(v);
    if (v === undefined) return 'undefined';
    try {
      const s = stringify(v);
      return s === undefined ? String(v) : s;
    } catch {
      return String(v);
    }
  };

  // ---------------------------------------------------------------- execution guard
  // The host instruments every loop body and function entry with __spg(). Checking the clock only
  // every 1024 ticks keeps a guarded loop within a few ns of an unguarded one.
  let deadline = Infinity;
  let ticks = 0;
  let trips = 0;
  let tripped = false;
  const guard = () => {
    if (++ticks < 1024 && !tripped) return;
    ticks = 0;
    if (tripped || readClock() > deadline) {
      tripped = true;
      trips++;
      throw new Error(`SmartPlug: execution time limit exceeded (${appInfo.cpuLimitMs} ms); the execution was stopped`);
    }
  };
  define('__spg', guard);

  // ---------------------------------------------------------------- time
  const RealDate = Date;
  // Scripts see the runtime's clock (real or virtual) through Date, so tests with a virtual clock
  // get consistent times from `new Date()` and `Date.now()`.
  const clockNow = () => call('now') as number;
  function SmartDate(this: unknown, ...args: unknown[]) {
    if (!new.target) return new RealDate(clockNow()).toString();
    return args.length === 0 ? new RealDate(clockNow()) : new (RealDate as unknown as new (...a: unknown[]) => Date)(...args);
  }
  Object.setPrototypeOf(SmartDate, RealDate);
  (SmartDate as unknown as { prototype: unknown }).prototype = RealDate.prototype;
  Object.defineProperty(SmartDate, 'now', { value: clockNow });
  Object.defineProperty(RealDate.prototype, 'constructor', { value: SmartDate });
  Object.defineProperty(G, 'Date', { value: SmartDate, writable: false, configurable: false });
  define('now', clockNow);

  // ---------------------------------------------------------------- phases
  let phase = 'load';
  const requireRun = (what: string) => {
    if (phase !== 'run')
      throw new Error(`${what} cannot be called at the top level of app.js; call it from installed(), updated() or a handler`);
  };

  // ---------------------------------------------------------------- named functions and handlers
  let named: Record<string, unknown> = Object.create(null);
  const anonymous: Function[] = [];
  const handlerRef = (h: unknown, what: string): string => {
    if (typeof h === 'string') {
      if (typeof named[h] !== 'function') {
        const known = Object.keys(named).filter((k) => typeof named[k] === 'function');
        call('unknownHandler', h, stringify(known), what);
      }
      return h;
    }
    if (typeof h !== 'function') throw new TypeError(`${what}: the handler must be a function or the name of a function in app.js, got ${fmt(h)}`);
    for (const k in named) if (named[k] === h) return k;
    let i = anonymous.indexOf(h);
    if (i < 0) i = anonymous.push(h) - 1;
    return '#' + i;
  };
  const resolveHandler = (ref: string): Function => {
    const f = ref.charCodeAt(0) === 35 ? anonymous[+ref.slice(1)] : named[ref];
    if (typeof f !== 'function') throw new Error(`handler "${ref}" is not a function defined in app.js`);
    return f as Function;
  };

  // ---------------------------------------------------------------- state
  let stateObj: Record<string, unknown> = {};
  let stateText = '{}';
  Object.defineProperty(G, 'state', {
    get: () => stateObj,
    set: () => { throw new TypeError('state cannot be replaced; set its properties instead (state.count = 1)'); },
    configurable: false,
  });
  // Persisted only when the execution ends and only if it changed, as SmartThings does. The host
  // measures and checks the text it receives (the size limit, JSON of an object: engine-core
  // stateProblem); when it refuses it, it sets the last saved state back here (setState).
  const finish = (): 0 | string => {
    let s: string;
    try {
      s = stringify(stateObj);
    } catch (e) {
      call('error', 'state could not be saved: ' + fmt(e), '', 'state');
      return 0;
    }
    if (s === stateText) return 0;
    stateText = s;
    // The next execution sees what was saved, as it would after a restart: a Date becomes its text now.
    // (No text at all, from a toJSON returning undefined, goes to the host, which refuses it.)
    if (typeof s === 'string') stateObj = parse(s);
    return s;
  };

  // ---------------------------------------------------------------- executions
  const report = (execId: number, e: unknown) => {
    const err = e as { message?: unknown; stack?: unknown; httpStatus?: unknown } | null;
    const message = err && typeof err === 'object' && 'message' in err ? String(err.message) : fmt(e);
    const stack = err && typeof err === 'object' && typeof err.stack === 'string' ? err.stack : '';
    call('error', message, stack, String(execId));
  };
  const settle = (execId: number, result: unknown): Outcome => {
    if (result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function') {
      (result as Promise<unknown>).then(
        () => { call('asyncDone', execId, finish()); },
        (e) => { report(execId, e); call('asyncDone', execId, finish()); },
      );
      return 1;
    }
    return finish();
  };
  const run = (execId: number, fn: () => unknown): Outcome => {
    ticks = 0;
    tripped = false;
    let result: unknown;
    try {
      result = fn();
    } catch (e) {
      report(execId, e);
      return finish();
    }
    return settle(execId, result);
  };
  // A call from another app (appRef.invoke): no execution of its own, so no run().
  const invoke = (execId: number, name: string, argsJson: string): string => {
    const f = named[name];
    if (typeof f !== 'function') throw new Error(`app ${appInfo.label} has no function "${name}"`);
    void execId;
    // A stop left over from this app's last (timed-out) execution must not fail this one; a stop
    // of an execution of this app still under way (invoked back) stays in force.
    const wasTripped = tripped;
    ticks = 0;
    tripped = false;
    try {
      const r = f(...(parse(argsJson) as unknown[]));
      return r === undefined ? '' : stringify(r);
    } finally {
      tripped = tripped || wasTripped;
    }
  };

  return {
    appInfo, call, callJson, fmt, define, stringify, parse, RealDate, requireRun, handlerRef, resolveHandler, run, invoke,
    loading: () => phase === 'load',
    namedFunction: (name) => named[name],
    setDeadline: (d) => { deadline = d; },
    setNamedFunctions: (table) => { named = table; },
    setState: (json) => { stateText = json; stateObj = parse(json); },
    setPhase: (p) => { phase = p; },
    // Read here, in the app's realm and inside an execution's CPU window: the reason may be any
    // object of the script's, with getters of its own.
    reportRejection: (execId, reason) => {
      ticks = 0;
      tripped = false;
      try {
        report(execId, reason);
      } catch {
        call('error', 'a promise was rejected and not handled (its reason could not be read)', '', String(execId));
      }
    },
    takeState: () => finish(),
    beginShell: () => {
      ticks = 0;
      tripped = false;
    },
    hasFunction: (name) => typeof named[name] === 'function',
    guardTrips: () => trips,
  };
}
