/**
 * The JS Shell's evaluations (runtime/engine/shell-eval.ts): an expression in an app's context or
 * the Thing's shell context, formatted in the context's realm, every failure a result with error
 * text, and the sandbox's walls standing for both.
 */
import assert from 'node:assert/strict';
import type { InputSpec } from '../../../runtime/app';
import { SHELL_CONTEXT_ID } from '../../../runtime/engine/app-ids';
import type { EvalResult } from '../../../runtime/engine/shell-eval';
import { SmartPlugRuntime } from '../../../runtime/host/runtime';
import { assertFreshDist } from '../../support/fresh-dist';
import { addStandardDevices, LAMP, DOOR, makeThing, src, type TestThing } from '../engine/engine-helpers';

const INPUTS: Record<string, InputSpec> = { door: { type: 'single_device_selector', name: 'Door' }, lamp: { type: 'single_device_selector', name: 'Lamp' } };
const DOOR_APP = `
function installed() { subscribe(settings.door, "contact.open", onOpen) }
function onOpen(evt) { state.opens = (state.opens || 0) + 1; log.info("opened " + state.opens) }
function twice(n) { return n * 2 }
`;
const NO_CODEGEN = 'EvalError: Code generation from strings disallowed for this context';

function value(r: EvalResult): string {
  assert.ok(r.ok, `expected a value, got the error ${!r.ok ? r.error : ''}`);
  return r.result;
}
function error(r: EvalResult): string {
  assert.ok(!r.ok, `expected an error, got the value ${r.ok ? r.result : ''}`);
  return r.error;
}

describe('JS Shell evaluations', () => {
  let t: TestThing;
  let appId: string;
  const shell = { shell: true } as const;

  beforeEach(() => {
    t = makeThing({ cpuLimitMs: 150 });
    addStandardDevices(t.engine);
    appId = t.engine.install({ source: src(DOOR_APP, INPUTS), config: { door: 'door', lamp: 'lamp' } }).id;
  });

  it('formats values in the context: primitives, objects, arrays, maps, errors, functions, cycles, depth and length', () => {
    const ev = (e: string) => value(t.engine.evaluate(shell, e));
    assert.equal(ev('1+1'), '2');
    assert.equal(ev('"a\'b\\n"'), "'a\\'b\\n'");
    assert.equal(ev('-0'), '-0');
    assert.equal(ev('10n ** 20n'), '100000000000000000000n');
    assert.equal(ev('undefined'), 'undefined');
    assert.equal(ev('null'), 'null');
    assert.equal(ev('({ a: 1, "b c": [1, "x", { d: true }], [Symbol("s")]: 2 })'), "{ a: 1, 'b c': [ 1, 'x', { d: true } ], [Symbol(s)]: 2 }");
    assert.equal(ev('new Map([["k", 1]])'), "Map(1) { 'k' => 1 }");
    assert.equal(ev('new Set([1, 2])'), 'Set(2) { 1, 2 }');
    assert.equal(ev('function named() {}; named'), '[Function: named]');
    assert.equal(ev('new RangeError("too far")'), 'RangeError: too far');
    assert.equal(ev('new Date(0)'), '1970-01-01T00:00:00.000Z');
    assert.equal(ev('/a+/g'), '/a+/g');
    assert.equal(ev('class Point { constructor() { this.x = 1 } }; new Point()'), 'Point { x: 1 }');
    assert.equal(ev('const o = { name: "o" }; o.self = o; o'), "{ name: 'o', self: [Circular] }");
    assert.equal(ev('({ a: { b: { c: { d: { e: { f: 1 } } } } } })'), '{ a: { b: { c: { d: [Object] } } } }');
    assert.equal(ev('({ get g() { throw new Error("never read") } })'), '{ g: [Getter] }');
    assert.match(ev('Array.from({ length: 150 }, (_, i) => i)'), /^\[ 0, 1, 2, .* 99, \.\.\. 50 more \]$/);
    assert.match(ev('new Map(Array.from({ length: 300 }, (_, i) => [i, i]))'), /^Map\(300\) \{ 0 => 0, .* 99 => 99, \.\.\. 200 more \}$/);
    assert.match(ev('new Set(Array.from({ length: 2e4 }, (_, i) => i))'), /^Set\(20000\) \{ 0, 1, .* 99, \.\.\. 19900 more \}$/);
    const long = ev('Array.from({ length: 100 }, () => "x".repeat(1000))');
    assert.ok(long.length < 20_000, `bounded: ${long.length} characters`);
    // The completion value of several statements; declarations do not leak into the next evaluation.
    assert.equal(ev('let x = 2; x * 3'), '6');
    assert.equal(ev('typeof x'), "'undefined'");
  });

  it('reports a syntax error with its place, and a `with` statement refused as in app.js', () => {
    assert.equal(error(t.engine.evaluate(shell, '1 +')), 'SyntaxError: Unexpected token (shell:1:4)');
    assert.equal(error(t.engine.evaluate({ appId }, 'state.\n)')), 'SyntaxError: Unexpected token (shell:2:1)');
    assert.match(error(t.engine.evaluate(shell, 'with (Math) { PI }')), /^with statements are not allowed .* \(shell:1:1\); name the object instead/);
    assert.match(error(t.engine.evaluate(shell, '__spg = 1')), /the name __spg is reserved/);
  });

  it('returns what was thrown as error text, never a host object', () => {
    assert.equal(error(t.engine.evaluate(shell, 'nope()')), 'ReferenceError: nope is not defined');
    assert.equal(error(t.engine.evaluate(shell, 'throw { code: 7 }')), 'Uncaught { code: 7 }');
    assert.equal(error(t.engine.evaluate({ appId }, 'twice.call(null, Symbol())')), 'TypeError: Cannot convert a Symbol value to a number');
    // A value that throws while it is formatted (a proxy's trap) is shown as such.
    assert.match(value(t.engine.evaluate(shell, 'new Proxy({}, { ownKeys() { throw new Error("no keys") } })')), /could not be read: Error: no keys/);
    assert.equal(t.rec.errors.length, 0, 'a shell error is the caller\'s, not an app error');
  });

  it('stops a runaway loop at the CPU limit, with an error, and the apps keep running', () => {
    const r = t.engine.evaluate({ appId }, 'while (true) {}');
    assert.equal(error(r), "stopped after 150 ms of CPU time (a runaway loop?); the Thing's apps keep running");
    assert.ok(r.durationMs >= 140 && r.durationMs < 1500, `stopped at ${r.durationMs} ms`);
    assert.match(error(t.engine.evaluate(shell, 'function f() { for (;;) {} } try { f() } catch (e) {} for (;;) {}')), /^stopped after 150 ms/);
    assert.match(error(t.engine.evaluate(shell, '(function r() { r() })()')), /RangeError: Maximum call stack size exceeded/);
    t.engine.deviceEvent('door', 'contact', 'open');
    assert.deepEqual(t.appLogs(appId), ['opened 1']);
    assert.equal(value(t.engine.evaluate({ appId }, 'state.opens')), '1');
  });

  for (const where of ['the shell context', 'an app context'] as const) {
    it(`keeps the sandbox's walls in ${where}`, () => {
      const target = where === 'the shell context' ? shell : { appId };
      const ev = (e: string) => t.engine.evaluate(target, e);
      assert.equal(error(ev('this.constructor.constructor("return process")()')), NO_CODEGEN);
      assert.equal(error(ev('globalThis.constructor.constructor("return process")()')), NO_CODEGEN);
      assert.equal(error(ev('log.info.constructor("return process")()')), NO_CODEGEN);
      assert.equal(error(ev('(() => {}).constructor("return process")()')), NO_CODEGEN);
      assert.equal(error(ev('eval("1")')), NO_CODEGEN);
      assert.equal(value(ev('typeof process + " " + typeof require + " " + typeof module')), "'undefined undefined undefined'");
      // What runShell's caller might leak: the stack has no host frames a script can reach.
      assert.equal(value(ev('Error.prepareStackTrace')), 'undefined');
      // The stack-trace hook that would hand out the host's frames cannot be set: stacks stay text.
      assert.equal(value(ev('Error.prepareStackTrace = (e, s) => s; typeof new Error().stack')), "'string'");
      assert.equal(value(ev('Error.prepareStackTrace = (e, s) => s; typeof Error.prepareStackTrace')), "'undefined'");
      assert.equal(error(ev('(function () { "use strict"; Error.prepareStackTrace = (e, s) => s })()')), "TypeError: Cannot assign to read only property 'prepareStackTrace' of function 'function Error() { [native code] }'");
      // A sloppy function called from the expression: its caller is none, not the host's runShell.
      assert.equal(value(ev('(function () { return arguments.callee.caller })()')), 'null');
    });
  }

  it('sees and changes an app\'s state, which is saved as a handler\'s change is', () => {
    t.engine.deviceEvent('door', 'contact', 'open');
    t.engine.deviceEvent('door', 'contact', 'closed');
    t.engine.deviceEvent('door', 'contact', 'open');
    assert.equal(value(t.engine.evaluate({ appId }, 'state.opens')), '2');
    assert.equal(value(t.engine.evaluate({ appId }, 'settings.door.label + " / " + twice(21)')), "'Front door / 42'");
    const before = t.rec.persists.length;
    assert.equal(value(t.engine.evaluate({ appId }, 'state.opens = 40; state.note = "set from the shell"; state')), "{ opens: 40, note: 'set from the shell' }");
    const saved = t.rec.persists.slice(before).map((p) => JSON.parse(p.snapshot.state));
    assert.deepEqual(saved.at(-1), { opens: 40, note: 'set from the shell' }, 'persisted at the end of the evaluation');
    t.engine.deviceEvent('door', 'contact', 'closed');
    t.engine.deviceEvent('door', 'contact', 'open');
    assert.deepEqual((t.engine.appInfo(appId).state as { opens: number }).opens, 41);
  });

  it('logs come back as the app\'s log records, flagged as the shell\'s; executions count against the rate limit', () => {
    const r = t.engine.evaluate({ appId }, 'log.info("from the shell", { n: 1 }); 5');
    assert.equal(value(r), '5');
    const line = t.rec.logs.find((l) => l.message === 'from the shell {"n":1}');
    assert.ok(line, 'logged');
    assert.equal(line.appId, appId);
    assert.equal(line.shell, true);
    const exec = t.rec.executions.find((e) => e.kind === 'shell');
    assert.equal(exec?.appId, appId);
    const limited = makeThing({ rateLimit: { executions: 2, windowMs: 60_000 } });
    assert.equal(value(limited.engine.evaluate(shell, '1')), '1');
    assert.equal(value(limited.engine.evaluate(shell, '2')), '2');
    assert.match(error(limited.engine.evaluate(shell, '3')), /rate limited \(2 executions in 60 s\)/);
  });

  it('the shell context reads the Thing\'s devices and location, and changes nothing', () => {
    assert.equal(value(t.engine.evaluate(shell, 'devices.lamp.currentValue("switch")')), "'off'");
    assert.equal(value(t.engine.evaluate(shell, 'Object.keys(devices).join()')), "'door,lamp,lamp2,lock,button,thermo,motion'");
    assert.equal(value(t.engine.evaluate(shell, 'location.mode')), "'Home'");
    assert.match(error(t.engine.evaluate(shell, 'devices.lamp.on()')), /^Error: not available in the Thing's shell context, which only reads/);
    assert.match(error(t.engine.evaluate(shell, 'location.setMode("Away")')), /not available in the Thing's shell context/);
    assert.match(error(t.engine.evaluate(shell, 'subscribe(devices.door, "contact", () => 1)')), /not available in the Thing's shell context/);
    assert.equal(t.rec.commands.length, 0);
    assert.equal(t.engine.location.mode, 'Home');
    t.engine.addDevice({ id: 'porch', label: 'Porch', capabilities: ['switch'] });
    assert.equal(value(t.engine.evaluate(shell, 'devices.porch.label')), "'Porch'", 'a device added later is seen');
    // Its log lines are the shell context's.
    t.engine.evaluate(shell, 'log.warn("hello")');
    assert.equal(t.rec.logs.find((l) => l.message === 'hello')?.appId, SHELL_CONTEXT_ID);
    // An app id that is not installed is said so.
    assert.equal(error(t.engine.evaluate({ appId: 'nope-1' }, '1')), `no installed app with id "nope-1"; installed: ${appId}`);
    void DOOR;
  });

  describe('through a worker process', function () {
    this.timeout(30_000);
    let rt: SmartPlugRuntime;
    before(async () => {
      assertFreshDist();
      rt = await SmartPlugRuntime.start({ clock: 'virtual', start: Date.UTC(2024, 0, 1), cpuLimitMs: 200 });
      for (const d of [DOOR, LAMP]) await rt.addDevice(d);
    });
    after(async () => rt?.close());

    it('evaluates in an app and in the shell context; only strings cross; the app keeps its state after a runaway', async () => {
      const info = await rt.install({ source: src(DOOR_APP, INPUTS), config: { door: 'door', lamp: 'lamp' } });
      await rt.deviceEvent('door', 'contact', 'open');
      const logs: string[] = [];
      rt.on('log', (l) => l.shell && logs.push(`${l.appId}: ${l.message}`));
      const r = await rt.evaluate({ appId: info.id }, 'log.info("n=" + state.opens); state.opens');
      assert.deepEqual({ ...r, durationMs: 0 }, { ok: true, result: '1', durationMs: 0 });
      assert.deepEqual(logs, [`${info.id}: n=1`]);
      const stopped = await rt.evaluate({ shell: true }, 'for (;;) {}');
      assert.equal(stopped.ok, false);
      assert.match(!stopped.ok ? stopped.error : '', /^stopped after 200 ms/);
      assert.equal((await rt.evaluate({ shell: true }, 'devices.door.currentValue("contact")') as { result: string }).result, "'open'");
      await rt.deviceEvent('door', 'contact', 'closed');
      await rt.deviceEvent('door', 'contact', 'open');
      assert.deepEqual((await rt.appInfo(info.id)).state, { opens: 2 });
    });

    it('an expression the guard cannot stop (a catastrophic regular expression) is stopped by the warden, answered with an error and not run again', async () => {
      const [info] = await rt.listApps();
      const workerRecords: string[] = [];
      rt.on('worker', (w) => workerRecords.push(w.change));
      const r = await rt.evaluate({ shell: true }, '/(a+)+$/.test("a".repeat(40) + "b")');
      assert.equal(r.ok, false);
      assert.match(!r.ok ? r.error : '', /^the expression stopped the worker's engine thread past the CPU limit/);
      assert.deepEqual(workerRecords, ['engine-restarted']);
      assert.deepEqual(rt.quarantined(), []);
      // The apps were restored with their state, and run.
      await rt.deviceEvent('door', 'contact', 'closed');
      await rt.deviceEvent('door', 'contact', 'open');
      assert.deepEqual((await rt.appInfo(info.id)).state, { opens: 3 });
      assert.equal((await rt.evaluate({ shell: true }, '"still here"') as { result: string }).result, "'still here'");
    });
  });
});
