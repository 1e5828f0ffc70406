/**
 * Prelude part 3 (see core.ts; serialised, evaluated in the app's context): the script API's
 * functions: subscriptions, scheduling, logging and notifications, web-service endpoints, child
 * devices and child apps.
 */
import type { ApiKit, HandlesKit } from './types';

export function preludeApi(kit: HandlesKit): ApiKit {
  'use strict';
  const G = globalThis as unknown as Record<string, unknown>;
  const { call, callJson, fmt, define, stringify, parse, RealDate, requireRun, loading, handlerRef, handleInfo, deviceHandle, dropDeviceHandle } = kit;

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
    const s = stringify(opts.data);
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
  // V8's sort and toSorted first copy an array-like's `length` elements into one allocation: at
  // length 2e9 that allocation is fatal to the whole process, not an exception. Both are done here
  // on a copy of bounded size (the length read once); a longer one gets a RangeError.
  const MAX_SORT = 16777216;
  const realSort = Array.prototype.sort;
  const sortInput = (self: unknown, compare: unknown, what: string, keepHoles: boolean): { o: Record<number, unknown>; len: number; items: unknown[] } => {
    if (compare !== undefined && typeof compare !== 'function') throw new TypeError('The comparison function must be either a function or undefined');
    const o = Object(self) as Record<number, unknown> & { length?: unknown };
    const len = Math.min(Math.max(Math.trunc(Number(o.length)) || 0, 0), Number.MAX_SAFE_INTEGER);
    if (len > MAX_SORT) throw new RangeError(`${what}: ${len} elements are more than an app may sort at once (${MAX_SORT})`);
    const items: unknown[] = [];
    for (let i = 0; i < len; i++) if (!keepHoles || i in o) items.push(o[i]);
    realSort.call(items, compare as (a: unknown, b: unknown) => number);
    return { o, len, items };
  };
  const defineMethod = (name: string, fn: Function) => Object.defineProperty(Array.prototype, name, { value: fn, writable: true, enumerable: false, configurable: true });
  defineMethod('sort', function sort(this: unknown, compare?: unknown) {
    const { o, len, items } = sortInput(this, compare, 'sort', true);
    let i = 0;
    for (; i < items.length; i++) o[i] = items[i];
    // Holes go last, as sort leaves them.
    for (; i < len; i++) delete o[i];
    return o;
  });
  defineMethod('toSorted', function toSorted(this: unknown, compare?: unknown) {
    return sortInput(this, compare, 'toSorted', false).items;
  });

  // ---------------------------------------------------------------- web-service endpoints
  const declareRoutes = (routes: Record<string, unknown>) => {
    const list: { route: string; handler: string }[] = [];
    for (const route of Object.keys(routes)) list.push({ route, handler: handlerRef(routes[route], 'mappings') });
    call('mappings', stringify(list));
  };
  // The mappings *section* of a SmartApp (seed 001, "Anatomy & Life-Cycle of a SmartApp"):
  // mappings({ … }) at the top level of app.js declares the routes, as a SmartThings script
  // declares `mappings { … }`. Its handlers are looked up once the script's functions are known
  // (the end of the load phase), and a bad route is reported at the line of this call.
  let topLevelRoutes: { routes: Record<string, unknown>; site: Error } | undefined;
  define('mappings', (routes: Record<string, unknown>) => {
    if (routes === null || typeof routes !== 'object') throw new TypeError('mappings: pass an object like { "GET /status": statusHandler }');
    if (!loading()) {
      declareRoutes(routes);
      return;
    }
    if (topLevelRoutes) throw new Error('mappings: the top level of app.js already declared its mappings; put every route in one mappings({ … })');
    // Copied now: what the script does to its object afterwards is not the declaration.
    const copy: Record<string, unknown> = Object.create(null);
    for (const route of Object.keys(routes)) copy[route] = routes[route];
    topLevelRoutes = { routes: copy, site: new Error('mappings') };
  });
  const setPhase = kit.setPhase;
  kit.setPhase = (p) => {
    setPhase(p);
    const declared = topLevelRoutes;
    if (p !== 'run' || !declared) return;
    topLevelRoutes = undefined;
    try {
      declareRoutes(declared.routes);
    } catch (e) {
      // Reported where mappings() was called: the message is this error's, the place the call's.
      const err = new Error(e !== null && typeof e === 'object' && 'message' in e ? String((e as Error).message) : fmt(e));
      Object.defineProperty(err, 'stack', { value: declared.site.stack });
      throw err;
    }
  };
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
    const newId = call('addChildDevice', String(id), stringify(spec || {})) as string;
    return deviceHandle(newId);
  });
  define('getChildDevices', () => (callJson('childDevices') as string[]).map(deviceHandle));
  define('getChildDevice', (id: string) => ((callJson('childDevices') as string[]).includes(String(id)) ? deviceHandle(String(id)) : null));
  define('deleteChildDevice', (id: string) => { requireRun('deleteChildDevice()'); call('deleteChildDevice', String(id)); dropDeviceHandle(String(id)); });

  const appRef = (info: { id: string; label: string; name: string }) => Object.freeze(Object.assign(Object.create(null), {
    id: info.id, label: info.label, name: info.name,
    invoke: (method: string, ...args: unknown[]) => {
      const r = call('invoke', info.id, String(method), stringify(args)) as string;
      return r === '' ? undefined : parse(r);
    },
    toString: () => info.label,
  }));
  define('addChildApp', (appName: string, label: string, childConfig?: Record<string, unknown>) => {
    requireRun('addChildApp()');
    return appRef(callJson('addChildApp', String(appName), String(label), stringify(childConfig || {})) as { id: string; label: string; name: string });
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

  return Object.assign(kit, { RENDER });
}
