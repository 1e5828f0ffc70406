import assert from 'node:assert/strict';
import { AppJson, applyDefaults, InputSpec, resolveSettings } from '../../../runtime/app';

function app(input: Record<string, InputSpec>, hidden: string[] = []): AppJson {
  return { input, guide: [{ input_fields: Object.keys(input).filter((n) => !hidden.includes(n)) }] };
}

describe('applyDefaults', () => {
  const a = app({
    text: { type: 'text', default: 'hello' },
    num: { type: 'number', default: '10' },
    num2: { type: 'number', default: 2.5 },
    opt: { type: 'option', default: 'b', values: { a: 'A', b: 'B' } },
    box: { type: 'checkbox', default: 'a', values: { a: 'A' } },
    boxes: { type: 'checkbox', default: ['a', 'b'], values: { a: 'A', b: 'B' } },
    plain: { type: 'toggle' },
    mapped: { type: 'toggle', false_value: 'off', true_value: 'on' },
    onByDefault: { type: 'toggle', default: true, false_value: 0 },
    rep: { type: 'repeat', input_fields: ['inner', 'level'] },
    inner: { type: 'repeat', input_fields: ['level'] },
    level: { type: 'number', default: 5 },
    fn: { type: 'single_function_selector' },
    free: { type: 'text' },
  }, ['inner', 'level']);

  it('fills every absent input that has a default, coercing a numeric string default', () => {
    assert.deepEqual(applyDefaults(a, {}), {
      text: 'hello',
      num: 10,
      num2: 2.5,
      opt: 'b',
      box: ['a'],
      boxes: ['a', 'b'],
      plain: false,
      mapped: 'off',
      onByDefault: true,
      rep: [],
    });
  });

  it('keeps given values, treats null as absent and does not touch its argument', () => {
    const config = { text: '', num: 3, mapped: 'on', fn: 7, free: null, extra: 1 };
    const copy = JSON.parse(JSON.stringify(config));
    const out = applyDefaults(a, config);
    assert.deepEqual(config, copy);
    assert.equal(out.text, '');
    assert.equal(out.num, 3);
    assert.equal(out.mapped, 'on');
    assert.equal(out.fn, 7);
    assert.equal(out.free, null);
    assert.equal(out.extra, 1);
  });

  it('fills the entries of repeats, nested ones too', () => {
    const out = applyDefaults(a, { rep: [{}, { level: 1, inner: [{}, { level: 2 }] }] });
    assert.deepEqual(out.rep, [
      { inner: [], level: 5 },
      { level: 1, inner: [{ level: 5 }, { level: 2 }] },
    ]);
  });

  it('gives each filled-in default its own copy', () => {
    const first = applyDefaults(a, {});
    (first.boxes as string[]).push('x');
    assert.deepEqual(applyDefaults(a, {}).boxes, ['a', 'b']);
  });
});

describe('resolveSettings', () => {
  const a = app({
    f: { type: 'single_function_selector' },
    fv: { type: 'single_function_selector', value: true },
    mf: { type: 'multi_function_selector' },
    mfv: { type: 'multi_function_selector', value: true },
    d: { type: 'single_device_selector' },
    dv: { type: 'single_device_selector', value: true },
    md: { type: 'multi_device_selector' },
    mdv: { type: 'multi_device_selector', value: true },
    n: { type: 'single_notification_output_selector' },
    mn: { type: 'multi_notification_output_selector' },
    t: { type: 'text' },
    o: { type: 'option', values: { '1': 'one' } },
    tg: { type: 'toggle', true_value: { level: 100 } },
  });

  it('tags every kind of selector and copies other inputs as they are', () => {
    const settings = resolveSettings(a, {
      f: 123,
      fv: { '4456': 255 },
      mf: [1, 'lamp.level'],
      mfv: { '1': 'on', 'lamp.level': 30 },
      d: 'lamp',
      dv: { lamp: true },
      md: ['lamp', 7],
      mdv: { '07': 1 },
      n: 456,
      mn: [1, 2],
      t: 'text',
      o: 1,
      tg: { level: 100 },
    });
    assert.deepEqual(settings, {
      f: { $function: 123 },
      fv: { $function: 4456, value: 255 },
      mf: [{ $function: 1 }, { $function: 'lamp.level' }],
      mfv: [{ $function: 1, value: 'on' }, { $function: 'lamp.level', value: 30 }],
      d: { $device: 'lamp' },
      dv: { $device: 'lamp', value: true },
      md: [{ $device: 'lamp' }, { $device: 7 }],
      // "07" is not how 7 is written, so it stays a string id.
      mdv: [{ $device: '07', value: 1 }],
      n: { $notification: 456 },
      mn: [{ $notification: 1 }, { $notification: 2 }],
      t: 'text',
      o: 1,
      tg: { level: 100 },
    });
  });

  it('is plain JSON: a copy, without undefined, surviving a round trip', () => {
    const config: Record<string, unknown> = { t: 'x', o: undefined, unknown: { a: [1, { b: undefined }] }, f: 5 };
    const settings = resolveSettings(a, config);
    assert.deepEqual(settings, { t: 'x', unknown: { a: [1, {}] }, f: { $function: 5 } });
    assert.deepEqual(JSON.parse(JSON.stringify(settings)), settings);
    (settings.unknown as { a: unknown[] }).a.push(2);
    assert.deepEqual(config.unknown, { a: [1, { b: undefined }] });
  });

  it('leaves values that do not fit their input untagged, and an empty single selection null', () => {
    assert.deepEqual(resolveSettings(a, { f: { '1': 2 }, fv: 3, mf: 4, mfv: {}, n: null, d: [true] }), {
      f: { '1': 2 },
      fv: 3,
      mf: 4,
      mfv: [],
      n: null,
      d: [true],
    });
    assert.deepEqual(resolveSettings(a, { fv: {} }), { fv: null });
  });

  it('resolves repeats inside repeats', () => {
    const nested = app({
      rooms: { type: 'repeat', input_fields: ['room', 'lights'] },
      room: { type: 'text' },
      lights: { type: 'repeat', input_fields: ['light', 'sensor'] },
      light: { type: 'single_function_selector', value: true },
      sensor: { type: 'single_device_selector' },
    }, ['room', 'lights', 'light', 'sensor']);
    const settings = resolveSettings(nested, {
      rooms: [
        { room: 'hall', lights: [{ light: { '4456': 255 }, sensor: 'thermo' }, { light: { '9': 1 } }] },
        { room: 'attic', lights: [] },
      ],
    });
    assert.deepEqual(settings, {
      rooms: [
        { room: 'hall', lights: [{ light: { $function: 4456, value: 255 }, sensor: { $device: 'thermo' } }, { light: { $function: 9, value: 1 } }] },
        { room: 'attic', lights: [] },
      ],
    });
  });

  it('tags repeat members only inside their repeat', () => {
    const r = app({ rep: { type: 'repeat', input_fields: ['fn'] }, fn: { type: 'single_function_selector' } }, ['fn']);
    assert.deepEqual(resolveSettings(r, { rep: [{ fn: 1 }], fn: 2 }), { rep: [{ fn: { $function: 1 } }], fn: 2 });
  });
});
