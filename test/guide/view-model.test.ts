/**
 * The configuration guide's view model (guide/view-model.ts): built from app.json, the config as it
 * is, and the devices; the config edits the page sends (guide/config-edits.ts); and what the
 * extension accepts from the page (guide/messages.ts).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import type { AppJson } from '../../runtime/app/app-json-types';
import { catalogueOfSpecs, prepareInstanceConfig } from '../../runtime/app/instance-config';
import { parseDevicesFile } from '../../runtime/devices/devices-file';
import { addRow, removeRow, setAt } from '../../guide/config-edits';
import { isPageMessage } from '../../guide/messages';
import { buildGuideModel, editorFor, type Field, type GuideContext, type RepeatField, type SelectorField } from '../../guide/view-model';

const ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLE = path.join(ROOT, 'examples', 'door-light');
const exampleApp = JSON.parse(readFileSync(path.join(EXAMPLE, 'app.json'), 'utf8')) as AppJson;
const exampleDevices = parseDevicesFile(readFileSync(path.join(EXAMPLE, 'devices.json'), 'utf8'), 'devices.json');
const exampleInstance = JSON.parse(readFileSync(path.join(EXAMPLE, 'instance.json'), 'utf8')) as { config: Record<string, never> };
const OUTPUTS = [{ id: 456, name: 'Phone' }, { id: 457, name: 'E-mail' }];
const context = (devices = exampleDevices): GuideContext => ({ catalogue: catalogueOfSpecs(devices), notificationOutputs: OUTPUTS });

const field = (fields: Field[], key: string) => {
  const f = fields.find((x) => x.key === key);
  assert.ok(f, `no field ${key} in ${fields.map((x) => x.key)}`);
  return f;
};

/** An app with every input type of seed 003 (the page tests fill in the same app). */
const EVERY_TYPE = JSON.parse(readFileSync(path.join(ROOT, 'test', 'fixtures', 'guide', 'every-type.json'), 'utf8')) as AppJson;

describe('guide: the view model', () => {
  it("seed 003's example with its instance.json: pages in order, selected functions with their values, the repeat's rows", () => {
    const model = buildGuideModel(exampleApp, exampleInstance.config, context());
    assert.deepEqual(model.pages.map((p) => [p.id, p.title, p.fields.map((f) => f.key)]), [
      ['stage_1', 'Function selection', ['trigger_function', 'actuator_function']],
      ['stage_2', 'Timeout settings', ['timeout', 'temp', 'notification', 'text_example']],
    ]);
    const [first, second] = model.pages;
    const trigger = field(first.fields, 'trigger_function') as SelectorField;
    // filter {"type": "door"}: only door functions are offered.
    assert.deepEqual(trigger.choices.map((c) => c.detail), trigger.choices.map(() => 'door'));
    assert.deepEqual(trigger.selected, [123]);
    const actuator = field(first.fields, 'actuator_function') as SelectorField;
    assert.deepEqual(actuator.selected, [4456]);
    assert.deepEqual(actuator.values, { '4456': 80 });
    // 4456 is the hall lamp's level: a dimmer, edited as a number 0–100.
    assert.deepEqual(actuator.editors?.['4456'], editorFor('dimmer'));
    assert.equal(actuator.editors?.['4456'].kind, 'number');
    const temp = field(second.fields, 'temp') as RepeatField;
    assert.equal(temp.rows.length, 3);
    assert.deepEqual([temp.min, temp.max, temp.canAdd, temp.canRemove], [2, 4, true, true]);
    assert.deepEqual((temp.rows[0][0] as SelectorField).values, { '9': 26 });
    assert.deepEqual(temp.rows[2][0].path, ['temp', 2, 'trigger_value']);
    assert.deepEqual(field(second.fields, 'notification'), { key: 'notification', path: ['notification'], label: 'Notification', description: exampleApp.input.notification.description, required: false, kind: 'notification-selector', multiple: false, allowAdd: true, choices: [{ id: 456, label: 'Phone' }, { id: 457, label: 'E-mail' }], selected: [456], filled: true });
    assert.ok(model.pages.every((p) => p.complete));
    assert.deepEqual(model.missingInputs, []);
  });

  it('every input type with an empty config: defaults shown, filters applied, required fields block the page', () => {
    const model = buildGuideModel(EVERY_TYPE, {}, context());
    const [devices, settings] = model.pages;
    assert.equal(settings.title, 'Settings');
    const lamp = field(devices.fields, 'lamp') as SelectorField;
    assert.ok(lamp.choices.length > 0 && lamp.choices.every((c) => c.detail === 'switch'), JSON.stringify(lamp.choices));
    assert.deepEqual([lamp.required, lamp.filled, lamp.multiple], [true, false, false]);
    assert.equal(devices.complete, false, 'the required lamp is not chosen yet');
    const door = field(devices.fields, 'door') as SelectorField;
    assert.equal(door.kind, 'device-selector');
    assert.ok(door.choices.some((c) => c.id === 'front-door'));
    assert.deepEqual((field(devices.fields, 'alarm') as { allowAdd: boolean }).allowAdd, false);
    assert.equal((field(devices.fields, 'reports') as { multiple: boolean }).multiple, true);
    assert.deepEqual(pick(field(settings.fields, 'room'), ['value', 'filled', 'error']), { value: 'Hall', filled: true, error: undefined });
    assert.equal((field(settings.fields, 'note') as { multiline: boolean }).multiline, true);
    // seed 003's own example writes a number default as "10": shown as the number it means.
    assert.deepEqual(pick(field(settings.fields, 'minutes'), ['value', 'filled']), { value: 10, filled: true });
    assert.deepEqual(pick(field(settings.fields, 'mode'), ['selected', 'choices']), { selected: 'eco', choices: [{ id: 'eco', label: 'Economy' }, { id: 'full', label: 'Full power' }] });
    assert.deepEqual(pick(field(settings.fields, 'days'), ['selected']), { selected: ['1', '3'] });
    assert.deepEqual(pick(field(settings.fields, 'armed'), ['on']), { on: false });
    const steps = field(settings.fields, 'steps') as RepeatField;
    assert.deepEqual([steps.rows.length, steps.canAdd, steps.canRemove], [1, true, false], 'min 1: one row shown, none removable');
    assert.deepEqual(steps.rows[0].map((f) => f.path), [['steps', 0, 'level'], ['steps', 0, 'mode']]);
  });

  it('checks as the user types: the validator with its on_error, a number that is not one, repeat bounds', () => {
    const model = buildGuideModel(EVERY_TYPE, { room: 'Hall 2', minutes: 'ten', armed: 'yes', steps: [{}, {}, {}] }, context());
    const settings = model.pages[1];
    assert.equal(field(settings.fields, 'room').error, 'Letters only');
    assert.equal(field(settings.fields, 'minutes').error, '"ten" is not a number');
    assert.equal((field(settings.fields, 'armed') as { on: boolean }).on, true);
    const steps = field(settings.fields, 'steps') as RepeatField;
    assert.equal(steps.error, 'at most 2 entries');
    assert.equal(steps.canAdd, false);
    assert.equal(settings.complete, false);
  });

  it('a selector with values: ids written as keys come back as the catalogue\'s ids, each with the editor of its type', () => {
    const switchFn = [...catalogueOfSpecs(exampleDevices).functionIds()].find((id) => catalogueOfSpecs(exampleDevices).functionById(id)?.type === 'switch')!;
    const model = buildGuideModel(EVERY_TYPE, { lamp: { [String(switchFn)]: 'on' } }, context());
    const lamp = field(model.pages[0].fields, 'lamp') as SelectorField;
    assert.deepEqual(lamp.selected, [switchFn]);
    assert.deepEqual(lamp.editors?.[String(switchFn)], { kind: 'choice', values: ['on', 'off'] });
    assert.deepEqual(editorFor('no-such-type'), { kind: 'text' });
  });

  it('names a page lists that app.json does not define, as seed 003\'s own example does (example_text)', () => {
    const app = { ...exampleApp, guide: [{ title: 'One', input_fields: ['timeout', 'example_text'] }] } as AppJson;
    const model = buildGuideModel(app, {}, context());
    assert.deepEqual(model.missingInputs, ['example_text']);
    assert.deepEqual(model.pages[0].fields.map((f) => f.key), ['timeout']);
  });
});

describe('guide: config edits', () => {
  it('sets and removes values at paths, creating rows and objects on the way; the config given is not changed', () => {
    const before = { timeout: 10 };
    const after = setAt(before, ['temp', 1, 'trigger_value'], { '9': 30 });
    assert.deepEqual(before, { timeout: 10 });
    assert.deepEqual(after, { timeout: 10, temp: [{}, { trigger_value: { '9': 30 } }] });
    assert.deepEqual(setAt(after, ['timeout'], undefined), { temp: [{}, { trigger_value: { '9': 30 } }] });
  });

  it('adds and removes repeat rows within min and max, and the result is the config the runtime accepts', () => {
    let config: Record<string, never> = { ...exampleInstance.config };
    assert.equal((config.temp as unknown[]).length, 3);
    config = addRow(exampleApp, config, ['temp']) as never;
    assert.equal((config.temp as unknown[]).length, 4);
    config = addRow(exampleApp, config, ['temp']) as never;
    assert.equal((config.temp as unknown[]).length, 4, 'max 4');
    config = setAt(config, ['temp', 3, 'trigger_value'], { '9': 40 }) as never;
    config = removeRow(exampleApp, config, ['temp'], 0) as never;
    config = removeRow(exampleApp, config, ['temp'], 0) as never;
    assert.deepEqual(config.temp, [{ trigger_value: { '12': -10 } }, { trigger_value: { '9': 40 } }]);
    config = removeRow(exampleApp, config, ['temp'], 0) as never;
    assert.equal((config.temp as unknown[]).length, 2, 'min 2');
    const prepared = prepareInstanceConfig({ name: 'door-light', appJson: exampleApp }, config, exampleDevices);
    assert.deepEqual(prepared.config.temp, config.temp);
    assert.throws(() => addRow(exampleApp, config, ['timeout']), /timeout is not a repeat input/);
  });
});

describe('guide: messages from the page', () => {
  it('accepts the declared messages and refuses anything else, prototype keys included', () => {
    const instance = { app_id: 5, installation_id: 12, version: '1.0.0', name: 'Hall light', config: { temp: [{ trigger_value: { '9': 26 } }], timeout: 10 } };
    const pollutedConfig = JSON.parse('{"__proto__": {"polluted": true}}') as unknown;
    for (const ok of [{ type: 'ready' }, { type: 'chooseDevices' }, { type: 'addNotificationOutput', path: ['notification'], name: 'Phone' }, { type: 'action', action: 'save', instance }, { type: 'action', action: 'debug', instance: { ...instance, config: {} } }]) assert.ok(isPageMessage(ok), JSON.stringify(ok));
    for (const bad of [
      null,
      'ready',
      { type: 'eval', code: '1' },
      { type: 'addNotificationOutput', path: [], name: 'x' },
      { type: 'addNotificationOutput', path: ['__proto__', 'polluted'], name: 'x' },
      { type: 'addNotificationOutput', path: ['notification'], name: '   ' },
      { type: 'action', action: 'rm -rf', instance },
      { type: 'action', action: 'save' },
      { type: 'action', action: 'save', instance: { ...instance, app_id: '5' } },
      { type: 'action', action: 'save', instance: { ...instance, config: [] } },
      { type: 'action', action: 'save', instance: { ...instance, config: { a: Infinity } } },
      { type: 'action', action: 'save', instance: { ...instance, config: { a: () => 1 } } },
      { type: 'action', action: 'save', instance: { ...instance, config: pollutedConfig } },
    ])
      assert.equal(isPageMessage(bad), false, JSON.stringify(bad));
  });
});

describe('guide: runs in a browser', function () {
  this.timeout(60_000);
  for (const file of ['guide/view-model.ts', 'guide/config-edits.ts', 'guide/messages.ts', 'guide/guide-state.ts', 'guide/carry-config.ts']) {
    it(`${file} bundles for the browser (no node: module reachable)`, async () => {
      const result = await build({ entryPoints: [path.join(ROOT, file)], bundle: true, platform: 'browser', format: 'esm', write: false, logLevel: 'silent', metafile: true });
      assert.ok(!Object.keys(result.metafile.inputs).some((i) => i.startsWith('node:')));
    });
  }
});

function pick(o: object, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, (o as Record<string, unknown>)[k]]));
}
