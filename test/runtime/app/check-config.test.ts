import assert from 'node:assert/strict';
import { AppJson, checkConfig, ConfigProblem, InputSpec } from '../../../runtime/app';
import { testCatalogue } from './app-test-helpers';

/** An app whose inputs are all on one page, except those named in `hidden` (repeat members). */
function app(input: Record<string, InputSpec>, hidden: string[] = []): AppJson {
  return { input, guide: [{ input_fields: Object.keys(input).filter((n) => !hidden.includes(n)) }] };
}

/** `path severity code` of each problem. */
function brief(problems: ConfigProblem[]): string[] {
  return problems.map((p) => `${p.path.join('/')} ${p.severity} ${p.code}`);
}

function one(appJson: AppJson, config: unknown): ConfigProblem {
  const problems = checkConfig(appJson, config);
  assert.equal(problems.length, 1, JSON.stringify(problems));
  return problems[0];
}

describe('checkConfig', () => {
  describe('function selectors', () => {
    const single = app({ f: { type: 'single_function_selector' } });
    const singleV = app({ f: { type: 'single_function_selector', value: true } });
    const multi = app({ f: { type: 'multi_function_selector' } });
    const multiV = app({ f: { type: 'multi_function_selector', value: true } });

    it('accepts the shapes of seed 003', () => {
      for (const [a, c] of [
        [single, 123],
        [single, 'lamp.level'],
        [singleV, { '123': 255 }],
        [singleV, { '123': 'on' }],
        [multi, [1, 'x', 3]],
        [multi, []],
        [multiV, { '1': 5, '2': true }],
        [multiV, {}],
      ] as [AppJson, unknown][]) {
        assert.deepEqual(checkConfig(a, { f: c }), [], JSON.stringify(c));
      }
    });

    it('single without value: a bare id', () => {
      const p = one(single, { f: { '4456': 255 } });
      assert.equal(p.message, 'input "f" has no "value": true, so its config is <function-id>; got {"4456":255}');
      assert.equal(p.fix, 'write 4456, or set "value": true in app.json to keep the value');
      assert.equal(one(single, { f: [7] }).fix, 'write 7 (a single selector takes one id)');
      assert.equal(one(single, { f: [7, 8] }).fix, 'select one function, or make the input a multi_function_selector');
      assert.equal(one(single, { f: true }).code, 'config-type');
      assert.equal(one(single, { f: '' }).code, 'config-type');
    });

    it('single with value: exactly one id → value', () => {
      const p = one(singleV, { f: 123 });
      assert.equal(p.message, 'input "f" has "value": true, so its config is { "<function-id>": <value> }; got 123');
      assert.equal(p.fix, 'write { "123": <value> } or set "value": false');
      const two = one(singleV, { f: { '1': 1, '2': 2 } });
      assert.equal(two.message, 'input "f" has "value": true, so its config is { "<function-id>": <value> } with exactly one key (a single selector); got 2 keys');
      const bad = one(singleV, { f: { '1': { on: true } } });
      assert.deepEqual([bad.path, bad.message], [['f', '1'], 'input "f": the value for function "1" must be a number, string or boolean; got an object']);
    });

    it('multi without value: an array of ids', () => {
      assert.equal(one(multi, { f: 7 }).fix, 'write [7]');
      const obj = one(multi, { f: { '1': 5, a: 6 } });
      assert.equal(obj.message, 'input "f" has no "value": true, so its config is [<function-id>, …]; got {"1":5,"a":6}');
      assert.equal(obj.fix, 'write [1, "a"], or set "value": true in app.json to keep the values');
      assert.deepEqual(brief(checkConfig(multi, { f: [1, null, 1] })), ['f/1 error config-type', 'f/2 warning config-duplicate']);
    });

    it('multi with value: an object of id → value', () => {
      const p = one(multiV, { f: [1, 2] });
      assert.equal(p.message, 'input "f" has "value": true, so its config is { "<function-id>": <value>, … }; got [1,2]');
      assert.equal(p.fix, 'write { "1": <value>, "2": <value> } or set "value": false');
    });

    it('required: an empty selection counts as missing', () => {
      const req = app({ f: { type: 'multi_function_selector', required: true }, g: { type: 'single_function_selector', value: true, required: true } });
      assert.deepEqual(brief(checkConfig(req, { f: [], g: {} })), ['f error config-required', 'g error config-required']);
      assert.deepEqual(brief(checkConfig(req, {})), ['f error config-required', 'g error config-required']);
      assert.equal(checkConfig(req, {})[0].message, 'the config lacks required input "f"');
      assert.equal(checkConfig(req, {})[0].fix, 'add "f": [<function-id>, …], or with "value": true { "<function-id>": <value>, … }');
    });

    it('with a catalogue: unknown ids with a suggestion, and the filter', () => {
      const cat = testCatalogue();
      const a = app({
        f: { type: 'single_function_selector', filter: { type: 'temperature' } },
        g: { type: 'multi_function_selector', value: true },
        h: { type: 'multi_function_selector', filter: { room: 'hall' } },
      });
      const problems = checkConfig(a, { f: 4456, g: { '4465': 1, '9': 2 }, h: ['12', 9, 'lamp.level'] }, cat);
      assert.deepEqual(brief(problems), ['f error config-filter', 'g/4465 error config-unknown-id', 'h/0 error config-filter']);
      assert.equal(problems[0].message, 'input "f": function 4456 (type "switch") does not match the input\'s filter {"type":"temperature"}');
      assert.equal(problems[1].at, 'key');
      assert.equal(problems[1].message, 'input "g": function 4465 does not exist; did you mean 4456?');
      assert.equal(problems[1].fix, 'write 4456');
      // "12" (a string) found function 12 through the other form, and is in the attic.
      assert.equal(problems[2].message, 'input "h": function "12" (type "temperature") does not match the input\'s filter {"room":"hall"}');
      assert.deepEqual(checkConfig(a, { f: 9, g: { '4456': 1 }, h: [9, 4456] }, cat), []);
    });
  });

  describe('device selectors', () => {
    it('use the same shapes as function selectors', () => {
      const a = app({ d: { type: 'single_device_selector' }, dv: { type: 'single_device_selector', value: true }, m: { type: 'multi_device_selector' }, mv: { type: 'multi_device_selector', value: true } });
      assert.deepEqual(checkConfig(a, { d: 'lamp', dv: { lamp: 'on' }, m: ['lamp', 'thermo'], mv: { lamp: 1 } }), []);
      const problems = checkConfig(a, { d: ['lamp'], dv: 'lamp', m: 'lamp', mv: ['lamp'] });
      assert.deepEqual(problems.map((p) => p.fix), [
        'write "lamp" (a single selector takes one id)',
        'write { "lamp": <value> } or set "value": false',
        'write ["lamp"]',
        'write { "lamp": <value> } or set "value": false',
      ]);
      assert.equal(problems[1].message, 'input "dv" has "value": true, so its config is { "<device-id>": <value> }; got "lamp"');
    });

    it('with a catalogue: unknown devices and the filter', () => {
      const a = app({ d: { type: 'multi_device_selector', filter: { type: 'light' } } });
      const problems = checkConfig(a, { d: ['lamp', 'lmap', 'thermo'] }, testCatalogue());
      assert.deepEqual(brief(problems), ['d/1 error config-unknown-id', 'd/2 error config-filter']);
      assert.equal(problems[0].message, 'input "d": device "lmap" does not exist; did you mean lamp?');
    });
  });

  describe('notification output selectors', () => {
    const a = app({ n: { type: 'single_notification_output_selector' }, m: { type: 'multi_notification_output_selector' } });
    it('take an id and an array of ids', () => {
      assert.deepEqual(checkConfig(a, { n: 456, m: [1, 2] }), []);
      const problems = checkConfig(a, { n: [456], m: 1 });
      assert.deepEqual(problems.map((p) => p.fix), ['write 456 (a single selector takes one id)', 'write [1]']);
      assert.equal(problems[1].message, 'input "m" is a multi_notification_output_selector, so its config is [<notification-output-id>, …]; got 1');
    });
    it('are checked against known outputs only when the catalogue knows them', () => {
      assert.deepEqual(checkConfig(a, { n: 3, m: [4] }, testCatalogue()), []);
      assert.deepEqual(brief(checkConfig(a, { n: 3, m: [4, 456] }, testCatalogue([456, 457]))), ['n error config-unknown-id', 'm/0 error config-unknown-id']);
    });
  });

  describe('text', () => {
    const a = app({ t: { type: 'text', validator: '[a-zA-Z]*', on_error: 'The text can only contain letters' }, u: { type: 'text', validator: '\\d+' } });
    it('takes a string matching the whole validator', () => {
      assert.deepEqual(checkConfig(a, { t: 'HelloWorld', u: '42' }), []);
      const problems = checkConfig(a, { t: 'Hello World', u: 'x42' });
      assert.deepEqual(problems.map((p) => p.message), [
        'input "t": "Hello World" is rejected by its validator: The text can only contain letters',
        'input "u": "x42" is rejected by its validator /\\d+/',
      ]);
    });
    it('rejects non-strings, empty required text; warns on line breaks in single-line text', () => {
      assert.equal(one(a, { t: 5 }).fix, 'write "5" (a string)');
      const b = app({ t: { type: 'text', required: true }, m: { type: 'text', multiline: true }, s: { type: 'text' } });
      assert.deepEqual(brief(checkConfig(b, { t: '', m: 'a\nb', s: 'a\nb' })), ['t error config-required', 's warning config-multiline']);
    });
  });

  describe('number', () => {
    const a = app({ n: { type: 'number' } });
    it('takes a number, and says how to fix a numeric string', () => {
      assert.deepEqual(checkConfig(a, { n: -2.5 }), []);
      const p = one(a, { n: '10' });
      assert.deepEqual([p.message, p.fix], ['input "n" is a number; got the string "10"', 'use 10 (a number)']);
      assert.equal(one(a, { n: 'ten' }).fix, 'write a number');
    });
  });

  describe('option', () => {
    const a = app({ o: { type: 'option', values: { '1': 'One', '2': 'Two', auto: 'Automatic' } } });
    it('takes a key of values, numbers matching numeric keys', () => {
      for (const v of [1, '2', 'auto']) assert.deepEqual(checkConfig(a, { o: v }), [], String(v));
    });
    it('names the value for a display name, suggests a near key, lists the keys', () => {
      assert.equal(one(a, { o: 'Automatic' }).fix, 'use the value "auto" ("Automatic" is its display name)');
      const near = one(a, { o: 'aut' });
      assert.deepEqual([near.message, near.fix], ['input "o": "aut" is not one of its values ("1", "2", "auto"); did you mean "auto"?', 'write "auto"']);
      assert.equal(one(a, { o: 3 }).fix, 'use one of "1", "2", "auto"');
      assert.equal(one(a, { o: [1] }).code, 'config-value');
    });
  });

  describe('checkbox', () => {
    const a = app({ c: { type: 'checkbox', values: { '1': 'One', x: 'Ex' } }, r: { type: 'checkbox', required: true, values: { a: 'A' } } });
    it('takes an array of keys', () => {
      assert.deepEqual(checkConfig(a, { c: [1, 'x'], r: ['a'] }), []);
      assert.deepEqual(checkConfig(a, { c: [], r: ['a'] }), []);
    });
    it('reports a bare value, unknown keys, duplicates and an empty required selection', () => {
      assert.equal(one(a, { c: 'x', r: ['a'] }).fix, 'write ["x"]');
      assert.deepEqual(brief(checkConfig(a, { c: ['y', '1', 1], r: [] })), ['c/0 error config-value', 'c/2 warning config-duplicate', 'r error config-required']);
    });
  });

  describe('toggle', () => {
    it('takes a boolean when no values are defined', () => {
      const a = app({ t: { type: 'toggle' } });
      assert.deepEqual(checkConfig(a, { t: false }), []);
      const p = one(a, { t: 'true' });
      assert.deepEqual([p.message, p.fix], ['input "t" is a toggle, so its config is true or false; got "true"', 'use true (a boolean, no quotes)']);
    });
    it('takes true_value / false_value when defined', () => {
      const a = app({ t: { type: 'toggle', true_value: 'on', false_value: 'off' } });
      assert.deepEqual(checkConfig(a, { t: 'off' }), []);
      const p = one(a, { t: true });
      assert.deepEqual([p.message, p.fix], ['input "t" is a toggle, so its config is "on" (on) or "off" (off); got true', 'write "on" (its true_value)']);
    });
    it('uses the plain boolean for a position without a value', () => {
      const a = app({ t: { type: 'toggle', true_value: 100 } });
      assert.deepEqual(checkConfig(a, { t: 100 }), []);
      assert.deepEqual(checkConfig(a, { t: false }), []);
      assert.equal(one(a, { t: true }).fix, 'write 100 (its true_value)');
    });
  });

  describe('repeat', () => {
    const a = app({
      r: { type: 'repeat', min: 2, max: 3, input_fields: ['fn', 'label'] },
      fn: { type: 'single_function_selector', value: true, required: true },
      label: { type: 'text' },
    }, ['fn', 'label']);

    it('takes an array of entries holding its input_fields', () => {
      assert.deepEqual(checkConfig(a, { r: [{ fn: { '9': 26 }, label: 'a' }, { fn: { '12': 10 } }] }), []);
    });

    it('checks the count, the entries and their keys', () => {
      const problems = checkConfig(a, { r: [{ fn: 9, lable: 'x' }] });
      assert.deepEqual(brief(problems), ['r error config-count', 'r/0/fn error config-type', 'r/0/lable warning config-unknown-key']);
      assert.equal(problems[0].message, 'repeat "r" needs at least 2 entries; got 1');
      assert.equal(problems[0].fix, 'add 1 entry');
      assert.equal(problems[2].message, 'unknown input "lable" in repeat "r"; did you mean "label"?');
      const many = checkConfig(a, { r: [{ fn: { '1': 1 } }, { fn: { '1': 1 } }, { fn: { '1': 1 } }, { fn: { '1': 1 } }, 5] });
      assert.deepEqual(brief(many), ['r error config-count', 'r/4 error config-type']);
      assert.equal(many[0].fix, 'remove 2 entries');
      const missing = checkConfig(a, { r: [{ label: 'x' }, { fn: { '1': 1 } }] });
      assert.deepEqual(brief(missing), ['r/0/fn error config-required']);
      assert.equal(missing[0].message, 'entry 0 of repeat "r" lacks required input "fn"');
      assert.equal(one(a, { r: { fn: { '1': 1 } } }).fix, 'wrap the entry in [ … ]');
    });

    it('counts an absent repeat as no entries', () => {
      assert.deepEqual(brief(checkConfig(a, {})), ['r error config-count']);
      const req = app({ r: { type: 'repeat', required: true, input_fields: ['x'] }, x: { type: 'number' } }, ['x']);
      assert.deepEqual(brief(checkConfig(req, { r: [] })), ['r error config-required']);
    });

    it('checks a repeat inside a repeat, entry by entry', () => {
      const nested = app({
        rooms: { type: 'repeat', min: 1, input_fields: ['room', 'lights'] },
        room: { type: 'text', required: true },
        lights: { type: 'repeat', max: 2, input_fields: ['light', 'level'] },
        light: { type: 'single_function_selector', required: true },
        level: { type: 'number' },
      }, ['room', 'lights', 'light', 'level']);
      const ok = { rooms: [{ room: 'hall', lights: [{ light: 4456, level: 3 }] }, { room: 'attic' }] };
      assert.deepEqual(checkConfig(nested, ok, testCatalogue()), []);
      const bad = { rooms: [{ room: 'hall', lights: [{ light: 4456 }, { level: '3' }, { light: 9 }] }, { lights: [{ light: 1, lights: [] }] }] };
      assert.deepEqual(brief(checkConfig(nested, bad, testCatalogue())), [
        'rooms/0/lights error config-count',
        'rooms/0/lights/1/level error config-type',
        'rooms/0/lights/1/light error config-required',
        'rooms/1/lights/0/light error config-unknown-id',
        'rooms/1/lights/0/lights warning config-unknown-key',
        'rooms/1/room error config-required',
      ]);
    });
  });

  describe('the config object', () => {
    const a = app({
      timeout: { type: 'number', required: true },
      mode: { type: 'option', required: true, default: 'a', values: { a: 'A' } },
      temp: { type: 'repeat', input_fields: ['trigger_value'] },
      trigger_value: { type: 'number' },
    }, ['trigger_value']);

    it('must be an object', () => {
      const p = one(a, [1]);
      assert.deepEqual([p.path, p.code, p.message], [[], 'config-not-object', 'the config must be an object of input values by name; got an array']);
    });

    it('reports unknown keys with a suggestion, and repeat members at the top level', () => {
      const problems = checkConfig(a, { timout: 5, trigger_value: 3, zzz: 1 });
      assert.deepEqual(brief(problems), ['timout warning config-unknown-key', 'trigger_value warning config-unknown-key', 'zzz warning config-unknown-key', 'timeout error config-required']);
      assert.equal(problems[0].message, 'unknown input "timout"; did you mean "timeout"?');
      assert.equal(problems[1].message, '"trigger_value" is an input of repeat "temp", so it belongs in the entries of "temp", not at the top level');
      assert.equal(problems[2].message, 'unknown input "zzz"; the app declares no input of that name');
    });

    it('does not require an input that has a default, and treats null as absent', () => {
      assert.deepEqual(checkConfig(a, { timeout: 1 }), []);
      assert.deepEqual(brief(checkConfig(a, { timeout: null, mode: null })), ['timeout error config-required']);
    });
  });
});
