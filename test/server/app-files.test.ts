/**
 * Scenario, instance and devices files checked as you type, over LSP: the scenario runner's own
 * rules, each problem at its exact range with "did you mean" and a quick fix that writes it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CodeActionRequest, type CodeAction, type Diagnostic } from 'vscode-languageserver-protocol';
import { ValidateFilesRequest } from '../../server/protocol';
import { applyEdits, covered } from '../support/text-ranges';
import { APP_JSON, DEVICES_JSON, INSTANCE_JSON, SCENARIO, writeApp } from './app-fixture';
import { LspClient } from './lsp-client';

describe('language server: scenario, instance and devices files checked as you type', function () {
  this.timeout(30_000);
  let client: LspClient;
  let dir: string;
  let scenarioUri: string;
  let instanceUri: string;
  let devicesUri: string;

  before(async () => {
    dir = writeApp();
    scenarioUri = LspClient.uri(path.join(dir, 'tests', 'door.scenario.json'));
    instanceUri = LspClient.uri(path.join(dir, 'instance.json'));
    devicesUri = LspClient.uri(path.join(dir, 'devices.json'));
    client = await LspClient.start(dir);
  });
  after(async () => {
    await client.stop();
  });

  /** The scenario with `from` replaced by `to`, its diagnostics, and the text they refer to. */
  async function scenarioWith(from: string, to: string): Promise<{ text: string; diagnostics: Diagnostic[] }> {
    assert.ok(SCENARIO.includes(from), from);
    const text = SCENARIO.replace(from, to);
    return { text, diagnostics: (await client.change(scenarioUri, text)).diagnostics };
  }

  async function quickFix(uri: string, d: Diagnostic): Promise<CodeAction> {
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } })) as CodeAction[];
    assert.equal(actions.length, 1, JSON.stringify(actions));
    return actions[0];
  }

  /** One diagnostic with this code: its range covers `at`, it says `says`, and its quick fix writes `fixed`. */
  async function expectFix(uri: string, text: string, diagnostics: Diagnostic[], code: string, at: string, says: RegExp, fixed: string): Promise<void> {
    const d = diagnostics.filter((x) => x.code === code);
    assert.equal(d.length, 1, JSON.stringify(diagnostics));
    assert.equal(d[0].source, 'smartplug');
    assert.equal(covered(text, d[0].range), at);
    assert.match(d[0].message, says);
    assert.match(d[0].message, /Fix: /);
    const action = await quickFix(uri, d[0]);
    assert.equal(action.isPreferred, true);
    assert.equal(applyEdits(text, action.edit!.changes![uri]), text.replace(at, fixed));
  }

  it('publishes nothing for a scenario with no mistakes', async () => {
    assert.deepEqual((await client.open(scenarioUri, SCENARIO, 'jsonc')).diagnostics, []);
  });

  it('flags a misspelt step kind at its key, with did-you-mean and a fix', async () => {
    const { text, diagnostics } = await scenarioWith('"advance"', '"advnace"');
    await expectFix(scenarioUri, text, diagnostics, 'step-kind-unknown', '"advnace"', /unknown step kind "advnace"; did you mean "advance"\?/, '"advance"');
  });

  it('flags a misspelt expect key', async () => {
    const { text, diagnostics } = await scenarioWith('"commands"', '"comands"');
    await expectFix(scenarioUri, text, diagnostics, 'scenario-unknown-key', '"comands"', /unknown key "comands" in an expect step; did you mean "commands"\?/, '"commands"');
  });

  it('flags an unknown device in an event, naming the devices', async () => {
    const { text, diagnostics } = await scenarioWith('"device": "front-door"', '"device": "front-dor"');
    await expectFix(scenarioUri, text, diagnostics, 'device-unknown', '"front-dor"', /unknown device "front-dor"; did you mean 'front-door'\?.*Fix: the devices are: front-door, hall-lamp/, '"front-door"');
  });

  it('flags an unknown attribute of a device', async () => {
    const { text, diagnostics } = await scenarioWith('"attribute": "contact"', '"attribute": "contcat"');
    await expectFix(scenarioUri, text, diagnostics, 'attribute-unknown', '"contcat"', /device "front-door" has no attribute "contcat"; did you mean 'contact'\?/, '"contact"');
  });

  it('flags an unknown attribute in an attributes expectation, and fixes the whole key', async () => {
    const { text, diagnostics } = await scenarioWith('"hall-lamp.switch"', '"hall-lamp.swtich"');
    await expectFix(scenarioUri, text, diagnostics, 'attribute-unknown', '"hall-lamp.swtich"', /has no attribute "swtich"; did you mean 'switch'\?/, '"hall-lamp.switch"');
  });

  it('flags an unknown command', async () => {
    const { text, diagnostics } = await scenarioWith('"command": "on"', '"command": "of"');
    await expectFix(scenarioUri, text, diagnostics, 'command-unknown', '"of"', /device "hall-lamp" has no command "of"; did you mean 'on'\?/, '"on"');
  });

  it('flags a config key that is no input, in an update step', async () => {
    const { text, diagnostics } = await scenarioWith('{ "minutes": 3 }', '{ "minuts": 3 }');
    await expectFix(scenarioUri, text, diagnostics, 'config-unknown-key', '"minuts"', /unknown input "minuts"; did you mean "minutes"\?/, '"minutes"');
  });

  it('flags a value that does not fit its input, in an inline config', async () => {
    const { text, diagnostics } = await scenarioWith('"config": "../instance.json"', '"config": { "door": "front-door", "lamp": "hall-lamp", "minutes": "4" }');
    await expectFix(scenarioUri, text, diagnostics, 'config-type', '"4"', /input "minutes" is a number; got the string "4"/, '4');
  });

  it('shows a problem of a file the scenario reads where the scenario names it', async () => {
    const { text, diagnostics } = await scenarioWith('"devices": "../devices.json"', '"devices": "../instance.json"');
    assert.ok(diagnostics.length > 0);
    for (const d of diagnostics.filter((x) => /^\.\.\/instance\.json:/.test(x.message))) assert.equal(covered(text, d.range), '"../instance.json"');
    assert.ok(diagnostics.some((d) => /^\.\.\/instance\.json:\d+:\d+: /.test(d.message)), JSON.stringify(diagnostics));
    await client.change(scenarioUri, SCENARIO);
  });

  it('checks an instance.json against app.json and the devices beside it', async () => {
    assert.deepEqual((await client.open(instanceUri, INSTANCE_JSON, 'jsonc')).diagnostics, []);
    let text = INSTANCE_JSON.replace('"minutes"', '"minuts"');
    await expectFix(instanceUri, text, (await client.change(instanceUri, text)).diagnostics, 'config-unknown-key', '"minuts"', /unknown input "minuts"; did you mean "minutes"\?/, '"minutes"');
    text = INSTANCE_JSON.replace('"dim"', '"dimm"');
    await expectFix(instanceUri, text, (await client.change(instanceUri, text)).diagnostics, 'config-value', '"dimm"', /input "brightness": "dimm" is not one of its values \("bright", "dim"\); did you mean "dim"\?/, '"dim"');
    text = INSTANCE_JSON.replace('"hall-lamp"', '"hall-lmap"');
    await expectFix(instanceUri, text, (await client.change(instanceUri, text)).diagnostics, 'config-unknown-id', '"hall-lmap"', /input "lamp": device "hall-lmap" does not exist; did you mean hall-lamp\?/, '"hall-lamp"');
    await client.change(instanceUri, INSTANCE_JSON);
  });

  it('checks a devices.json by the runtime\'s device rules', async () => {
    assert.deepEqual((await client.open(devicesUri, DEVICES_JSON, 'jsonc')).diagnostics, []);
    const text = DEVICES_JSON.replace('"switch": "off"', '"swich": "off"');
    const d = (await client.change(devicesUri, text)).diagnostics;
    assert.equal(d.length, 1, JSON.stringify(d));
    assert.equal(covered(text, d[0].range), '"swich"');
    assert.match(d[0].message, /attribute 'swich' is not provided by .*did you mean 'switch'\?/);
    await client.change(devicesUri, DEVICES_JSON);
  });

  it('checks the scenario against unsaved changes of the files it reads', async () => {
    const appUri = LspClient.uri(path.join(dir, 'app.json'));
    await client.open(appUri, APP_JSON);
    const withAnother = '{ "minutes": 3, "delay": 1 }';
    const { diagnostics } = await scenarioWith('{ "minutes": 3 }', withAnother);
    assert.deepEqual(diagnostics.map((d) => d.code), ['config-unknown-key']);
    // Adding the input to app.json (not saved) clears the scenario's problem.
    const cleared = client.nextDiagnostics(scenarioUri);
    await client.change(appUri, APP_JSON.replace('"input": {', '"input": {\n    "delay": { "type": "number", "name": "Delay" },'));
    assert.deepEqual((await cleared).diagnostics, []);
    await client.change(appUri, APP_JSON);
    await client.close(appUri);
    await client.change(scenarioUri, SCENARIO);
  });

  it('leaves alone an instance.json or devices.json outside any app', async () => {
    const other = mkdtempSync(path.join(tmpdir(), 'smartplug-no-app-'));
    const uri = LspClient.uri(path.join(other, 'devices.json'));
    assert.deepEqual((await client.open(uri, '{ "something": "else" }', 'json')).diagnostics, []);
    const instance = LspClient.uri(path.join(other, 'instance.json'));
    assert.deepEqual((await client.open(instance, '{ "whatever": 1 }', 'json')).diagnostics, []);
  });

  it('counts scenario, instance and devices files in Validate Workspace', async () => {
    const fresh = writeApp();
    writeFileSync(path.join(fresh, 'tests', 'door.scenario.json'), SCENARIO.replace('"advance"', '"advnace"'));
    const uris = ['tests/door.scenario.json', 'instance.json', 'devices.json'].map((f) => LspClient.uri(path.join(fresh, f)));
    const published = client.nextDiagnostics(uris[0]);
    assert.deepEqual(await client.connection.sendRequest(ValidateFilesRequest.type, { uris }), { files: 3, errors: 1, warnings: 0 });
    assert.deepEqual((await published).diagnostics.map((d) => d.code), ['step-kind-unknown']);
  });
});
