/**
 * The guide's state as the page holds it (guide/guide-state.ts) and values following renamed
 * inputs (guide/carry-config.ts): what the extension sends, what the page does with it, and the
 * instance object it produces.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { AppJson } from '../../runtime/app/app-json-types';
import { prepareInstanceConfig } from '../../runtime/app/instance-config';
import { parseDevicesFile } from '../../runtime/devices/devices-file';
import { carryConfig, renamedInputs } from '../../guide/carry-config';
import type { ExtensionMessage } from '../../guide/messages';
import { addRowAt, edit, goTo, initialState, instanceOf, modelOf, receive, type GuideState } from '../../guide/guide-state';

const ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLE = path.join(ROOT, 'examples', 'door-light');
const appJson = JSON.parse(readFileSync(path.join(EXAMPLE, 'app.json'), 'utf8')) as AppJson;
const devices = parseDevicesFile(readFileSync(path.join(EXAMPLE, 'devices.json'), 'utf8'), 'devices.json');
const instance = JSON.parse(readFileSync(path.join(EXAMPLE, 'instance.json'), 'utf8')) as { app_id: number; installation_id: number; version: string; name: string; config: Record<string, never> };

const appMessage = (app: AppJson | undefined, problem?: { line: number; column: number; message: string }): ExtensionMessage => ({
  type: 'app',
  appName: 'door-light',
  ...(app ? { appJson: app } : {}),
  ...(problem ? { problem: { file: 'app.json', ...problem } } : {}),
  devices: [...devices],
  devicesFrom: 'devices.json',
  notificationOutputs: [{ id: 456, name: 'Phone' }],
  actions: ['save', 'saveAs', 'run', 'debug'],
});

const loaded = (): GuideState => receive(receive(initialState(), appMessage(appJson)), { type: 'instance', instance, file: 'instance.json' });

/** app.json with input `from` renamed to `to`, in the guide and in repeats too. */
function renamed(app: AppJson, from: string, to: string): AppJson {
  const text = JSON.stringify(app).replaceAll(`"${from}"`, `"${to}"`);
  return JSON.parse(text) as AppJson;
}

describe('guide: the page state', () => {
  it('an instance file loaded as it is comes back as the same instance object, which the runtime accepts', () => {
    const s = loaded();
    assert.deepEqual(instanceOf(s), instance);
    assert.doesNotThrow(() => prepareInstanceConfig({ name: 'door-light', appJson }, instanceOf(s).config, devices));
  });

  it('a new instance gets the defaults the guide shows, and only app.json\'s inputs', () => {
    let s = receive(initialState(), appMessage(appJson));
    s = edit(s, ['no_such_input'], 1);
    const out = instanceOf(s);
    assert.equal(out.name, 'Door light', "the app's name until the user chooses one");
    assert.equal(out.version, '1.0.0');
    assert.deepEqual(out.config, { timeout: 10, temp: [], text_example: 'Home' });
  });

  it('Next stops at a page that is not complete, and the summary is one past the last page', () => {
    let s = receive(initialState(), appMessage(appJson));
    assert.equal(goTo(s, 2).page, 0, 'page 1 has required fields not filled');
    s = edit(edit(s, ['trigger_function'], 123), ['actuator_function'], { '4456': 80 });
    assert.equal(goTo(s, 1).page, 1);
    assert.equal(goTo(s, 2).page, 1, 'the repeat needs 2 entries');
    s = edit(edit(s, ['temp', 0, 'trigger_value'], { '9': 26 }), ['temp', 1, 'trigger_value'], { '12': -10 });
    assert.equal(goTo(s, 2).page, 2);
    assert.equal(goTo(s, 9).page, 2, 'never past the summary');
    // An added row's fields are optional here, as app.json says: the runtime takes the empty entry.
    const withEmptyRow = addRowAt(s, ['temp']);
    assert.equal(goTo(withEmptyRow, 2).page, 2);
    assert.doesNotThrow(() => prepareInstanceConfig({ name: 'door-light', appJson }, instanceOf(withEmptyRow).config, devices));
  });

  it('a broken app.json keeps the last good guide and every value; the fixed file is used again', () => {
    const s = loaded();
    const broken = receive(s, appMessage(undefined, { line: 3, column: 5, message: 'Expected a comma' }));
    assert.equal(broken.problem?.line, 3);
    assert.equal(broken.appJson, appJson);
    assert.deepEqual(broken.config, s.config);
    assert.ok(modelOf(broken));
    const fixed = receive(broken, appMessage(appJson));
    assert.equal(fixed.problem, undefined);
    assert.deepEqual(instanceOf(fixed), instance);
  });

  it('renaming an input keeps its value, inside repeats too, and the old name\'s value returns if the rename is undone', () => {
    const s = loaded();
    const next = renamed(appJson, 'timeout', 'light_minutes');
    const after = receive(s, appMessage(next));
    assert.equal(instanceOf(after).config.light_minutes, 10);
    assert.equal(instanceOf(after).config.timeout, undefined);
    const inner = receive(s, appMessage(renamed(appJson, 'trigger_value', 'threshold')));
    assert.deepEqual(instanceOf(inner).config.temp, [{ threshold: { '9': 26 } }, { threshold: { '9': 35 } }, { threshold: { '12': -10 } }]);
    const back = receive(after, appMessage(appJson));
    assert.equal(instanceOf(back).config.timeout, 10);
  });

  it('pairs renamed inputs by type, and by their place when several change at once', () => {
    const two = JSON.parse(JSON.stringify(appJson)) as AppJson & { input: Record<string, unknown> };
    for (const [from, to] of [['timeout', 'minutes'], ['text_example', 'prefix']]) {
      two.input[to] = two.input[from] as never;
      delete two.input[from];
      for (const page of two.guide) page.input_fields = page.input_fields.map((k) => (k === from ? to : k));
    }
    assert.deepEqual([...renamedInputs(appJson, two)], [['timeout', 'minutes'], ['text_example', 'prefix']]);
    const retyped = JSON.parse(JSON.stringify(renamed(appJson, 'timeout', 'minutes'))) as AppJson;
    (retyped.input.minutes as { type: string }).type = 'text';
    assert.equal(renamedInputs(appJson, retyped).size, 0, 'a number that became a text is a new input');
    assert.deepEqual(carryConfig(appJson, retyped, { timeout: 10 }), { timeout: 10 });
  });

  it('an added notification output is selected', () => {
    const s = receive(loaded(), { type: 'outputAdded', path: ['notification'], output: { id: 900, name: 'Pager' } });
    assert.equal(instanceOf(s).config.notification, 900);
    assert.ok(s.outputs.some((o) => o.id === 900));
  });
});
