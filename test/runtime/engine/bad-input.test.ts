import assert from 'node:assert/strict';
import { ConfigError } from '../../../runtime/app/instance-config';
import { SourceError } from '../../../runtime/errors';
import { addStandardDevices, fixture, FIXTURES, lineOf, makeThing, SCRIPT_FILE, src, TestThing, thrown } from './engine-helpers';

describe('ThingEngine bad input', () => {
  let t: TestThing;
  let running: string;
  beforeEach(() => {
    t = makeThing();
    addStandardDevices(t.engine);
    // A working app that must not be disturbed by any bad one.
    running = t.engine.install({ source: fixture('door-light'), config: { door: 9, lamp: 'lamp', timeout: 1 } }).id;
    t.rec.logs.length = 0;
    t.rec.apps.length = 0;
  });

  function assertRunningAppStillWorks() {
    const before = t.rec.commands.length;
    t.engine.deviceEvent('door', 'contact', 'open');
    t.engine.deviceEvent('door', 'contact', 'closed');
    assert.deepEqual(t.rec.commands.slice(before).map((c) => `${c.appId} ${c.deviceId}.${c.command}`), [`${running} lamp.on`]);
  }

  function assertNothingInstalled() {
    assert.deepEqual(t.engine.listApps().map((a) => a.id), [running]);
    assert.deepEqual(t.rec.apps, []);
  }

  describe('scripts', () => {
    it('a syntax error is a SourceError with file, line, column and a fix; nothing is installed', () => {
      const e = thrown(() => t.engine.install({ source: fixture('syntax-error'), config: {} })) as SourceError;
      assert.ok(e instanceof SourceError);
      const file = `${FIXTURES}/syntax-error/app.js`;
      assert.deepEqual(e.problems, [{
        file, line: 6, column: 26, severity: 'error', code: 'script-syntax', message: 'syntax error: Unexpected token',
        fix: 'correct the JavaScript at this place; app.js is a plain script (no import/export)',
      }]);
      assert.equal(e.message, `${file}:6:26: error: syntax error: Unexpected token Fix: correct the JavaScript at this place; app.js is a plain script (no import/export) [script-syntax]`);
      assertNothingInstalled();
      assertRunningAppStillWorks();
    });

    it('import/export is a syntax error that says app.js is a plain script', () => {
      const e = thrown(() => t.engine.install({ source: src('import x from "y";\nfunction installed() {}'), config: {} })) as SourceError;
      assert.equal(e.problems[0].message, "syntax error: 'import' and 'export' may appear only with 'sourceType: module'");
      assert.deepEqual([e.problems[0].line, e.problems[0].column], [1, 1]);
      assertNothingInstalled();
    });

    it('top-level code that throws is a SourceError at its line; nothing is installed', () => {
      const script = 'var x = 1;\nfunction installed() {}\nvar y = null.foo;';
      const e = thrown(() => t.engine.install({ source: src(script), config: {} })) as SourceError;
      assert.ok(e instanceof SourceError);
      assert.deepEqual(e.problems, [{
        file: SCRIPT_FILE, line: 3, column: 14, severity: 'error', code: 'script-load', message: "Cannot read properties of null (reading 'foo')",
        fix: 'the top level of app.js should only define functions and constants',
      }]);
      assertNothingInstalled();
      assertRunningAppStillWorks();
    });

    it('calling the API at the top level is a SourceError that says where to call it', () => {
      const e = thrown(() => t.engine.install({ source: src('function installed() {}\nrunIn(60, installed);'), config: {} })) as SourceError;
      assert.equal(e.problems[0].code, 'script-load');
      assert.equal(e.problems[0].line, 2);
      assert.equal(e.problems[0].message, 'runIn() cannot be called at the top level of app.js; call it from installed(), updated() or a handler');
      assertNothingInstalled();
    });

    it('a handler name that is not defined is a SourceError at the line of the call (static check)', () => {
      const script = 'function installed() {\n  subscribe(settings.lamp, "switch", "onSwich");\n  runIn(60, "tunOff");\n}\nfunction onSwitch(evt) {}\nfunction turnOff() {}';
      const e = thrown(() => t.engine.install({ source: src(script, { lamp: { type: 'single_device_selector', name: 'Lamp' } }), config: { lamp: 'lamp' } })) as SourceError;
      assert.deepEqual(e.problems.map((p) => [p.line, p.column, p.code, p.message, p.fix]), [
        [2, 38, 'script-unknown-handler', `"onSwich" is not a function defined in app.js; did you mean 'onSwitch'?`, 'define function onSwich(evt) { … } or correct the name'],
        [3, 13, 'script-unknown-handler', `"tunOff" is not a function defined in app.js; did you mean 'turnOff'?`, 'define function tunOff(evt) { … } or correct the name'],
      ]);
      assertNothingInstalled();
    });

    it('a handler name computed at run time that is not defined fails with did-you-mean (dynamic check)', () => {
      const script = 'function installed() {\n  var name = "onSwich";\n  subscribe(settings.lamp, "switch", name);\n}\nfunction onSwitch(evt) {}';
      const id = t.engine.install({ source: src(script, { lamp: { type: 'single_device_selector', name: 'Lamp' } }), config: { lamp: 'lamp' } }).id;
      assert.deepEqual(t.rec.errors.map((e) => [e.appId, e.handler, e.message, e.line]), [
        [id, 'installed', `subscribe: "onSwich" is not a function defined in app.js; did you mean 'onSwitch'?; define function onSwich(evt) { … } or pass the function itself`, 3],
      ]);
      assert.deepEqual(t.engine.appInfo(id).subscriptions, []);
    });

    it('a subscription to an attribute the device lacks lists its attributes and the fix; the appError has the app.js line', () => {
      const script = 'function installed() {\n  log.info("subscribing");\n  subscribe(settings.door, "swich", onSwitch);\n}\nfunction onSwitch(evt) {}';
      const id = t.engine.install({ source: src(script, { door: { type: 'single_device_selector', name: 'Door' } }), config: { door: 'door' } }).id;
      assert.deepEqual(t.rec.errors.map((e) => [e.handler, e.message, e.file, e.line, e.column]), [
        ['installed', 'subscribe: device "Front door" has no attribute "swich"; it has: contact. Subscribe to one of those, or select a device with that capability', SCRIPT_FILE, 3, 3],
      ]);
      assert.match(t.rec.errors[0].stack!, /^Error: subscribe: device "Front door" has no attribute "swich"/);
      assert.match(t.rec.errors[0].stack!, /at installed \(\/apps\/test\/app\.js:3:3\)$/);
      assert.deepEqual(t.engine.appInfo(id).subscriptions, []);
      const withSuggestion = t.engine.install({ source: src(script.replace('"swich"', '"contcat"'), { door: { type: 'single_device_selector', name: 'Door' } }), config: { door: 'door' } }).id;
      assert.equal(t.rec.errors.at(-1)!.appId, withSuggestion);
      assert.equal(t.rec.errors.at(-1)!.message, `subscribe: device "Front door" has no attribute "contcat"; did you mean 'contact'?; it has: contact. Subscribe to one of those, or select a device with that capability`);
    });

    it('warns (and installs) when a handler commands the attribute it is subscribed to', () => {
      const script = 'function installed() {\n  subscribe(settings.lamp, "switch", onSwitch);\n}\nfunction onSwitch(evt) {\n  settings.lamp.on();\n}';
      const id = t.engine.install({ source: src(script, { lamp: { type: 'single_device_selector', name: 'Lamp' } }), config: { lamp: 'lamp' } }).id;
      assert.deepEqual(t.rec.logs.filter((l) => l.level === 'warn').map((l) => [l.appId, l.source, l.message]), [[
        id, 'runtime',
        `${SCRIPT_FILE}:5:3: warning: onSwitch calls on(), which changes "switch", and this app subscribes onSwitch to "switch" (line 2): each command can trigger the handler again, an endless event loop that ends in the rate limit Fix: subscribe to a value the handler does not produce (e.g. "switch.off"), subscribe to a different device, or check the current value before commanding [script-event-loop]`,
      ]]);
    });

    it('does not warn when the subscribed value is not the one the command produces', () => {
      const script = 'function installed() {\n  subscribe(settings.lamp, "switch.off", onOff);\n}\nfunction onOff(evt) {\n  settings.lamp.on();\n}';
      t.engine.install({ source: src(script, { lamp: { type: 'single_device_selector', name: 'Lamp' } }), config: { lamp: 'lamp' } });
      assert.deepEqual(t.rec.logs.filter((l) => l.level === 'warn'), []);
    });

    it('refuses the runtime\'s reserved names and top-level declarations of API names', () => {
      const reserved = thrown(() => t.engine.install({ source: src('function installed() {\n  var __spg = 1;\n}'), config: {} })) as SourceError;
      assert.deepEqual(reserved.problems.map((p) => [p.line, p.column, p.code, p.message]), [[2, 7, 'script-reserved-name', 'the name __spg is reserved by the SmartPlug runtime']]);
      const script = 'function log(x) {}\nvar app = {};\nconst { now } = { now: 1 };\nfunction installed() { var runIn = 1 }';
      const api = thrown(() => t.engine.install({ source: src(script), config: {} })) as SourceError;
      assert.deepEqual(api.problems.map((p) => [p.line, p.column, p.code, p.message, p.fix]), [
        [1, 10, 'script-api-name', '"log" is a name of the SmartPlug API; a top-level declaration cannot replace it', 'rename your function (e.g. "myLog")'],
        [2, 5, 'script-api-name', '"app" is a name of the SmartPlug API; a top-level declaration cannot replace it', 'rename your variable (e.g. "myApp")'],
        [3, 9, 'script-api-name', '"now" is a name of the SmartPlug API; a top-level declaration cannot replace it', 'rename your variable (e.g. "myNow")'],
      ]);
      assertNothingInstalled();
    });

    it('an error thrown in installed() is reported with its line, and the app is still installed', () => {
      const script = 'function installed() {\n  state.ok = true;\n  throw new TypeError("no good");\n}';
      const id = t.engine.install({ source: src(script), config: {} }).id;
      assert.deepEqual(t.rec.errors.map((e) => [e.handler, e.message, e.line, e.column]), [['installed', 'no good', 3, 9]]);
      assert.deepEqual(t.runtimeLogs('error', id), ['installed: no good']);
      assert.deepEqual(t.engine.appInfo(id).state, { ok: true });
      assert.equal(t.rec.executions.at(-1)!.outcome, 'error');
      assert.equal(lineOf(script, 'throw'), 3);
    });
  });

  describe('configs', () => {
    it('a config that does not fit app.json is a ConfigError naming the input and the fix; nothing is installed', () => {
      const e = thrown(() => t.engine.install({ source: fixture('door-light'), config: { door: 9, lamp: 'lampp', timeout: 'ten' } })) as ConfigError;
      assert.ok(e instanceof ConfigError);
      assert.equal(e.appName, 'door-light');
      assert.deepEqual(e.problems.map((p) => [p.path, p.code, p.message, p.fix]), [
        [['lamp'], 'config-unknown-id', 'input "lamp": device "lampp" does not exist; did you mean lamp?', 'write lamp'],
        [['timeout'], 'config-type', 'input "timeout" is a number; got the string "ten"', 'write a number'],
      ]);
      assert.equal(e.message, [
        'the config of app "door-light" does not fit its app.json:',
        '  lamp: error: input "lamp": device "lampp" does not exist; did you mean lamp? Fix: write lamp [config-unknown-id]',
        '  timeout: error: input "timeout" is a number; got the string "ten" Fix: write a number [config-type]',
      ].join('\n'));
      assertNothingInstalled();
      assertRunningAppStillWorks();
    });

    it('a missing required input is a ConfigError that shows what to add', () => {
      const e = thrown(() => t.engine.install({ source: fixture('door-light'), config: { door: 9 } })) as ConfigError;
      assert.deepEqual(e.problems, [{
        path: ['lamp'], severity: 'error', code: 'config-required', message: 'the config lacks required input "lamp"',
        fix: 'add "lamp": <device-id>, or with "value": true { "<device-id>": <value> }',
      }]);
      assertNothingInstalled();
    });

    it('an unknown input is only a warning, logged for the installed app', () => {
      const id = t.engine.install({ source: fixture('door-light'), config: { door: 9, lamp: 'lamp', extra: 1 } }).id;
      assert.deepEqual(t.runtimeLogs('warn', id), ['extra: warning: unknown input "extra"; the app declares no input of that name Fix: remove it [config-unknown-key]']);
    });

    it('update with a bad config changes nothing: no updated() call, same config and settings', () => {
      const e = thrown(() => t.engine.update(running, { door: 9, lamp: 'lock', timeout: 'x' }));
      assert.ok(e instanceof ConfigError);
      assert.deepEqual(e.problems.map((p) => p.path.join('.')), ['timeout']);
      assert.deepEqual(t.engine.appInfo(running).config, { door: 9, lamp: 'lamp', timeout: 1 });
      assert.deepEqual(t.appLogs(), []);
      assert.deepEqual(t.rec.apps, []);
      assertRunningAppStillWorks();
      t.clock.advance(60_000);
      assert.deepEqual(t.rec.commands.map((c) => `${c.deviceId}.${c.command}`), ['lamp.on', 'lamp.off']);
    });
  });
});
