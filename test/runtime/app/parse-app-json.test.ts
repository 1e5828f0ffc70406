import assert from 'node:assert/strict';
import { INPUT_PARAMETERS, INPUT_TYPES, parseAppJson } from '../../../runtime/app';
import { at, where, withCode } from './app-test-helpers';

/** app.json text with the given inputs and one page listing `onPage` (default: all inputs). */
function appText(input: Record<string, unknown>, onPage: string[] = Object.keys(input)): string {
  return JSON.stringify({ name: 'Test', input, guide: [{ id: 'p1', title: 'Page', input_fields: onPage }] }, null, 2);
}

function problemsOf(text: string) {
  return parseAppJson(text, 'app.json').problems;
}

describe('parseAppJson', () => {
  it('reads a valid app.json with every input type and reports nothing', () => {
    const input = {
      f1: { type: 'single_function_selector', filter: { type: 'switch' }, value: true, required: true, name: 'F' },
      f2: { type: 'multi_function_selector' },
      d1: { type: 'single_device_selector', value: false },
      d2: { type: 'multi_device_selector', filter: {} },
      n1: { type: 'single_notification_output_selector', allow_add: false },
      n2: { type: 'multi_notification_output_selector' },
      t: { type: 'text', default: 'abc', multiline: true, validator: '[a-z]+', on_error: 'letters' },
      num: { type: 'number', default: 3 },
      o: { type: 'option', default: 1, values: { '1': 'One', '2': 'Two' } },
      c: { type: 'checkbox', default: ['1'], values: { '1': 'One' } },
      tg: { type: 'toggle', default: true, true_value: 'on', false_value: 'off' },
      r: { type: 'repeat', min: 1, max: 3, input_fields: ['rf'] },
      rf: { type: 'number' },
    };
    const text = appText(input, Object.keys(input).filter((n) => n !== 'rf'));
    const { appJson, problems } = parseAppJson(text, 'app.json');
    assert.deepEqual(problems, []);
    assert.deepEqual(appJson?.input, input);
    assert.equal(appJson?.name, 'Test');
    assert.deepEqual(appJson?.guide, [{ id: 'p1', title: 'Page', input_fields: Object.keys(input).filter((n) => n !== 'rf') }]);
  });

  it('accepts "license" for "licence" and reads the descriptive keys', () => {
    const { appJson, problems } = parseAppJson('{"author":"A","license":"MIT","version":"1.2.0","description":"d","input":{},"guide":[]}', 'app.json');
    assert.deepEqual(problems, []);
    assert.deepEqual(appJson, { author: 'A', licence: 'MIT', version: '1.2.0', description: 'd', input: {}, guide: [] });
  });

  it('exports the type names and a parameter table with defaults', () => {
    assert.equal(INPUT_TYPES.length, 12);
    assert.deepEqual(INPUT_PARAMETERS.repeat.map((p) => [p.name, p.default ?? p.defaultText]), [['min', 0], ['max', 'unlimited'], ['input_fields', undefined]]);
    assert.deepEqual(INPUT_PARAMETERS.multi_function_selector.map((p) => [p.name, p.default]), [['filter', {}], ['value', false]]);
    assert.equal(INPUT_PARAMETERS.single_notification_output_selector[0].default, true);
    assert.equal(INPUT_PARAMETERS.toggle.find((p) => p.name === 'default')?.default, false);
  });

  it('reports every syntax error at its place and nothing else', () => {
    const text = '{\n  "input": {\n    "a": { "type": "text" },\n  },\n  "guide": [1 2]\n}';
    const problems = problemsOf(text);
    assert.deepEqual(problems.map(where), ['3:28 error json-syntax', '5:15 error json-syntax']);
    assert.equal(problems[0].message, 'trailing comma');
    assert.equal(problems[0].fix, 'remove the comma');
    assert.equal(problems[1].message, 'expected a comma');
  });

  it('rejects comments, since IoT Open parses app.json as plain JSON', () => {
    const text = '{\n  // my app\n  "input": {}, "guide": []\n}';
    const problems = problemsOf(text);
    assert.deepEqual(problems.map(where), ['2:3 error json-syntax']);
    assert.match(problems[0].message, /comments are not allowed/);
  });

  it('reports an empty file and a root that is not an object', () => {
    assert.deepEqual(problemsOf('').map((p) => [where(p), p.message]), [['1:1 error json-syntax', 'the file is empty']]);
    const r = parseAppJson('\n  [1]', 'app.json');
    assert.equal(r.appJson, undefined);
    assert.deepEqual(r.problems.map(where), ['2:3 error app-json-root']);
  });

  it('reports "input" and an input that are not objects', () => {
    const t1 = '{ "input": [], "guide": [] }';
    assert.deepEqual(problemsOf(t1).map(where), [at(t1, '[]', 'error', 'app-json-type')]);
    const t2 = appText({ a: 5 });
    assert.deepEqual(problemsOf(t2).map(where), [at(t2, '5', 'error', 'input-not-object')]);
  });

  it('reports an unknown input type with a suggestion, and a missing type', () => {
    const text = appText({ a: { type: 'single_function_selectr' }, b: { name: 'B' } });
    const problems = problemsOf(text);
    assert.deepEqual(problems.map(where), [at(text, '"single_function_selectr"', 'error', 'input-type-unknown'), at(text, '"b"', 'error', 'input-type-missing')]);
    assert.equal(problems[0].message, 'input "a": unknown input type "single_function_selectr"; did you mean "single_function_selector"?');
    assert.equal(problems[0].fix, 'write "type": "single_function_selector"');
    // The input exists though its type is bad: the guide naming it is not a second error.
    assert.equal(withCode(problems, 'unknown-input').length, 0);
  });

  it('reports parameters of the wrong JSON type at their values', () => {
    const text = appText({
      r: { type: 'repeat', min: '2', max: -1, input_fields: 'x' },
      r2: { type: 'repeat', input_fields: ['x', 7] },
      x: { type: 'number' },
      f: { type: 'single_function_selector', value: 'true', filter: [] },
      o: { type: 'option', values: { a: 1 } },
      t: { type: 'text', multiline: 'no', on_error: 3 },
    }, ['r', 'r2', 'f', 'o', 't']);
    const problems = problemsOf(text);
    assert.deepEqual(problems.map(where), [
      at(text, '"2"', 'error', 'input-parameter-type'),
      at(text, '-1', 'error', 'input-parameter-type'),
      at(text, '"x"', 'error', 'input-parameter-type'),
      at(text, '7', 'error', 'input-parameter-type'),
      at(text, '"true"', 'error', 'input-parameter-type'),
      at(text, '[]', 'error', 'input-parameter-type'),
      at(text, '"a": 1', 'error', 'input-parameter-type', 1, 5),
      at(text, '"no"', 'error', 'input-parameter-type'),
      at(text, '3', 'error', 'input-parameter-type'),
    ]);
    assert.equal(problems[0].message, 'input "r": "min" must be a whole number of at least 0; got the string "2"');
    assert.equal(problems[0].fix, 'use 2 (a number)');
    assert.equal(problems[2].fix, 'write ["x"]');
    assert.equal(problems[4].fix, 'use true (a boolean, no quotes)');
    // A literal fix carries the text that replaces the range (an editor's quick fix); words do not.
    assert.deepEqual(problems.map((p) => p.replacement), ['2', undefined, undefined, undefined, 'true', undefined, undefined, undefined, '"3"']);
  });

  it('offers a replacement only where the fix is a literal', () => {
    const text = JSON.stringify({ name: 5, version: {}, input: { t: { type: 'text', default: 12 }, u: { type: 'text', default: ['a'] }, n: { type: 'number', default: '1.50' } }, guide: [{ id: 'p', input_fields: ['t', 'u', 'n'] }] }, null, 2);
    const byCode = problemsOf(text).map((p) => [p.code, text.slice(p.offset, p.offset! + p.length!), p.replacement]);
    assert.deepEqual(byCode, [
      ['app-json-type', '5', '"5"'],
      ['app-json-type', '{}', undefined],
      ['input-default-type', '12', '"12"'],
      ['input-default-type', '[\n        "a"\n      ]', undefined],
      ['input-default-type', '"1.50"', '1.5'],
    ]);
  });

  it('warns about unknown parameters with a suggestion', () => {
    const text = appText({ t: { type: 'text', on_eror: 'x' }, f: { type: 'single_device_selector', allow_add: true } });
    const problems = problemsOf(text);
    assert.deepEqual(problems.map(where), [at(text, '"on_eror"', 'warning', 'input-unknown-parameter'), at(text, '"allow_add"', 'warning', 'input-unknown-parameter')]);
    assert.equal(problems[0].message, 'input "t" (text) has no parameter "on_eror"; did you mean "on_error"?');
    assert.equal(problems[0].fix, 'rename it to "on_error"');
    assert.equal(problems[0].replacement, '"on_error"');
    assert.equal(problems[1].replacement, undefined);
  });

  it('requires input_fields on a repeat', () => {
    const text = appText({ r: { type: 'repeat' } });
    const { appJson, problems } = parseAppJson(text, 'app.json');
    assert.deepEqual(problems.map(where), [at(text, '"r"', 'error', 'input-parameter-missing')]);
    assert.deepEqual(appJson?.input.r, { type: 'repeat', input_fields: [] });
  });

  it('reports repeat members and guide entries that are not inputs', () => {
    const text = appText({ r: { type: 'repeat', input_fields: ['trigger_valeu'] }, trigger_value: { type: 'number' } }, ['r', 'nope']);
    const problems = problemsOf(text);
    assert.deepEqual(problems.map(where), [
      at(text, '"trigger_valeu"', 'error', 'unknown-input'),
      at(text, '"trigger_value"', 'warning', 'input-unreachable'),
      at(text, '"nope"', 'error', 'unknown-input'),
    ]);
    assert.equal(problems[0].message, 'repeat "r" lists "trigger_valeu", which is not an input; did you mean "trigger_value"?');
    assert.equal(problems[2].message, 'guide page "p1" lists "nope", which is not an input; no input has that name');
  });

  it('reports a repeat that contains itself directly', () => {
    const text = appText({ r: { type: 'repeat', input_fields: ['x', 'r'] }, x: { type: 'number' } }, ['r']);
    const problems = problemsOf(text);
    assert.deepEqual(problems.map(where), [at(text, '"r"', 'error', 'repeat-cycle', 2)]);
    assert.equal(problems[0].message, 'repeat "r" lists itself in its input_fields');
  });

  it('reports a repeat that contains itself through other repeats, once', () => {
    const text = appText({ a: { type: 'repeat', input_fields: ['b'] }, b: { type: 'repeat', input_fields: ['c'] }, c: { type: 'repeat', input_fields: ['a'] } }, ['a']);
    const problems = problemsOf(text);
    assert.deepEqual(problems.map(where), [at(text, '"a"', 'error', 'repeat-cycle', 2)]);
    assert.equal(problems[0].message, 'repeat "a" contains itself: "a" → "b" → "c" → "a"');
    assert.equal(problems[0].fix, 'remove "a" from the input_fields of "c"');
  });

  it('accepts a repeat inside a repeat', () => {
    const text = appText({ outer: { type: 'repeat', input_fields: ['inner', 'label'] }, inner: { type: 'repeat', input_fields: ['fn'] }, label: { type: 'text' }, fn: { type: 'single_function_selector' } }, ['outer']);
    assert.deepEqual(problemsOf(text), []);
  });

  it('warns about inputs on no page and in no repeat, and about inputs in both', () => {
    const text = appText({ a: { type: 'text' }, lost: { type: 'number' }, r: { type: 'repeat', input_fields: ['a'] } }, ['a', 'r']);
    const problems = problemsOf(text);
    assert.deepEqual(problems.map(where), [at(text, '"a"', 'warning', 'input-in-repeat-and-page'), at(text, '"lost"', 'warning', 'input-unreachable')]);
    assert.equal(problems[1].message, 'input "lost" is on no guide page and in no repeat, so the user is never asked for it');
  });

  it('reports min greater than max at max', () => {
    const text = appText({ r: { type: 'repeat', min: 3, max: 2, input_fields: ['x'] }, x: { type: 'text' } }, ['r']);
    const problems = problemsOf(text);
    assert.deepEqual(problems.map(where), [at(text, '2,', 'error', 'repeat-min-max')]);
    assert.equal(problems[0].message, 'repeat "r": "max" 2 is less than "min" 3');
  });

  it('reports a validator that is not a regexp', () => {
    const text = appText({ t: { type: 'text', validator: '[a-z' } });
    const problems = problemsOf(text);
    assert.deepEqual(problems.map(where), [at(text, '"[a-z"', 'error', 'input-validator-invalid')]);
    assert.match(problems[0].message, /^input "t": "validator" is not a valid regexp: /);
  });

  it('checks defaults against their input', () => {
    const text = appText({
      t: { type: 'text', default: 'a1', validator: '[a-z]*', on_error: 'Only letters' },
      n1: { type: 'number', default: '7' },
      n2: { type: 'number', default: 'seven' },
      o: { type: 'option', default: 'tw', values: { one: '1', two: '2' } },
      c: { type: 'checkbox', default: ['one', 'six'], values: { one: '1' } },
      tg: { type: 'toggle', default: 'true' },
      e: { type: 'option' },
    });
    const problems = problemsOf(text);
    assert.deepEqual(problems.map(where), [
      at(text, '"a1"', 'warning', 'input-default-invalid'),
      at(text, '"7"', 'warning', 'input-default-type'),
      at(text, '"seven"', 'error', 'input-default-type'),
      at(text, '"tw"', 'error', 'input-default-invalid'),
      at(text, '"six"', 'error', 'input-default-invalid'),
      at(text, '"true"', 'error', 'input-default-type'),
      at(text, '"e"', 'warning', 'input-no-values'),
    ]);
    assert.equal(problems[0].message, 'input "t": "default" "a1" does not match its validator /[a-z]*/ (Only letters)');
    assert.equal(problems[1].fix, 'use 7 (a number)');
    assert.equal(problems[3].message, 'input "o": default "tw" is not one of its values ("one", "two"); did you mean "two"?');
    assert.equal(problems[5].fix, 'use true (a boolean, no quotes)');
  });

  it('warns about duplicate keys, unknown top-level keys and page keys, and a missing guide', () => {
    const t1 = '{\n  "input": { "a": { "type": "text", "type": "number" } },\n  "gude": []\n}';
    assert.deepEqual(problemsOf(t1).map(where), ['2:37 warning json-duplicate-key', '1:1 warning guide-missing', '3:3 warning app-json-unknown-key'].sort(byPos));
    assert.equal(problemsOf(t1).find((p) => p.code === 'app-json-unknown-key')?.message, 'unknown key "gude" in app.json; did you mean "guide"?');
    const t2 = '{ "input": {}, "guide": [ { "titel": "x", "input_fields": [] }, 3 ] }';
    assert.deepEqual(problemsOf(t2).map(where), [at(t2, '"titel"', 'warning', 'guide-page-unknown-key'), at(t2, '3', 'error', 'guide-page-not-object')]);
  });

  it('keeps a typed best-effort model when there are errors', () => {
    const text = appText({ ok: { type: 'text', default: 'x' }, bad: { type: 'nope' }, r: { type: 'repeat', min: 'x', input_fields: ['ok'] } }, ['ok', 'bad', 'r']);
    const { appJson, problems } = parseAppJson(text, 'app.json');
    assert.equal(withCode(problems, 'input-type-unknown').length, 1);
    assert.deepEqual(Object.keys(appJson!.input), ['ok', 'r']);
    assert.deepEqual(appJson!.input.r, { type: 'repeat', input_fields: ['ok'] });
  });
});

function byPos(a: string, b: string): number {
  const [la, ca] = a.split(' ')[0].split(':').map(Number);
  const [lb, cb] = b.split(' ')[0].split(':').map(Number);
  return la - lb || ca - cb;
}
