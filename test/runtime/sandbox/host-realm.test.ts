/**
 * No host function is ever reachable: whatever the runtime's host side throws, at any stack depth,
 * the script catches only errors of its own realm (whose constructor.constructor refuses to make
 * code). The attack: recurse until the stack is nearly full, then call into the API, so that the
 * host function at the edge of the context overflows and V8 makes the RangeError in the host realm.
 */
import assert from 'node:assert/strict';
import type { InputSpec } from '../../../runtime/app';
import { addStandardDevices, makeThing, src, type TestThing } from '../engine/engine-helpers';

const INPUTS: Record<string, InputSpec> = {
  lamp: { type: 'single_device_selector', name: 'Lamp' },
  dimmer: { type: 'single_function_selector', name: 'Dimmer' },
};

/**
 * `foreign(v)`: a thrown value that is an object but not an Error of this realm. `sweep(name, f)`
 * recurses until the stack overflows and, on the way back, calls f at each of the 300 deepest
 * levels with 0 to 7 padding arguments (moving the edge by a few bytes at a time).
 */
const HARNESS = `
var bad = [];
var calls = 0;
function foreign(v) { return v !== null && (typeof v === "object" || typeof v === "function") && !(v instanceof Error) }
function sweep(name, f) {
  var deepest = 0;
  var pads = [[], [1], [1, 2], [1, 2, 3], [1, 2, 3, 4], [1, 2, 3, 4, 5], [1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5, 6, 7]];
  function probe(d) {
    deepest = d;
    try { probe(d + 1) } catch (e) { if (foreign(e)) bad.push(name + " (recursion)") }
    if (deepest - d > 300) return;
    for (var k = 0; k < pads.length; k++) {
      calls++;
      try { f.apply(null, pads[k]) } catch (e) { if (foreign(e)) bad.push(name + " at depth " + d + "+" + k) }
    }
  }
  probe(0);
}
function onSwitch(evt) {}
function onTouch(evt) { sweepAll(evt) }
`;

/** Every function of the script API, and every getter that reaches the host. */
const API_CALLS: [string, string][] = [
  ['now', 'now()'],
  ['Date.now', 'Date.now()'],
  ['new Date', 'new Date()'],
  ['Date()', 'Date()'],
  ['state', 'state.x = 1'],
  ['settings', 'settings.lamp'],
  ['config', 'config.lamp'],
  ['parent', 'parent'],
  ['location.mode', 'location.mode'],
  ['location.sunrise', 'location.sunrise'],
  ['location.setMode', 'location.setMode("Home")'],
  ['setLocationMode', 'setLocationMode("Away")'],
  ['getSunriseAndSunset', 'getSunriseAndSunset({ sunriseOffset: "-00:30" })'],
  ['app', 'String(app)'],
  ['subscribe', 'subscribe(settings.lamp, "switch", onSwitch)'],
  ['subscribe (unknown handler)', 'subscribe(settings.lamp, "switch", "onSw" + "ich")'],
  ['subscribeToCommand', 'subscribeToCommand(settings.lamp, "on", onSwitch)'],
  ['unsubscribe', 'unsubscribe(settings.lamp)'],
  ['runIn', 'runIn(60, onSwitch)'],
  ['runOnce', 'runOnce("2030-01-01T00:00:00Z", onSwitch)'],
  ['schedule', 'schedule("0 0 12 * * ?", onSwitch)'],
  ['runEvery5Minutes', 'runEvery5Minutes(onSwitch)'],
  ['unschedule', 'unschedule(onSwitch)'],
  ['canSchedule', 'canSchedule()'],
  ['log.info', 'log.info("x", 1)'],
  ['console.log', 'console.log("x")'],
  ['sendNotification', 'sendNotification(1, "x")'],
  ['setTimeout', 'setTimeout(onSwitch, 1)'],
  ['mappings', 'mappings({ "GET /x": onSwitch })'],
  ['render', 'render({ data: 1 })'],
  ['httpError', 'httpError(404, "no")'],
  ['addChildDevice', 'addChildDevice("kid-lamp", { capabilities: ["switch"] })'],
  ['getChildDevices', 'getChildDevices()'],
  ['getChildDevice', 'getChildDevice("kid-lamp")'],
  ['deleteChildDevice', 'deleteChildDevice("nope")'],
  ['getChildApps', 'getChildApps()'],
  ['getChildAppByLabel', 'getChildAppByLabel("Kid")'],
  ['deleteChildApp', 'deleteChildApp("nope")'],
  ['invoke', 'getChildAppByLabel("Kid").invoke("hello", 1)'],
  ['device command', 'settings.lamp.on()'],
  ['device command (bad value)', 'settings.lamp.setLevel(500)'],
  ['device missing command', 'settings.lamp.lock()'],
  ['device currentValue', 'settings.lamp.currentValue("switch")'],
  ['device currentSwitch', 'settings.lamp.currentSwitch'],
  ['device currentState', 'settings.lamp.currentState("level")'],
  ['device events', 'settings.lamp.events({ max: 3 })'],
  ['function set', 'settings.dimmer.set(40)'],
  ['function currentValue', 'settings.dimmer.currentValue()'],
  ['function device', 'settings.dimmer.device'],
  ['function command', 'settings.dimmer.setLevel(40)'],
  ['function command (bad value)', 'settings.dimmer.setLevel(500)'],
  ['function missing command', 'settings.dimmer.on()'],
  // The getter of evt.function on a new event-like object each time: the first read of each makes the handle.
  ['event function', 'Object.getOwnPropertyDescriptor(Object.getPrototypeOf(evt), "function").get.call({ functionId: 4457 }).currentValue()'],
  ['event numericValue', 'evt.numericValue'],
  ['event dateValue', 'evt.dateValue'],
  ['event device', 'evt.device.label'],
];

describe('sandbox: no host function is reachable, at any stack depth', () => {
  let t: TestThing;
  beforeEach(() => {
    t = makeThing({ rateLimit: false, cpuLimitMs: 120_000 });
    addStandardDevices(t.engine);
    t.engine.registerPackage(src('function hello(n) { return n + 1 }', {}, 'kid'));
  });

  it('the execution guard\'s clock, reached at every alignment of its 1,024-tick counter', () => {
    // The guard reads the host's clock every 1,024th call: shift where that call falls by one tick
    // at a time, so that at some run it is the call that overflows the stack.
    const id = t.engine.install({
      source: src(`function installed() {
  var caught = [];
  function probe(d) { try { probe(d + 1) } catch (e) { if (!(e instanceof Error)) caught.push(e) } }
  for (var offset = 0; offset < 1100; offset++) { for (var j = 0; j < offset; j++) {} probe(0) }
  state.foreign = caught.length;
  state.process = caught.map(function (e) { try { return typeof e.constructor.constructor("return process")() } catch (x) { return x instanceof Error ? "refused" : "foreign" } });
}`),
      config: {},
    }).id;
    assert.deepEqual(t.rec.errors.map((e) => e.message), []);
    assert.deepEqual(t.engine.appInfo(id).state, { foreign: 0, process: [] });
  });

  it('every API function and host-reaching getter, at each of the deepest 300 levels', () => {
    const body = API_CALLS.map(([name, expr]) => `  sweep(${JSON.stringify(name)}, function () { return ${expr} });`).join('\n');
    const script = `function installed() { addChildApp("kid", "Kid", {}); subscribe(app, onTouch) }
function sweepAll(evt) {
${body}
  state.bad = bad.slice(0, 20);
  state.calls = calls;
}
${HARNESS}`;
    const id = t.engine.install({ source: src(script, INPUTS), config: { lamp: 'lamp', dimmer: 4457 } }).id;
    t.engine.touch(id);
    const s = t.engine.appInfo(id).state as { bad: string[]; calls: number };
    assert.deepEqual(t.rec.errors.map((e) => e.message), []);
    assert.deepEqual(s.bad, []);
    // Every API call ran at most of the 300 levels × 8 paddings (a level whose catch overflows skips its calls).
    assert.ok(s.calls >= API_CALLS.length * 250 * 8, `only ${s.calls} calls`);
  });
});

describe('sandbox: the CPU guard cannot be shadowed', () => {
  it('an app using with (the guard\'s name looked up on an object first) is refused at install, and nothing half-installs', () => {
    const t = makeThing({ cpuLimitMs: 50 });
    const err = (() => {
      try {
        t.engine.install({ source: src('function installed() {\n  var o = {};\n  o["__sp" + "g_"] = function () {};\n  with (o) { for (;;) {} }\n}'), config: {} });
      } catch (e) {
        return e as { problems?: { line: number; code: string }[] };
      }
      return undefined;
    })();
    assert.deepEqual(err?.problems?.map((p) => [p.line, p.code]), [[4, 'script-with']]);
    assert.deepEqual(t.engine.listApps(), []);
  });
});
