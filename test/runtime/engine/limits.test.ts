import assert from 'node:assert/strict';
import { addStandardDevices, fixture, FIXTURES, makeThing, SCRIPT_FILE, src, T0, TestThing } from './engine-helpers';
import type { InputSpec } from '../../../runtime/app';

const BUTTON_INPUT: Record<string, InputSpec> = { button: { type: 'single_device_selector', name: 'Button' } };

describe('ThingEngine limits', () => {
  describe('CPU guard', () => {
    let t: TestThing;
    beforeEach(() => {
      t = makeThing({ cpuLimitMs: 100 });
      addStandardDevices(t.engine);
    });

    /** An app whose button handler runs `body`; every press is counted first. */
    function install(body: string, extra = '') {
      return t.engine.install({
        source: src(`function installed() { subscribe(settings.button, "button", onPush) }
function onPush(evt) {
  state.pushes = (state.pushes || 0) + 1;
  if (evt.value === "pushed") {
    ${body}
  }
  log.info("done", evt.value);
}
${extra}`, BUTTON_INPUT),
        config: { button: 'button' },
      }).id;
    }

    function pushThenHold(id: string) {
      t.engine.deviceEvent('button', 'button', 'pushed');
      const stopped = t.rec.executions.at(-1)!;
      t.engine.deviceEvent('button', 'button', 'held');
      assert.deepEqual(t.appLogs(id), ['done held'], 'the app gets later events');
      return stopped;
    }

    const stoppedMessage = 'onPush: stopped after 100 ms of CPU time (a runaway loop?); the app keeps receiving later events';

    it('stops while(true){} and records a timeout; the app gets later events and keeps its state', () => {
      const id = install('while (true) {}');
      const stopped = pushThenHold(id);
      assert.equal(stopped.outcome, 'timeout');
      assert.equal(stopped.handler, 'onPush');
      assert.ok(stopped.durationMs >= 100 && stopped.durationMs < 5000, `stopped after ${stopped.durationMs} ms`);
      assert.deepEqual(t.rec.errors.map((e) => [e.handler, e.message, e.file, e.line]), [['onPush', stoppedMessage, SCRIPT_FILE, 5]]);
      assert.deepEqual(t.runtimeLogs('error'), [stoppedMessage]);
      assert.equal(t.rec.executions.at(-1)!.outcome, 'ok');
      assert.deepEqual(t.engine.appInfo(id).state, { pushes: 2 });
    });

    it('stops a loop inside try/catch that swallows the guard error', () => {
      const id = install('while (true) { try { while (true) {} } catch (e) { state.caught = String(e) } }');
      const stopped = pushThenHold(id);
      assert.equal(stopped.outcome, 'timeout');
      assert.deepEqual(t.engine.appInfo(id).state, { pushes: 2, caught: 'Error: SmartPlug: execution time limit exceeded (100 ms); the execution was stopped' });
    });

    it('stops a loop in a finally block and a loop calling a catching function', () => {
      const id = install('try { for (;;) {} } finally { do {} while (true) }');
      assert.equal(pushThenHold(id).outcome, 'timeout');
      const id2 = install('for (;;) spin()', 'function spin() { try { for (var i = 0; i < 10; i++) {} } catch (e) {} }');
      t.engine.deviceEvent('button', 'button', 'pushed');
      assert.equal(t.rec.executions.filter((e) => e.appId === id2).at(-1)!.outcome, 'timeout');
    });

    it('stops a generator that never ends and arrow functions that call each other forever', () => {
      const id = install('for (var x of count()) { state.last = x }', 'function* count() { var i = 0; while (true) yield i++ }');
      assert.equal(pushThenHold(id).outcome, 'timeout');
      const id2 = install('var f = () => g(); var g = () => { for (;;) f() }; f()');
      t.engine.deviceEvent('button', 'button', 'pushed');
      assert.equal(t.rec.executions.filter((e) => e.appId === id2).at(-1)!.outcome, 'error');
    });

    it('infinite recursion ends with a RangeError; the app gets later events', () => {
      const id = install('recurse(1)', 'function recurse(n) { return recurse(n + 1) + 1 }');
      const stopped = pushThenHold(id);
      assert.equal(stopped.outcome, 'error');
      assert.deepEqual(t.rec.errors.map((e) => [e.handler, e.message, e.line]), [['onPush', 'Maximum call stack size exceeded', 9]]);
    });

    it('infinite recursion that catches its own stack overflow is stopped', () => {
      const id = install('deep()', 'function deep() { try { deep() } catch (e) { deep() } }');
      const stopped = pushThenHold(id);
      assert.equal(stopped.outcome, 'timeout');
    });

    it('a runaway loop at the top level of app.js fails the install with a SourceError', () => {
      assert.throws(
        () => t.engine.install({ source: src('var n = 0;\nwhile (true) { n++ }\nfunction installed() {}'), config: {} }),
        (e: Error & { problems?: { code: string; line: number; message: string }[] }) => {
          assert.equal(e.name, 'SourceError');
          assert.equal(e.problems![0].code, 'script-load');
          assert.equal(e.problems![0].line, 2);
          assert.equal(e.problems![0].message, 'SmartPlug: execution time limit exceeded (100 ms); the execution was stopped');
          return true;
        },
      );
      assert.deepEqual(t.engine.listApps(), []);
    });

    it('an execution that stays under the limit is not stopped (a loop of a million iterations)', () => {
      const id = install('var s = 0; for (var i = 0; i < 1e6; i++) s += i; state.sum = s');
      t.engine.deviceEvent('button', 'button', 'pushed');
      assert.equal(t.rec.executions.at(-1)!.outcome, 'ok');
      assert.deepEqual(t.engine.appInfo(id).state, { pushes: 1, sum: 499999500000 });
    });

    it('a stop in the asynchronous rest of a handler is not blamed on the next execution', async () => {
      const id = install('state.async = true', 'async function onTouch() { await 0; while (true) {} }');
      t.engine.install({ source: src('function installed() {}'), config: {} });
      const app = t.engine.apps.get(id)!;
      // Subscribe the async handler from outside the script, as a touch handler.
      t.engine.subs.add({ appId: id, kind: 'app', target: id, attribute: '', handler: 'onTouch' });
      t.engine.touch(id);
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(app.sandbox.controls.guardTrips(), 1);
      assert.deepEqual(t.rec.errors.map((e) => [e.handler, e.message]), [['onTouch', 'onTouch: stopped after 100 ms of CPU time (a runaway loop?); the app keeps receiving later events']]);
      t.engine.deviceEvent('button', 'button', 'held');
      assert.deepEqual(t.rec.executions.filter((e) => e.appId === id).map((e) => [e.handler, e.outcome]), [['installed', 'ok'], ['onTouch', 'ok'], ['onPush', 'ok']]);
    });

    it('after a timeout, a parent can still invoke the app (the stop does not leak into the next call)', () => {
      t.engine.registerPackage(src(`function installed() { subscribe(app, onTouch) }
function onTouch() { while (true) {} }
function ping() { for (var i = 0; i < 5000; i++) {} return "pong" }`, {}, 'kid'));
      const parent = t.engine.install({
        source: src(`function installed() { state.kid = addChildApp("kid", "Kid", {}).id; subscribe(app, onTouch) }
function onTouch() { log.info(getChildApps()[0].invoke("ping")) }`, {}, 'parent'),
        config: {},
      }).id;
      const kid = t.engine.appInfo(parent).children[0];
      t.engine.touch(kid);
      assert.equal(t.rec.executions.filter((e) => e.appId === kid).at(-1)!.outcome, 'timeout');
      t.engine.touch(parent);
      assert.deepEqual(t.rec.errors.filter((e) => e.appId === parent), []);
      assert.deepEqual(t.appLogs(parent), ['pong']);
      assert.equal(t.rec.executions.filter((e) => e.appId === kid).at(-1)!.outcome, 'ok');
    });
  });

  describe('rate limit', () => {
    it('allows 250 executions per 60 s: the 251st is dropped and logged once; the next window works again', () => {
      const t = makeThing();
      addStandardDevices(t.engine);
      const id = t.engine.install({
        source: src('function installed() { subscribe(settings.button, "button", onPush) }\nfunction onPush() { state.n = (state.n || 0) + 1 }', BUTTON_INPUT),
        config: { button: 'button' },
      }).id;
      t.clock.advance(60_000); // past the window installed() opened: installed() counts too
      for (let i = 0; i < 260; i++) t.engine.deviceEvent('button', 'button', 'pushed');
      assert.deepEqual(t.engine.appInfo(id).state, { n: 250 });
      const outcomes = t.rec.executions.filter((e) => e.kind === 'event').map((e) => e.outcome);
      assert.equal(outcomes.filter((o) => o === 'ok').length, 250);
      assert.equal(outcomes.filter((o) => o === 'rate-limited').length, 10);
      assert.equal(outcomes.indexOf('rate-limited'), 250);
      const windowEnd = T0 + 60_000 + 60_000;
      assert.deepEqual(t.runtimeLogs(undefined, id), [`rate limited: 250 executions in 60 s reached; executions are dropped until ${new Date(windowEnd).toISOString()}`]);
      const limitedLog = t.rec.logs.find((l) => l.message.startsWith('rate limited'))!;
      assert.equal(limitedLog.level, 'error');
      assert.deepEqual(limitedLog.budget, { used: 250, limit: 250, windowEndsAt: windowEnd });
      assert.deepEqual(t.engine.appInfo(id).budget, { used: 250, limit: 250, windowEndsAt: windowEnd });

      t.clock.advanceTo(windowEnd);
      t.engine.deviceEvent('button', 'button', 'pushed');
      assert.deepEqual(t.engine.appInfo(id).state, { n: 251 });
      assert.deepEqual(t.runtimeLogs('warn', id), ['rate limit: 10 execution(s) were dropped in the last window']);
      assert.deepEqual(t.engine.appInfo(id).budget, { used: 1, limit: 250, windowEndsAt: windowEnd + 60_000 });
    });

    it('ends the endless event loop of the echo-loop app at the limit, and warns about it before it runs', () => {
      const t = makeThing();
      addStandardDevices(t.engine);
      const id = t.engine.install({ source: fixture('echo-loop'), config: { lamp: 'lamp' } }).id;
      const warning = t.runtimeLogs('warn', id);
      assert.equal(warning.length, 2);
      assert.equal(warning[0], `${FIXTURES}/echo-loop/app.js:7:27: warning: flip calls off(), which changes "switch", and this app subscribes flip to "switch" (line 3): each command can trigger the handler again, an endless event loop that ends in the rate limit Fix: subscribe to a value the handler does not produce (e.g. "switch.on"), subscribe to a different device, or check the current value before commanding [script-event-loop]`);
      assert.match(warning[1], /echo-loop\/app\.js:8:8: warning: flip calls on\(\), which changes "switch"/);
      t.engine.deviceEvent('lamp', 'switch', 'on');
      const events = t.rec.executions.filter((e) => e.kind === 'event');
      assert.equal(events.filter((e) => e.outcome === 'ok').length, 249, 'installed() was the first of the 250');
      assert.equal(events.at(-1)!.outcome, 'rate-limited');
      assert.equal(t.runtimeLogs('error', id).length, 1);
    });

    it('an invoke of a rate-limited app fails in the caller instead of returning nothing', () => {
      // The kid's budget of 3: its installed() and two pings.
      const t = makeThing({ rateLimit: { executions: 3, windowMs: 60_000 } });
      t.engine.registerPackage(src('function ping() { return "pong" }', {}, 'kid'));
      const parent = t.engine.install({
        source: src(`function installed() { addChildApp("kid", "Kid", {}); subscribe(app, onTouch) }
function onTouch() { var k = getChildApps()[0]; var r = []; for (var i = 0; i < 3; i++) { try { r.push(k.invoke("ping")) } catch (e) { r.push(e.message) } } state.r = r }`, {}, 'parent'),
        config: {},
      }).id;
      t.engine.touch(parent);
      assert.deepEqual(t.engine.appInfo(parent).state, { r: ['pong', 'pong', 'Kid.ping() was not run: Kid is rate limited; try again later'] });
    });

    it('can be turned off (rateLimit: false) and set per Thing', () => {
      const t = makeThing({ rateLimit: { executions: 2, windowMs: 1000 } });
      addStandardDevices(t.engine);
      const id = t.engine.install({ source: src('function installed() { subscribe(settings.button, "button", onPush) }\nfunction onPush() { state.n = (state.n || 0) + 1 }', BUTTON_INPUT), config: { button: 'button' } }).id;
      for (let i = 0; i < 5; i++) t.engine.deviceEvent('button', 'button', 'pushed');
      assert.deepEqual(t.engine.appInfo(id).state, { n: 1 }, 'installed() was the first of the 2');
      assert.deepEqual(t.runtimeLogs('error', id), [`rate limited: 2 executions in 1 s reached; executions are dropped until ${new Date(T0 + 1000).toISOString()}`]);

      const free = makeThing({ rateLimit: false });
      addStandardDevices(free.engine);
      const fid = free.engine.install({ source: src('function installed() { subscribe(settings.button, "button", onPush) }\nfunction onPush() { state.n = (state.n || 0) + 1 }', BUTTON_INPUT), config: { button: 'button' } }).id;
      for (let i = 0; i < 300; i++) free.engine.deviceEvent('button', 'button', 'pushed');
      assert.deepEqual(free.engine.appInfo(fid).state, { n: 300 });
      assert.equal(free.engine.appInfo(fid).budget.limit, Infinity);
    });
  });

  describe('isolation between apps', () => {
    it('one app that throws or loops never stops another', () => {
      const t = makeThing({ cpuLimitMs: 100 });
      addStandardDevices(t.engine);
      const bad = t.engine.install({
        source: src('function installed() { subscribe(settings.button, "button", onPush) }\nfunction onPush(e) { if (e.value === "held") while (true) {}; throw new Error("bad app") }', BUTTON_INPUT, 'bad'),
        config: { button: 'button' },
      }).id;
      const good = t.engine.install({
        source: src('function installed() { subscribe(settings.button, "button", onPush) }\nfunction onPush(e) { state.seen = (state.seen || []).concat(e.value); settings.button; }', BUTTON_INPUT, 'good'),
        config: { button: 'button' },
      }).id;
      t.engine.deviceEvent('button', 'button', 'pushed');
      t.engine.deviceEvent('button', 'button', 'held');
      t.engine.deviceEvent('button', 'button', 'double');
      assert.deepEqual(t.engine.appInfo(good).state, { seen: ['pushed', 'held', 'double'] });
      assert.deepEqual(t.rec.executions.filter((e) => e.appId === bad && e.kind === 'event').map((e) => e.outcome), ['error', 'timeout', 'error']);
      assert.deepEqual(t.rec.executions.filter((e) => e.appId === good && e.kind === 'event').map((e) => e.outcome), ['ok', 'ok', 'ok']);
      assert.deepEqual(t.rec.errors.map((e) => e.appId), [bad, bad, bad]);
    });

    it('one app polluting its built-ins does not affect another', () => {
      const t = makeThing();
      const a = t.engine.install({ source: src('function installed() { Object.prototype.polluted = "yes"; Array.prototype.map = function () { return "hacked" }; JSON.stringify = function () { return "{}" } }', {}, 'a'), config: {} }).id;
      const b = t.engine.install({ source: src('function installed() { state.v = [({}).polluted === undefined, [1, 2].map(function (x) { return x * 2 })] }', {}, 'b'), config: {} }).id;
      assert.deepEqual(t.engine.appInfo(b).state, { v: [true, [2, 4]] });
      assert.deepEqual(t.engine.appInfo(a).state, {});
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });
  });
});
