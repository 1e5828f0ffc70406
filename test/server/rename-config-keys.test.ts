/**
 * Renaming an input renames its key in the app's instance files and in its scenarios' configs and
 * update steps (and in an instance file a scenario names), so the tests keep working.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ReferencesRequest, RenameRequest, type Location, type WorkspaceEdit } from 'vscode-languageserver-protocol';
import { applyEdits, positionAfter } from '../support/text-ranges';
import { APP_JS, APP_JSON, INSTANCE_JSON, SCENARIO, writeApp } from './app-fixture';
import { LspClient } from './lsp-client';

/** The scenario with a config of its own and an instance file elsewhere, beside the fixture's. */
const SCENARIO_WITH_CONFIGS = SCENARIO.replace(
  '"name": "door opens",',
  '"name": "door opens",\n      "config": { "door": "front-door", "lamp": "hall-lamp", "minutes": 1 },',
).replace('"config": "../instance.json"', '"config": "../configs/other.json"');

const REPEAT_APP_JSON = APP_JSON.replace(
  '"brightness": {',
  '"rooms": { "type": "repeat", "name": "Rooms", "input_fields": ["room_lamp"] },\n    "room_lamp": { "type": "single_device_selector", "name": "Room lamp" },\n    "brightness": {',
);

describe('language server: renaming an input follows into instance files and scenarios', function () {
  this.timeout(30_000);
  let client: LspClient;
  let dir: string;

  before(async () => {
    dir = writeApp();
    mkdirSync(path.join(dir, 'configs'));
    writeFileSync(path.join(dir, 'configs', 'other.json'), '{ "minutes": 7, "rooms": [{ "room_lamp": "hall-lamp" }] }\n');
    writeFileSync(path.join(dir, 'tests', 'door.scenario.json'), SCENARIO_WITH_CONFIGS);
    writeFileSync(path.join(dir, 'app.json'), REPEAT_APP_JSON);
    client = await LspClient.start(dir);
  });
  after(async () => {
    await client.stop();
  });

  const file = (f: string) => path.join(dir, f);

  it('renames the key everywhere, from app.json', async () => {
    const jsonUri = LspClient.uri(file('app.json'));
    await client.open(jsonUri, REPEAT_APP_JSON);
    const edit = (await client.connection.sendRequest(RenameRequest.type, { textDocument: { uri: jsonUri }, position: positionAfter(REPEAT_APP_JSON, '"min'), newName: 'delay' })) as WorkspaceEdit;
    const changed = (f: string, text: string) => applyEdits(text, edit.changes![LspClient.uri(file(f))] ?? []);
    assert.equal(changed('instance.json', INSTANCE_JSON), INSTANCE_JSON.replace('"minutes"', '"delay"'));
    assert.equal(changed('configs/other.json', readFileSync(file('configs/other.json'), 'utf8')), '{ "delay": 7, "rooms": [{ "room_lamp": "hall-lamp" }] }\n');
    // The scenario's own config and its update step; "minutes" in anything else is left alone.
    assert.equal(changed('tests/door.scenario.json', SCENARIO_WITH_CONFIGS), SCENARIO_WITH_CONFIGS.replace('"minutes": 1', '"delay": 1').replace('{ "minutes": 3 }', '{ "delay": 3 }'));
    assert.equal(changed('app.js', APP_JS), APP_JS.replace('settings.minutes', 'settings.delay'));
    assert.equal(Object.keys(edit.changes!).length, 5);
  });

  it('renames a repeat member inside the repeat\'s entries only, from app.js too', async () => {
    const jsUri = LspClient.uri(file('app.js'));
    const script = APP_JS.replace('settings.lamp.on()', 'settings.lamp.on(); settings.room_lamp');
    await client.open(jsUri, script, 'javascript');
    const edit = (await client.connection.sendRequest(RenameRequest.type, { textDocument: { uri: jsUri }, position: positionAfter(script, 'settings.room_'), newName: 'lights' })) as WorkspaceEdit;
    const other = edit.changes![LspClient.uri(file('configs/other.json'))];
    assert.equal(applyEdits(readFileSync(file('configs/other.json'), 'utf8'), other), '{ "minutes": 7, "rooms": [{ "lights": "hall-lamp" }] }\n');
    assert.equal(edit.changes![LspClient.uri(file('instance.json'))], undefined, 'instance.json has no rooms');
  });

  it('lists the config keys among the references', async () => {
    const jsonUri = LspClient.uri(file('app.json'));
    const refs = (await client.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri: jsonUri }, position: positionAfter(REPEAT_APP_JSON, '"do'), context: { includeDeclaration: false } })) as Location[];
    const where = refs.map((r) => path.relative(dir, new URL(r.uri).pathname)).sort();
    assert.deepEqual(where, ['app.js', 'app.json', 'instance.json', 'tests/door.scenario.json']);
  });

  it('renames nothing in a scenario of another app below this one', async () => {
    mkdirSync(path.join(dir, 'nested'));
    writeFileSync(path.join(dir, 'nested', 'app.json'), APP_JSON);
    writeFileSync(path.join(dir, 'nested', 'instance.json'), INSTANCE_JSON);
    const jsonUri = LspClient.uri(file('app.json'));
    const edit = (await client.connection.sendRequest(RenameRequest.type, { textDocument: { uri: jsonUri }, position: positionAfter(REPEAT_APP_JSON, '"min'), newName: 'delay' })) as WorkspaceEdit;
    assert.equal(edit.changes![LspClient.uri(file('nested/instance.json'))], undefined);
    assert.ok(edit.changes![LspClient.uri(file('instance.json'))]);
  });
});
