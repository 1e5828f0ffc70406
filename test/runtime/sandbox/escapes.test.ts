import assert from 'node:assert/strict';
import * as vm from 'node:vm';
import { API_GLOBALS } from '../../../runtime/sandbox/static-check';
import { addStandardDevices, makeThing, src, TestThing } from '../engine/engine-helpers';
import type { InputSpec } from '../../../runtime/app';

const INPUTS: Record<string, InputSpec> = { lamp: { type: 'single_device_selector', name: 'Lamp' } };
const NO_CODEGEN = 'EvalError: Code generation from strings disallowed for this context';

/**
 * Each attempt runs inside try/catch in the app; `attempt(name, fn)` records "name: <result or
 * error>" in state.r, so the test sees exactly how each one failed.
 */
const HARNESS = `
function attempt(name, fn) {
  var out;
  try { var v = fn(); out = v === undefined || v === null ? String(v) : typeof v === "object" || typeof v === "function" ? "got " + typeof v : String(v) }
  catch (e) { out = e && e.name ? e.name + ": " + e.message : "threw " + String(e) }
  state.r = (state.r || []).concat([name + ": " + out]);
}
`;

describe('AppSandbox escapes (each fails and is harmless)', () => {
  let t: TestThing;
  beforeEach(() => {
    t = makeThing();
    addStandardDevices(t.engine);
  });

  /** Runs `body` in installed() and in a device handler (where an event object exists); returns state.r. */
  function run(body: string, where: 'installed' | 'event' = 'installed'): string[] {
    const script = where === 'installed'
      ? `function installed() {\n${body}\n}\n${HARNESS}`
      : `function installed() { subscribe(settings.lamp, "switch", onSwitch) }\nfunction onSwitch(evt) {\n${body}\n}\n${HARNESS}`;
    const id = t.engine.install({ source: src(script, INPUTS), config: { lamp: 'lamp' } }).id;
    if (where === 'event') t.engine.deviceEvent('lamp', 'switch', 'on');
    assert.deepEqual(t.rec.errors.map((e) => e.message), []);
    return (t.engine.appInfo(id).state as { r: string[] }).r;
  }

  it('this.constructor.constructor("return process")() is refused', () => {
    assert.deepEqual(run(`attempt("this", function () { return this.constructor.constructor("return process")() }.bind(this));
attempt("global", function () { return globalThis.constructor.constructor("return process")() })`), [`this: ${NO_CODEGEN}`, `global: ${NO_CODEGEN}`]);
  });

  it('the same through a device handle, a function, log, location, Date and app', () => {
    assert.deepEqual(run(`attempt("handle", function () { return settings.lamp.constructor.constructor("return process")() });
attempt("command", function () { return settings.lamp.on.constructor("return process")() });
attempt("log", function () { return log.info.constructor("return process")() });
attempt("location", function () { return location.constructor });
attempt("Date", function () { return Date.constructor("return process")() });
attempt("app", function () { return Object.getPrototypeOf(app) });
attempt("handleProto", function () { return Object.getPrototypeOf(settings.lamp) })`), [
      "handle: TypeError: Cannot read properties of undefined (reading 'constructor')",
      `command: ${NO_CODEGEN}`,
      `log: ${NO_CODEGEN}`,
      'location: undefined',
      `Date: ${NO_CODEGEN}`,
      'app: null',
      'handleProto: null',
    ]);
  });

  it('the same through an event object', () => {
    assert.deepEqual(run(`attempt("evt", function () { return evt.constructor });
attempt("evtProto", function () { return Object.getPrototypeOf(Object.getPrototypeOf(evt)) });
attempt("evtDevice", function () { return evt.device.off.constructor("return process")() });
attempt("evtDate", function () { return evt.date.constructor.constructor("return process")() });
attempt("evtFrozen", function () { "use strict"; evt.value = "hacked" })`, 'event'), [
      'evt: undefined',
      'evtProto: null',
      `evtDevice: ${NO_CODEGEN}`,
      `evtDate: ${NO_CODEGEN}`,
      "evtFrozen: TypeError: Cannot assign to read only property 'value' of object '[object Object]'",
    ]);
  });

  it('the same through an error thrown by the runtime and caught in the script', () => {
    assert.deepEqual(run(`var caught;
try { settings.lamp.setLevel(500) } catch (e) { caught = e }
attempt("message", function () { return caught.message.slice(0, 25) });
attempt("ctor", function () { return caught.constructor.constructor("return process")() });
attempt("proto", function () { return Object.getPrototypeOf(caught) === Error.prototype });
attempt("stack", function () { return typeof caught.stack })`), [
      "message: Device 'Hall lamp' (lamp)",
      `ctor: ${NO_CODEGEN}`,
      'proto: true',
      'stack: string',
    ]);
  });

  it('Error.prepareStackTrace tricks never hand out stack frames', () => {
    assert.deepEqual(run(`var E = Error;
var hook = function (e, frames) { return frames };
attempt("assign", function () { "use strict"; Error.prepareStackTrace = hook });
attempt("define", function () { Object.defineProperty(Error, "prepareStackTrace", { value: hook }) });
attempt("replaceError", function () { "use strict"; globalThis.Error = { prepareStackTrace: hook } });
attempt("redefineError", function () { Object.defineProperty(globalThis, "Error", { get: function () { return { prepareStackTrace: hook } } }) });
attempt("subclass", function () { class MyError extends E {} MyError.prepareStackTrace = hook; return typeof new MyError("x").stack });
attempt("capture", function () { var o = {}; E.captureStackTrace(o); return typeof o.stack });
attempt("stack", function () { return typeof new E("x").stack });
attempt("sameError", function () { return Error === E })`), [
      "assign: TypeError: Cannot assign to read only property 'prepareStackTrace' of function 'function Error() { [native code] }'",
      'define: TypeError: Cannot redefine property: prepareStackTrace',
      "replaceError: TypeError: Cannot assign to read only property 'Error' of object '[object global]'",
      'redefineError: TypeError: Cannot redefine property: Error',
      'subclass: string',
      'capture: string',
      'stack: string',
      'sameError: true',
    ]);
  });

  it('Function, eval, WebAssembly and the other code generators are refused', () => {
    assert.deepEqual(run(`attempt("Function", function () { return Function("return process")() });
attempt("newFunction", function () { return new Function("return 1")() });
attempt("async", function () { return (async function () {}).constructor("return process")() });
attempt("generator", function () { return (function* () {}).constructor("return process")() });
attempt("eval", function () { return eval("1 + 1") });
attempt("indirectEval", function () { return (0, eval)("1 + 1") });
attempt("wasm", function () { return new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])) })`), [
      `Function: ${NO_CODEGEN}`,
      `newFunction: ${NO_CODEGEN}`,
      `async: ${NO_CODEGEN}`,
      `generator: ${NO_CODEGEN}`,
      `eval: ${NO_CODEGEN}`,
      `indirectEval: ${NO_CODEGEN}`,
      'wasm: CompileError: WebAssembly.Module(): Wasm code generation disallowed by embedder',
    ]);
  });

  it('Node globals do not exist: require, process, module, Buffer, global, fetch', () => {
    assert.deepEqual(run(`attempt("require", function () { return require("fs") });
attempt("process", function () { return process.env });
attempt("module", function () { return module });
attempt("types", function () { return [typeof Buffer, typeof global, typeof fetch, typeof queueMicrotask, typeof __dirname].join(",") })`), [
      'require: ReferenceError: require is not defined',
      'process: ReferenceError: process is not defined',
      'module: ReferenceError: module is not defined',
      'types: undefined,undefined,undefined,undefined,undefined',
    ]);
  });

  it('dynamic import() is refused', async () => {
    const id = t.engine.install({ source: src('async function installed() { try { await import("fs"); state.r = "imported" } catch (e) { state.r = e.code } }'), config: {} }).id;
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(t.engine.appInfo(id).state, { r: 'ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING' });
  });

  it('globalThis holds only the JavaScript built-ins, the SmartPlug API and the script\'s own functions', () => {
    const builtins = new Set(vm.runInNewContext('Object.getOwnPropertyNames(globalThis)') as string[]);
    const id = t.engine.install({
      source: src('function installed() { state.names = Object.getOwnPropertyNames(globalThis); state.keys = Object.keys(globalThis) }\nfunction myHandler() {}\nvar myVar = 1;'),
      config: {},
    }).id;
    const { names, keys } = t.engine.appInfo(id).state as { names: string[]; keys: string[] };
    const extra = names.filter((n) => !builtins.has(n)).sort();
    const expected = [...API_GLOBALS.filter((n) => !builtins.has(n)), '__spg', 'installed', 'myHandler', 'myVar'].sort();
    assert.deepEqual(extra, expected);
    // The API is not enumerable: enumerating the global shows only what the script defined.
    assert.deepEqual(keys.sort(), ['installed', 'myHandler', 'myVar']);
    for (const n of ['process', 'require', 'Buffer', 'module', 'exports', 'global']) assert.ok(!names.includes(n), n);
  });

  it('every API global is pinned (non-writable, non-configurable) and listed in API_GLOBALS', () => {
    const builtins = new Set(vm.runInNewContext('Object.getOwnPropertyNames(globalThis)') as string[]);
    const id = t.engine.install({
      source: src(`function installed() {
  state.pinned = Object.getOwnPropertyNames(globalThis).filter(function (n) {
    var d = Object.getOwnPropertyDescriptor(globalThis, n);
    return !d.configurable && (d.writable === false || (d.get && !d.set) || d.set) && n !== "undefined" && n !== "NaN" && n !== "Infinity";
  });
}`),
      config: {},
    }).id;
    const pinned = (t.engine.appInfo(id).state as { pinned: string[] }).pinned.filter((n) => n !== '__spg');
    assert.deepEqual([...pinned].sort(), [...API_GLOBALS].sort());
    assert.ok(API_GLOBALS.includes('Date') && builtins.has('Date'));
  });

  it('timers do not exist and say what to use instead; Atomics.wait cannot block the thread', () => {
    assert.deepEqual(run(`attempt("setTimeout", function () { return setTimeout(function () {}, 10) });
attempt("setInterval", function () { return setInterval(function () {}, 10) });
attempt("setImmediate", function () { return setImmediate(function () {}) });
attempt("wait", function () { return Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0) })`), [
      'setTimeout: Error: setTimeout does not exist in SmartPlug apps; use runIn(seconds, handler) or schedule()',
      'setInterval: Error: setInterval does not exist in SmartPlug apps; use runIn(seconds, handler) or schedule()',
      'setImmediate: Error: setImmediate does not exist in SmartPlug apps; use runIn(seconds, handler) or schedule()',
      'wait: Error: Atomics.wait does not exist in SmartPlug apps; use runIn(seconds, handler) or schedule()',
    ]);
  });

  it('state and the API globals cannot be overridden', () => {
    assert.deepEqual(run(`attempt("state", function () { state = { hacked: true } });
attempt("strictAssign", function () { "use strict"; runIn = function () {} });
attempt("sloppyAssign", function () { subscribe = 1; return typeof subscribe });
attempt("define", function () { Object.defineProperty(globalThis, "log", { value: 1 }) });
attempt("delete", function () { return delete globalThis.settings });
attempt("settings", function () { settings = {}; return typeof settings.lamp.on });
attempt("guard", function () { "use strict"; globalThis["__s" + "pg"] = function () {} })`), [
      'state: TypeError: state cannot be replaced; set its properties instead (state.count = 1)',
      "strictAssign: TypeError: Cannot assign to read only property 'runIn' of object '[object Object]'",
      'sloppyAssign: function',
      'define: TypeError: Cannot redefine property: log',
      'delete: false',
      'settings: function',
      "guard: TypeError: Cannot assign to read only property '__spg' of object '[object global]'",
    ]);
  });

  it('host code never becomes a caller a script can reach (arguments.callee.caller from values the host converts)', () => {
    t.engine.registerPackage(src(`function boom() {
  var e = {};
  Object.defineProperty(e, "message", { get: function () { state.callers = (state.callers || []).concat(String(arguments.callee.caller)); return "m" } });
  throw e;
}`, {}, 'kid'));
    const r = run(`var callers = [];
var probe = { valueOf: function () { callers.push(arguments.callee.caller); return 3 }, toString: function () { callers.push(arguments.callee.caller); return "3" } };
settings.lamp.events({ max: probe });
try { addChildDevice(probe, { capabilities: ["switch"] }) } catch (e) {}
try { sendNotification(probe, probe) } catch (e) {}
var kid = addChildApp("kid", "Kid", {});
attempt("invoke", function () { return kid.invoke("boom") });
attempt("callers", function () { return callers.length + " " + callers.filter(function (c) { return c !== null }).length })`);
    // Number(probe) in the host and String(probe) in the prelude; sendNotification refuses the probe first.
    assert.deepEqual(r, ['invoke: Error: Kid.boom() failed: m', 'callers: 2 0']);
    // The getter ran when the host read the error's message: its caller was hidden too.
    const kid = t.engine.listApps().find((a) => a.name === 'kid')!;
    assert.deepEqual(kid.state, { callers: ['null'] });
  });

  it('a script that pollutes its built-ins does not reach the host', () => {
    const polluter = t.engine.install({
      source: src(`function installed() {
Object.prototype.toJSON = function () { return "polluted" };
Array.prototype.push = function () { throw new Error("no push") };
JSON.parse = function () { return { hacked: true } };
String.prototype.slice = function () { return "hacked" };
state.n = 1 }`),
      config: {},
    }).id;
    // The polluted toJSON makes the state's JSON a string: the host refuses it rather than saving it.
    assert.deepEqual(t.rec.errors.map((e) => e.message), ['state must be saved as JSON of an object, but its JSON is a string (does it have a toJSON method?); it was not saved']);
    assert.deepEqual(t.engine.appInfo(polluter).state, {});
    assert.equal(JSON.stringify({ a: 1 }), '{"a":1}');
    assert.deepEqual([1].concat([2]), [1, 2]);
    // The runtime's own work inside the sandbox keeps working after the pollution.
    const id = t.engine.install({ source: src('function installed() { subscribe(app, onTouch) }\nfunction onTouch() { state.n = 1; log.info("touched", [1, 2]) }'), config: {} }).id;
    t.engine.touch(id);
    assert.deepEqual(t.engine.appInfo(id).state, { n: 1 });
    assert.deepEqual(t.appLogs(id), ['touched [1,2]']);
  });
});
