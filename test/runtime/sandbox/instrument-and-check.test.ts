import assert from 'node:assert/strict';
import { instrument } from '../../../runtime/sandbox/instrument';
import { parseScript } from '../../../runtime/sandbox/script-ast';
import { checkScript } from '../../../runtime/sandbox/static-check';
import { SourceError } from '../../../runtime/errors';
import { makeThing, src, thrown } from '../engine/engine-helpers';

const FILE = '/apps/x/app.js';
const code = (script: string) => instrument(parseScript(script, FILE)).code;

describe('instrument', () => {
  it('guards every function entry and loop body through a script-level alias, keeping lines', () => {
    const script = 'function a() {\n  for (;;) x();\n  while (y) z();\n}\nvar f = () => 1;\nvar g = function () { do {} while (0) };';
    const out = code(script);
    assert.equal(out, [
      'const __spg_ = __spg;function a() {__spg_();',
      '  for (;;) {__spg_();x();}',
      '  while (y) {__spg_();z();}',
      '}',
      'var f = () => (__spg_(), 1);',
      'var g = function () {__spg_(); do {__spg_();} while (0) };',
    ].join('\n'));
    assert.equal(out.split('\n').length, script.split('\n').length);
  });

  it('keeps "use strict" directives first, for the script and for functions', () => {
    assert.equal(code('"use strict";\nfunction f() { "use strict"; return this }\nvar g = () => { "use strict" };'),
      '"use strict";;const __spg_ = __spg;\nfunction f() { "use strict";;__spg_(); return this }\nvar g = () => { "use strict";__spg_(); };');
  });

  it('keeps a hashbang line first', () => {
    assert.equal(code('#!/usr/bin/env node\nfunction f() {}'), '#!/usr/bin/env node\nconst __spg_ = __spg;function f() {__spg_();}');
    assert.equal(code('#!/usr/bin/env node'), '#!/usr/bin/env node\nconst __spg_ = __spg;');
    const t = makeThing();
    const id = t.engine.install({ source: src('#!/usr/bin/env node\nfunction installed() { state.ok = true }'), config: {} }).id;
    assert.deepEqual(t.engine.appInfo(id).state, { ok: true });
  });

  it('a function with "use strict" really is strict after instrumenting', () => {
    const t = makeThing();
    const id = t.engine.install({ source: src('function installed() { "use strict"; state.strict = (function () { return this === undefined })() }\nfunction sloppy() { return this }'), config: {} }).id;
    assert.deepEqual(t.engine.appInfo(id).state, { strict: true });
  });

  it('maps columns of the instrumented code back to app.js', () => {
    const script = 'function a() { for (;;) { boom() } }';
    const inst = instrument(parseScript(script, FILE));
    const instrumentedColumn = inst.code.indexOf('boom') + 1;
    assert.equal(inst.originalColumn(1, instrumentedColumn), script.indexOf('boom') + 1);
    assert.equal(inst.originalColumn(2, 7), 7);
  });

  it('refuses the guard names as identifiers', () => {
    for (const name of ['__spg', '__spg_']) {
      const e = thrown(() => instrument(parseScript(`var a = 1;\nvar ${name} = 2;`, FILE))) as SourceError;
      assert.deepEqual(e.problems.map((p) => [p.line, p.column, p.code, p.message]), [[2, 5, 'script-reserved-name', `the name ${name} is reserved by the SmartPlug runtime`]]);
    }
  });

  it('refuses with statements, which would let an object shadow the guard and switch the CPU limit off', () => {
    const e = thrown(() => instrument(parseScript('function installed() {\n  with ({ __spg_x: 1 }) { while (true) {} }\n}', FILE))) as SourceError;
    assert.deepEqual(e.problems.map((p) => [p.line, p.column, p.code]), [[2, 3, 'script-with']]);
    assert.match(e.problems[0].fix ?? '', /replace with/);
  });
});

describe('checkScript', () => {
  const check = (script: string) => checkScript({ scriptFile: FILE, script }).map((p) => `${p.line}:${p.column} ${p.severity} ${p.code} ${p.message}`);

  it('reports handler names that are not defined, for every API call that takes a handler', () => {
    const script = [
      'function installed() {',
      '  subscribe(x, "switch", "onSwich");',
      '  subscribe(app, "onTuch");',
      '  runIn(5, "late");',
      '  schedule("07:00", "mornin");',
      '  runEvery5Minutes("pol");',
      '  unschedule("poll");',
      '}',
      'function onSwitch() {}',
      'function onTouch() {}',
      'function poll() {}',
    ].join('\n');
    assert.deepEqual(check(script), [
      `2:26 error script-unknown-handler "onSwich" is not a function defined in app.js; did you mean 'onSwitch'?`,
      `3:18 error script-unknown-handler "onTuch" is not a function defined in app.js; did you mean 'onTouch'?`,
      '4:12 error script-unknown-handler "late" is not a function defined in app.js',
      '5:21 error script-unknown-handler "mornin" is not a function defined in app.js',
      `6:20 error script-unknown-handler "pol" is not a function defined in app.js; did you mean 'poll'?`,
    ]);
  });

  it('accepts handlers defined as function declarations, function expressions and arrows', () => {
    assert.deepEqual(check('function installed() { runIn(1, "a"); runIn(1, "b"); runIn(1, "c") }\nfunction a() {}\nvar b = function () {};\nconst c = () => 1;'), []);
  });

  it('warns about a handler that commands the attribute it listens to, through helper functions too', () => {
    const script = [
      'function installed() { subscribe(settings.dimmer, "level", onLevel); subscribe(settings.s, "switch.on", onOn) }',
      'function onLevel(e) { adjust(e) }',
      'function adjust(e) { settings.dimmer.setLevel(e.value + 1) }',
      'function onOn(e) { settings.s.off(); settings.s.on() }',
    ].join('\n');
    const problems = check(script);
    assert.equal(problems.length, 2);
    assert.match(problems[0], /^3:22 warning script-event-loop onLevel calls setLevel\(\), which changes "level", and this app subscribes onLevel to "level" \(line 1\)/);
    assert.match(problems[1], /^4:38 warning script-event-loop onOn calls on\(\), which changes "switch", and this app subscribes onOn to "switch.on" \(line 1\)/);
  });

  it('reports top-level declarations of API names', () => {
    assert.deepEqual(check('function schedule() {}\nlet [settings] = [1];\nclass Date {}'), [
      '1:10 error script-api-name "schedule" is a name of the SmartPlug API; a top-level declaration cannot replace it',
      '2:6 error script-api-name "settings" is a name of the SmartPlug API; a top-level declaration cannot replace it',
      '3:7 error script-api-name "Date" is a name of the SmartPlug API; a top-level declaration cannot replace it',
    ]);
    // Inside a function the name is a local and harmless.
    assert.deepEqual(check('function installed() { var log = 1; function now() {} }'), []);
  });

  it('leaves syntax errors to the loader', () => {
    assert.deepEqual(check('function ('), []);
  });
});
