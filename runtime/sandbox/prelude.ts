/**
 * The SmartPlug script API, as it exists *inside* an app's vm context.
 *
 * This function is never called in the host: its source text (Function#toString) is evaluated in
 * each app's context, so every object a script can reach is created in the script's own realm.
 * The host is reached only through `bridge`, a host function kept in this closure, which takes and
 * returns primitives and JSON text. That keeps host objects (and so `process`, `require`, the host
 * `Function` constructor) out of the script's reach: the vm context is the boundary, and the
 * worker's permission model is the second wall behind it.
 *
 * Rules for editing: no references to anything outside this function (it is serialised); no
 * TypeScript-only runtime constructs (enums, decorators, parameter properties); keep hot paths
 * (dispatch, guard) free of allocation.
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
  /** New state JSON if the state changed since it was last saved, else 0 (for invoke(), which has no run()). */
  takeState(): 0 | string;
  hasFunction(name: string): boolean;
  guardTrips(): number;
}

export function smartplugPrelude(bridge: BridgeFunction, hostNow: () => number, appInfoJson: string): SandboxControls {
  'use strict';
  const G = globalThis as unknown as Record<string, unknown>;
  const appInfo = JSON.parse(appInfoJson) as { id: string; label: string; name: string; cpuLimitMs: number };
  const define = (name: string, value: unknown) =>
    Object.defineProperty(G, name, { value, writable: false, enumerable: false, configurable: false });

  // A stack-trace hook could hand a script the host functions below it on the stack.
  Object.defineProperty(Error, 'prepareStackTrace', { value: undefined, writable: false, configurable: false });
  // Node reads the hook as `globalThis.Error.prepareStackTrace` of the error's realm, so replacing the
  // global `Error` with an object carrying a hook would get the same frames: pin it.
  Object.defineProperty(G, 'Error', { value: Error, writable: false, enumerable: false, configurable: false });

  // ---------------------------------------------------------------- bridge and errors
  // The host encodes failures as a string starting with NUL, so no host Error object crosses over.
  const call = (op: string, a?: unknown, b?: unknown, c?: unknown, d?: unknown, e?: unknown): unknown => {
    const r = bridge(op, a, b, c, d, e);
    if (typeof r === 'string' && r.charCodeAt(0) === 0) throw new Error(r.slice(1));
    return r;
  };
  const callJson = (op: string, a?: unknown, b?: unknown, c?: unknown, d?: unknown): unknown => {
    const r = call(op, a, b, c, d);
    return typeof r === 'string' ? JSON.parse(r) : r;
  };
  const fmt = (v: unknown): string => {
    if (typeof v === 'string') return v;
    if (v instanceof Error) return v.stack || String(v);
    if (v === undefined) return 'undefined';
    try {
      const s = JSON.stringify(v);
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
    if (tripped || hostNow() > deadline) {
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
        call('unknownHandler', h, JSON.stringify(known), what);
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

  // ---------------------------------------------------------------- handles
  const handleInfo = new WeakMap<object, { kind: string; id: string | number }>();
  const deviceHandles = new Map<string, Record<string, unknown>>();
  const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

  const stateOf = (deviceId: string, attr: string) => {
    const s = callJson('state', deviceId, attr) as { value: unknown; unit?: string; date: number } | null;
    return s === null ? null : { name: attr, value: s.value, unit: s.unit, date: new RealDate(s.date) };
  };

  const deviceHandle = (id: string): Record<string, unknown> => {
    const existing = deviceHandles.get(id);
    if (existing) return existing;
    const d = callJson('device', id) as {
      id: string; label: string; type: string; capabilities: string[];
      attributes: { name: string; unit?: string; functionType: string }[];
      commands: { name: string; params: { name: string }[] }[];
      missingCommands: string[];
    };
    const h: Record<string, unknown> = Object.create(null);
    const attrNames = d.attributes.map((a) => a.name);
    Object.assign(h, {
      id: d.id, label: d.label, displayName: d.label, name: d.label, typeName: d.type,
      capabilities: d.capabilities.slice(),
      supportedAttributes: attrNames.slice(),
      supportedCommands: d.commands.map((c) => c.name),
      hasCapability: (c: string) => d.capabilities.includes(c),
      hasAttribute: (a: string) => attrNames.includes(a),
      hasCommand: (c: string) => d.commands.some((x) => x.name === c),
      currentValue: (a: string) => { const s = stateOf(d.id, a); return s === null ? null : s.value; },
      latestValue: (a: string) => { const s = stateOf(d.id, a); return s === null ? null : s.value; },
      currentState: (a: string) => stateOf(d.id, a),
      latestState: (a: string) => stateOf(d.id, a),
      events: (opts?: { max?: number }) => (callJson('history', d.id, opts && opts.max ? opts.max : 10) as { name: string; value: unknown; unit?: string; date: number }[])
        .map((e) => ({ name: e.name, value: e.value, unit: e.unit, date: new RealDate(e.date), device: h })),
      toString: () => d.label,
      toJSON: () => ({ id: d.id, label: d.label }),
    });
    for (const a of d.attributes) {
      Object.defineProperty(h, 'current' + capitalize(a.name), { get: () => h.currentValue && (h.currentValue as Function)(a.name), enumerable: false });
    }
    for (const c of d.commands) {
      h[c.name] = (...args: unknown[]) => {
        requireRun(`${d.label}.${c.name}()`);
        call('command', d.id, c.name, JSON.stringify(args));
      };
    }
    const commandList = d.commands.map((c) => c.name).join(', ') || 'none (it is a sensor)';
    for (const name of d.missingCommands) {
      Object.defineProperty(h, name, {
        enumerable: false,
        value: () => {
          throw new TypeError(`device "${d.label}" has no command ${name}() (capabilities: ${d.capabilities.join(', ')}); its commands: ${commandList}`);
        },
      });
    }
    Object.freeze(h);
    handleInfo.set(h, { kind: 'device', id: d.id });
    deviceHandles.set(id, h);
    return h;
  };

  const functionHandle = (id: string | number, value?: unknown, hasValue?: boolean): Record<string, unknown> => {
    const f = callJson('function', String(id)) as { id: string | number; deviceId: string; attribute: string; type: string; meta: Record<string, string> };
    const h: Record<string, unknown> = Object.create(null);
    Object.assign(h, {
      id: f.id, type: f.type, attribute: f.attribute, deviceId: f.deviceId, meta: Object.freeze(Object.assign({}, f.meta)),
      currentValue: () => { const s = stateOf(f.deviceId, f.attribute); return s === null ? null : s.value; },
      currentState: () => stateOf(f.deviceId, f.attribute),
      set: (v: unknown) => {
        requireRun(`function ${f.id}.set()`);
        call('setFunction', String(f.id), JSON.stringify(v === undefined ? null : v));
      },
      toString: () => `${f.type} ${f.id}`,
      toJSON: () => (hasValue ? { id: f.id, value } : { id: f.id }),
    });
    Object.defineProperty(h, 'device', { get: () => deviceHandle(f.deviceId), enumerable: true });
    if (hasValue) h.value = value;
    Object.freeze(h);
    handleInfo.set(h, { kind: 'function', id: f.id });
    return h;
  };

  const notificationHandle = (id: unknown) => {
    const h = Object.freeze(Object.assign(Object.create(null), { id, toString: () => `notification output ${id}`, toJSON: () => id }));
    handleInfo.set(h, { kind: 'notification', id: id as string | number });
    return h;
  };

  // Settings come as JSON in which selector values are tagged ({"$device": id} and so on).
  const resolveTagged = (v: unknown): unknown => {
    if (Array.isArray(v)) return Object.freeze(v.map(resolveTagged));
    if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if ('$function' in o) return functionHandle(o.$function as string | number, o.value, 'value' in o);
      if ('$device' in o) {
        const dh = deviceHandle(String(o.$device));
        if (!('value' in o)) return dh;
        // A device chosen with a value: the device handle itself, carrying the value.
        const withValue = Object.create(dh) as Record<string, unknown>;
        Object.defineProperties(withValue, {
          value: { value: o.value, enumerable: true },
          device: { value: dh },
          toJSON: { value: () => ({ id: dh.id, label: dh.label, value: o.value }) },
        });
        Object.freeze(withValue);
        handleInfo.set(withValue, { kind: 'device', id: String(dh.id) });
        return withValue;
      }
      if ('$notification' in o) return notificationHandle(o.$notification);
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(o)) out[k] = resolveTagged(o[k]);
      return Object.freeze(out);
    }
    return v;
  };

  let settingsObj: unknown = Object.freeze({});
  let configObj: unknown = Object.freeze({});
  Object.defineProperty(G, 'settings', { get: () => settingsObj, configurable: false });
  Object.defineProperty(G, 'config', { get: () => configObj, configurable: false });

  // ---------------------------------------------------------------- location and app
  const location: Record<string, unknown> = Object.create(null);
  const locInfo = () => callJson('location') as { mode: string; modes: string[]; timeZone: string; latitude: number; longitude: number; name: string; temperatureScale: string; sunrise: number | null; sunset: number | null };
  Object.defineProperties(location, {
    mode: { get: () => locInfo().mode, enumerable: true },
    currentMode: { get: () => locInfo().mode },
    modes: { get: () => locInfo().modes.slice(), enumerable: true },
    timeZone: { get: () => locInfo().timeZone, enumerable: true },
    latitude: { get: () => locInfo().latitude, enumerable: true },
    longitude: { get: () => locInfo().longitude, enumerable: true },
    name: { get: () => locInfo().name, enumerable: true },
    temperatureScale: { get: () => locInfo().temperatureScale, enumerable: true },
    sunrise: { get: () => { const s = locInfo().sunrise; return s === null ? null : new RealDate(s); }, enumerable: true },
    sunset: { get: () => { const s = locInfo().sunset; return s === null ? null : new RealDate(s); }, enumerable: true },
    setMode: { value: (m: string) => { requireRun('location.setMode()'); call('setMode', String(m)); } },
    toString: { value: () => 'location' },
  });
  Object.freeze(location);
  handleInfo.set(location, { kind: 'location', id: 'location' });
  define('location', location);
  define('setLocationMode', (m: string) => (location.setMode as Function)(m));
  define('getSunriseAndSunset', (opts?: { sunriseOffset?: string | number; sunsetOffset?: string | number; date?: Date }) => {
    const r = callJson('sun', JSON.stringify(opts || {})) as { sunrise: number | null; sunset: number | null };
    return { sunrise: r.sunrise === null ? null : new RealDate(r.sunrise), sunset: r.sunset === null ? null : new RealDate(r.sunset) };
  });

  const appHandle: Record<string, unknown> = Object.freeze(Object.assign(Object.create(null), {
    id: appInfo.id, label: appInfo.label, name: appInfo.name, toString: () => appInfo.label,
  }));
  handleInfo.set(appHandle, { kind: 'app', id: appInfo.id });
  define('app', appHandle);

  // ---------------------------------------------------------------- subscriptions
  const targetsOf = (t: unknown): { kind: string; id: string | number }[] => {
    const list = Array.isArray(t) ? t : [t];
    return list.map((x) => {
      const info = x !== null && typeof x === 'object' ? handleInfo.get(x as object) : undefined;
      if (!info) throw new TypeError(`subscribe: ${fmt(x)} is not a device, function, location or app; pass a selector from settings, location or app`);
      return info;
    });
  };
  define('subscribe', (target: unknown, attrOrHandler: unknown, maybeHandler?: unknown) => {
    requireRun('subscribe()');
    let attr = '';
    let handler = maybeHandler;
    if (maybeHandler === undefined) handler = attrOrHandler;
    else attr = String(attrOrHandler);
    const ref = handlerRef(handler, 'subscribe');
    if (target === null || target === undefined) throw new TypeError('subscribe: the target is ' + String(target) + '; is the input configured?');
    for (const t of targetsOf(target)) call('subscribe', t.kind, String(t.id), attr, ref);
  });
  define('subscribeToCommand', (target: unknown, command: string, handler: unknown) => {
    requireRun('subscribeToCommand()');
    const ref = handlerRef(handler, 'subscribeToCommand');
    for (const t of targetsOf(target)) call('subscribeCommand', t.kind, String(t.id), String(command), ref);
  });
  define('unsubscribe', (target?: unknown) => {
    requireRun('unsubscribe()');
    if (target === undefined) call('unsubscribe', '', '');
    else for (const t of targetsOf(target)) call('unsubscribe', t.kind, String(t.id));
  });

  // ---------------------------------------------------------------- scheduling
  const dataJson = (opts: { data?: unknown } | undefined) => {
    if (!opts || opts.data === undefined) return '';
    const s = JSON.stringify(opts.data);
    if (s.length > 2500) throw new RangeError(`schedule data is ${s.length} characters; the limit is 2500`);
    return s;
  };
  define('runIn', (seconds: number, handler: unknown, opts?: { overwrite?: boolean; data?: unknown }) => {
    requireRun('runIn()');
    // Infinity would be saved as null (JSON) and fire at once after a worker restart.
    if (typeof seconds !== 'number' || !(seconds >= 0) || seconds === Infinity) throw new TypeError(`runIn: delay must be a finite number of seconds >= 0, got ${fmt(seconds)}`);
    call('runIn', seconds, handlerRef(handler, 'runIn'), !(opts && opts.overwrite === false), dataJson(opts));
  });
  define('runOnce', (when: unknown, handler: unknown, opts?: { overwrite?: boolean; data?: unknown }) => {
    requireRun('runOnce()');
    const at = when instanceof RealDate ? when.getTime() : typeof when === 'number' ? when : String(when);
    if (typeof at === 'number' && !Number.isFinite(at)) throw new TypeError(`runOnce: ${fmt(when)} is not a date; pass a Date, epoch ms or an ISO string`);
    call('runOnce', at, handlerRef(handler, 'runOnce'), !(opts && opts.overwrite === false), dataJson(opts));
  });
  define('schedule', (when: unknown, handler: unknown, opts?: { data?: unknown }) => {
    requireRun('schedule()');
    const spec = when instanceof RealDate ? when.getTime() : when;
    call('schedule', typeof spec === 'number' ? spec : String(spec), handlerRef(handler, 'schedule'), dataJson(opts));
  });
  for (const [name, minutes] of [['runEvery1Minute', 1], ['runEvery5Minutes', 5], ['runEvery10Minutes', 10], ['runEvery15Minutes', 15], ['runEvery30Minutes', 30], ['runEvery1Hour', 60], ['runEvery3Hours', 180]] as const) {
    define(name, (handler: unknown, opts?: { data?: unknown }) => {
      requireRun(name + '()');
      call('runEvery', minutes, handlerRef(handler, name), dataJson(opts));
    });
  }
  define('unschedule', (handler?: unknown) => {
    requireRun('unschedule()');
    call('unschedule', handler === undefined ? '' : handlerRef(handler, 'unschedule'));
  });
  define('canSchedule', () => call('canSchedule') as boolean);

  // ---------------------------------------------------------------- logging and notifications
  const logger = Object.create(null);
  for (const level of ['trace', 'debug', 'info', 'warn', 'error']) {
    logger[level] = (...args: unknown[]) => { call('log', level, args.map(fmt).join(' ')); };
  }
  define('log', Object.freeze(logger));
  const consoleObj = Object.create(null);
  for (const [k, level] of [['log', 'info'], ['info', 'info'], ['debug', 'debug'], ['warn', 'warn'], ['error', 'error'], ['trace', 'trace']]) consoleObj[k] = logger[level];
  define('console', Object.freeze(consoleObj));
  define('sendNotification', (output: unknown, message: unknown) => {
    requireRun('sendNotification()');
    const info = output !== null && typeof output === 'object' ? handleInfo.get(output as object) : undefined;
    const id = info ? info.id : output;
    if (typeof id !== 'number' && typeof id !== 'string') throw new TypeError(`sendNotification: the first argument must be a notification output (from a notification selector input) or its id, got ${fmt(output)}`);
    call('notify', String(id), typeof id, fmt(message));
  });
  const noTimers = (name: string) => () => { throw new Error(`${name} does not exist in SmartPlug apps; use runIn(seconds, handler) or schedule()`); };
  for (const n of ['setTimeout', 'setInterval', 'setImmediate']) define(n, noTimers(n));
  // Atomics.wait blocks the thread, where the execution guard cannot stop it, and every app with it.
  if (typeof Atomics === 'object') Object.defineProperty(Atomics, 'wait', { value: noTimers('Atomics.wait'), writable: false, configurable: false });

  // ---------------------------------------------------------------- web-service endpoints
  define('mappings', (routes: Record<string, unknown>) => {
    requireRun('mappings()');
    if (routes === null || typeof routes !== 'object') throw new TypeError('mappings: pass an object like { "GET /status": statusHandler }');
    const list: { route: string; handler: string }[] = [];
    for (const route of Object.keys(routes)) list.push({ route, handler: handlerRef(routes[route], 'mappings') });
    call('mappings', JSON.stringify(list));
  });
  const RENDER = '__smartplugRender';
  define('render', (opts: { status?: number; contentType?: string; data?: unknown }) => {
    const status = opts && opts.status !== undefined ? opts.status : 200;
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) throw new RangeError(`render: status must be an HTTP status code (100-599), got ${fmt(status)}`);
    return Object.freeze({ [RENDER]: true, status, contentType: (opts && opts.contentType) || 'application/json', data: opts ? opts.data : undefined });
  });
  define('httpError', (status: number, message: string) => {
    const e = new Error(message);
    (e as unknown as Record<string, unknown>).httpStatus = status;
    throw e;
  });

  // ---------------------------------------------------------------- child devices and apps
  define('addChildDevice', (id: string, spec: { label?: string; capabilities: string[]; attributes?: Record<string, unknown> }) => {
    requireRun('addChildDevice()');
    const newId = call('addChildDevice', String(id), JSON.stringify(spec || {})) as string;
    return deviceHandle(newId);
  });
  define('getChildDevices', () => (callJson('childDevices') as string[]).map(deviceHandle));
  define('getChildDevice', (id: string) => ((callJson('childDevices') as string[]).includes(String(id)) ? deviceHandle(String(id)) : null));
  define('deleteChildDevice', (id: string) => { requireRun('deleteChildDevice()'); call('deleteChildDevice', String(id)); deviceHandles.delete(String(id)); });

  const appRef = (info: { id: string; label: string; name: string }) => Object.freeze(Object.assign(Object.create(null), {
    id: info.id, label: info.label, name: info.name,
    invoke: (method: string, ...args: unknown[]) => {
      const r = call('invoke', info.id, String(method), JSON.stringify(args)) as string;
      return r === '' ? undefined : JSON.parse(r);
    },
    toString: () => info.label,
  }));
  define('addChildApp', (appName: string, label: string, childConfig?: Record<string, unknown>) => {
    requireRun('addChildApp()');
    return appRef(callJson('addChildApp', String(appName), String(label), JSON.stringify(childConfig || {})) as { id: string; label: string; name: string });
  });
  define('getChildApps', () => (callJson('childApps') as { id: string; label: string; name: string }[]).map(appRef));
  define('getChildAppByLabel', (label: string) => {
    const found = (callJson('childApps') as { id: string; label: string; name: string }[]).find((c) => c.label === label);
    return found ? appRef(found) : null;
  });
  define('deleteChildApp', (id: string) => { requireRun('deleteChildApp()'); call('deleteChildApp', String(id)); });
  Object.defineProperty(G, 'parent', {
    get: () => { const p = callJson('parentApp') as { id: string; label: string; name: string } | null; return p === null ? null : appRef(p); },
    configurable: false,
  });

  // ---------------------------------------------------------------- state
  let stateObj: Record<string, unknown> = {};
  let stateText = '{}';
  Object.defineProperty(G, 'state', {
    get: () => stateObj,
    set: () => { throw new TypeError('state cannot be replaced; set its properties instead (state.count = 1)'); },
    configurable: false,
  });
  const STATE_LIMIT = 100000;
  // Persisted only when the execution ends and only if it changed, as SmartThings does.
  const finish = (): 0 | string => {
    let s: string;
    try {
      s = JSON.stringify(stateObj);
    } catch (e) {
      call('error', 'state could not be saved: ' + fmt(e), '', 'state');
      return 0;
    }
    if (s === stateText) return 0;
    if (s.length > STATE_LIMIT) {
      call('error', `state is ${s.length} characters of JSON; the limit is ${STATE_LIMIT}. It was not saved`, '', 'state');
      stateObj = JSON.parse(stateText);
      return 0;
    }
    stateText = s;
    // The next execution sees what was saved, as it would after a restart: a Date becomes its text now.
    stateObj = JSON.parse(s);
    return s;
  };

  // ---------------------------------------------------------------- executions
  const report = (execId: number, e: unknown) => {
    const err = e as { message?: unknown; stack?: unknown; httpStatus?: unknown } | null;
    const message = err && typeof err === 'object' && 'message' in err ? String(err.message) : fmt(e);
    const stack = err && typeof err === 'object' && typeof err.stack === 'string' ? err.stack : '';
    call('error', message, stack, String(execId));
  };
  const settle = (execId: number, result: unknown): 0 | 1 | string => {
    if (result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function') {
      (result as Promise<unknown>).then(
        () => { call('asyncDone', execId, finish()); },
        (e) => { report(execId, e); call('asyncDone', execId, finish()); },
      );
      return 1;
    }
    return finish();
  };
  const run = (execId: number, fn: () => unknown): 0 | 1 | string => {
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

  // Typed accessors live on one shared prototype; each event is a frozen own-properties object.
  const num = (value: unknown) => {
    const n = Number(value);
    if (value === null || value === '' || Number.isNaN(n)) throw new TypeError(`event value ${fmt(value)} is not a number`);
    return n;
  };
  const eventProto = Object.freeze(Object.create(null, {
    stringValue: { get() { const v = (this as { value: unknown }).value; return v === null || v === undefined ? null : String(v); } },
    numericValue: { get() { return num((this as { value: unknown }).value); } },
    numberValue: { get() { return num((this as { value: unknown }).value); } },
    doubleValue: { get() { return num((this as { value: unknown }).value); } },
    floatValue: { get() { return num((this as { value: unknown }).value); } },
    integerValue: { get() { return Math.trunc(num((this as { value: unknown }).value)); } },
    longValue: { get() { return Math.trunc(num((this as { value: unknown }).value)); } },
    jsonValue: { get() { const v = (this as { value: unknown }).value; return typeof v === 'string' ? JSON.parse(v) : v; } },
    dateValue: { get() { const d = new RealDate(String((this as { value: unknown }).value)); return Number.isNaN(d.getTime()) ? null : d; } },
    isPhysical: { value() { return (this as { source: unknown }).source === 'DEVICE'; } },
    isDigital: { value() { return (this as { source: unknown }).source !== 'DEVICE'; } },
    toString: { value() { return (this as { descriptionText: string }).descriptionText; } },
  }));
  const makeEvent = (fields: Record<string, unknown>) => Object.freeze(Object.assign(Object.create(eventProto), fields, { isStateChange: fields.isStateChange === true }));

  const controls: SandboxControls = {
    setDeadline: (d) => { deadline = d; },
    setNamedFunctions: (table) => { named = table; },
    setState: (json) => { stateText = json; stateObj = JSON.parse(json); },
    setSettings: (settingsJson, cfgJson) => {
      deviceHandles.clear();
      settingsObj = resolveTagged(JSON.parse(settingsJson));
      configObj = Object.freeze(JSON.parse(cfgJson));
    },
    setPhase: (p) => { phase = p; },
    runDevice: (execId, handler, name, value, unit, deviceId, functionId, date, isStateChange, source) =>
      run(execId, () => {
        const device = deviceHandle(deviceId);
        const evt = makeEvent({
          name, value, unit, device, deviceId, functionId, date: new RealDate(date), isoDate: new RealDate(date).toISOString(),
          displayName: device.label, descriptionText: `${device.label} ${name} is ${value}${unit ? ' ' + unit : ''}`, isStateChange, source,
        });
        return resolveHandler(handler)(evt);
      }),
    runLocation: (execId, handler, name, value, date) =>
      run(execId, () => resolveHandler(handler)(makeEvent({
        name, value, date: new RealDate(date), isoDate: new RealDate(date).toISOString(), location, displayName: 'location',
        descriptionText: `location ${name} is ${value}`, isStateChange: true, source: 'LOCATION',
      }))),
    runTouch: (execId, handler, date) =>
      run(execId, () => resolveHandler(handler)(makeEvent({
        name: 'touch', value: 'touched', date: new RealDate(date), isoDate: new RealDate(date).toISOString(), app: appHandle,
        displayName: appInfo.label, descriptionText: `${appInfo.label} was touched`, isStateChange: true, source: 'USER',
      }))),
    runScheduled: (execId, handler, dJson) => run(execId, () => resolveHandler(handler)(dJson === '' ? undefined : JSON.parse(dJson))),
    runLifecycle: (execId, name, argJson) => run(execId, () => {
      const f = named[name];
      if (typeof f !== 'function') return undefined;
      return argJson === '' ? f() : f(resolveTagged(JSON.parse(argJson)));
    }),
    runEndpoint: (execId, handler, requestJson) => {
      let response = '';
      const outcome = run(execId, () => {
        try {
          const r = resolveHandler(handler)(JSON.parse(requestJson));
          if (r !== null && typeof r === 'object' && typeof (r as { then?: unknown }).then === 'function') throw new TypeError('web-service handlers must return a value, not a Promise');
          const rendered = r !== null && typeof r === 'object' && (r as Record<string, unknown>)[RENDER] === true;
          response = JSON.stringify(rendered ? r : { data: r === undefined ? null : r });
        } catch (e) {
          const status = e !== null && typeof e === 'object' && typeof (e as { httpStatus?: unknown }).httpStatus === 'number' ? (e as { httpStatus: number }).httpStatus : 0;
          if (status) response = JSON.stringify({ error: String((e as Error).message), status });
          else throw e;
        }
        return undefined;
      });
      call('endpointResponse', execId, response);
      return outcome;
    },
    invoke: (execId, name, argsJson) => {
      const f = named[name];
      if (typeof f !== 'function') throw new Error(`app ${appInfo.label} has no function "${name}"`);
      void execId;
      // A stop left over from this app's last (timed-out) execution must not fail this one; a stop
      // of an execution of this app still under way (invoked back) stays in force.
      const wasTripped = tripped;
      ticks = 0;
      tripped = false;
      try {
        const r = f(...(JSON.parse(argsJson) as unknown[]));
        return r === undefined ? '' : JSON.stringify(r);
      } finally {
        tripped = tripped || wasTripped;
      }
    },
    takeState: () => finish(),
    hasFunction: (name) => typeof named[name] === 'function',
    guardTrips: () => trips,
  };
  return controls;
}
