/**
 * What the configuration guide's panel reads from an app folder and writes back
 * (client/guide/app-sources.ts, client/guide/notification-outputs.ts): app.json with its first
 * error placed, the devices, the notification outputs and their "add a new output" flow, and
 * instance files read and written as seed 003's object.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { appMessage, instanceFileText, namedInstanceFile, notificationIds, readAppJson, readDevices, readInstance } from '../../client/guide/app-sources';
import { addNotificationOutput, readNotificationOutputs, withReferencedOutputs } from '../../client/guide/notification-outputs';
import { parseInstanceFile } from '../../runtime/app/instance-file';
import { ROOT } from './cli-helpers';

describe('client: what the configuration guide reads and writes', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'guide-'));
    cpSync(path.join(ROOT, 'examples', 'door-light'), dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('sends app.json, the devices and where they come from', () => {
    const msg = appMessage(dir, readFileSync(path.join(dir, 'app.json'), 'utf8'), ['save']);
    assert.equal(msg.type, 'app');
    if (msg.type !== 'app') return;
    assert.equal(msg.appName, 'Door light');
    assert.equal(msg.devicesFrom, 'devices.json');
    assert.deepEqual(msg.devices.map((d) => d.id), ['front-door', 'hall-lamp', 'kitchen', 'freezer']);
    assert.equal(msg.problem, undefined);
    assert.deepEqual(msg.actions, ['save']);
  });

  it('places app.json\'s first error, and keeps a model of a file that can still be read', () => {
    const broken = readAppJson('{\n  "input": {\n    "a": { "type": "text" }\n  ,\n', 'app.json');
    assert.equal(broken.appJson, undefined);
    assert.equal(broken.problem?.file, 'app.json');
    assert.ok(broken.problem && broken.problem.line >= 4, JSON.stringify(broken.problem));
    const misspelt = readAppJson('{ "input": { "a": { "type": "txt" } }, "guide": [] }', 'app.json');
    assert.ok(misspelt.appJson, 'still a model');
    assert.match(misspelt.problem?.message ?? '', /txt/);
  });

  it('says why there are no devices: no devices.json, or the error in it', () => {
    rmSync(path.join(dir, 'devices.json'));
    assert.match(readDevices(dir).from, /no devices\.json/);
    writeFileSync(path.join(dir, 'devices.json'), '[{ "id": "x" }]');
    const read = readDevices(dir);
    assert.deepEqual(read.devices, []);
    assert.match(read.from, /^devices\.json, which has an error: devices\.json:1:\d+/);
  });

  it('reads an instance file as seed 003\'s object, a bare config too, and writes it back the same', () => {
    const appJson = readAppJson(readFileSync(path.join(dir, 'app.json'), 'utf8'), 'app.json').appJson;
    const instance = readInstance(path.join(dir, 'instance.json'), appJson);
    assert.deepEqual(instance, JSON.parse(readFileSync(path.join(dir, 'instance.json'), 'utf8')));
    const text = instanceFileText(instance!);
    assert.deepEqual(JSON.parse(text), instance);
    assert.deepEqual(parseInstanceFile(text, 'instance.json', appJson!).problems, []);
    writeFileSync(path.join(dir, 'bare.instance.json'), '// a comment\n{ "timeout": 3 }');
    assert.deepEqual(readInstance(path.join(dir, 'bare.instance.json'), appJson), { app_id: 1, installation_id: 1, version: '1.0.0', config: { timeout: 3 }, name: 'Door light' });
    writeFileSync(path.join(dir, 'bad.instance.json'), '{ "timeout": ');
    assert.equal(readInstance(path.join(dir, 'bad.instance.json'), appJson), undefined);
    assert.equal(readInstance(path.join(dir, 'none.instance.json'), appJson), undefined);
  });

  it('finds the notification outputs a config selects, in repeat entries too', () => {
    const app = { input: { alarm: { type: 'single_notification_output_selector' }, reports: { type: 'multi_notification_output_selector' }, rules: { type: 'repeat', input_fields: ['alarm'] }, room: { type: 'text' } }, guide: [] } as never;
    assert.deepEqual(notificationIds(app, { alarm: 456, reports: [457, 458], rules: [{ alarm: 9 }, { alarm: 'x' }], room: 'Hall', unknown: 1 }), [456, 457, 458, 9, 'x']);
  });

  it('names a named instance file after the instance', () => {
    assert.equal(namedInstanceFile('Kitchen light'), 'kitchen-light.instance.json');
    assert.equal(namedInstanceFile('  Ünïcode / ../x  '), 'unicode-x.instance.json');
    assert.equal(namedInstanceFile('***'), 'new.instance.json');
  });

  it('adds notification outputs with the next free id, offers those an instance uses, and never overwrites a file it cannot read', () => {
    assert.deepEqual(readNotificationOutputs(dir), []);
    assert.deepEqual(addNotificationOutput(dir, ' Phone '), { id: 1, name: 'Phone' });
    assert.deepEqual(addNotificationOutput(dir, 'Pager'), { id: 2, name: 'Pager' });
    assert.deepEqual(readNotificationOutputs(dir).map((o) => o.name), ['Phone', 'Pager']);
    assert.deepEqual(withReferencedOutputs(readNotificationOutputs(dir), [2, 456, 456]).map((o) => o.id), [1, 2, 456]);
    writeFileSync(path.join(dir, 'notification-outputs.json'), '{ "not": "a list" }');
    assert.throws(() => addNotificationOutput(dir, 'x'), /must be a JSON array/);
    assert.equal(readFileSync(path.join(dir, 'notification-outputs.json'), 'utf8'), '{ "not": "a list" }');
  });
});
