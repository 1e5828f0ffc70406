import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  CodeActionRequest,
  type CodeAction,
  DefinitionRequest,
  type Location,
  ErrorCodes,
  PrepareRenameRequest,
  ReferencesRequest,
  RenameRequest,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { applyEdits } from '../support/text-ranges';
import { LspClient } from './lsp-client';

const APP_JSON = `{
  "input": {
    "door": { "type": "single_device_selector", "name": "Door" },
    "lamp": { "type": "single_device_selector", "name": "Lamp" },
    "minutes": { "type": "number", "name": "Minutes", "default": 5 },
    "spare": { "type": "text", "name": "Spare" }
  },
  "guide": [
    { "id": "devices", "title": "Devices", "input_fields": ["door", "lamp"] },
    { "id": "timing", "title": "Timing", "input_fields": ["minutes", "lmap"] }
  ]
}
`;

const APP_JS = `function installed() {
  subscribe(settings.door, "contact.open", opened)
}
function opened() {
  settings.lamp.on()
  runIn(settings.minutes * 60, "off")
  log.info(settings.mintues, config["lamp"])
}
function off() { settings.lamp.off() }
`;

/** Position of the n-th occurrence of `needle` (plus `delta` characters) in `text`. */
function pos(text: string, needle: string, occurrence = 1, delta = 1): { line: number; character: number } {
  let at = -1;
  for (let i = 0; i < occurrence; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, `"${needle}" #${occurrence} not found`);
  const before = text.slice(0, at + delta);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}

const apply = applyEdits;

describe('language server: navigation, rename and quick fixes over LSP', function () {
  this.timeout(30_000);
  let client: LspClient;
  let dir: string;
  let jsonUri: string;
  let jsUri: string;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'smartplug-lsp-'));
    writeFileSync(path.join(dir, 'app.json'), APP_JSON);
    writeFileSync(path.join(dir, 'app.js'), APP_JS);
    jsonUri = LspClient.uri(path.join(dir, 'app.json'));
    jsUri = LspClient.uri(path.join(dir, 'app.js'));
    client = await LspClient.start(dir);
    await client.open(jsonUri, APP_JSON);
  });
  after(async () => {
    await client.stop();
  });

  it('goes from a name in a guide page to the input it names', async () => {
    const fromGuide = (await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: jsonUri }, position: pos(APP_JSON, '"lamp"', 2, 2) })) as Location;
    assert.equal(fromGuide.uri, jsonUri);
    assert.deepEqual(fromGuide.range.start, pos(APP_JSON, '"lamp"', 1, 1));
    assert.equal(fromGuide.range.end.character - fromGuide.range.start.character, 'lamp'.length);
  });

  it('finds every reference of an input across app.json and app.js', async () => {
    const refs = (await client.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri: jsonUri }, position: pos(APP_JSON, '"lamp"', 1, 2), context: { includeDeclaration: true } })) as Location[];
    const inJson = refs.filter((r) => r.uri === jsonUri).length;
    const inJs = refs.filter((r) => r.uri === jsUri).length;
    assert.equal(inJson, 2, JSON.stringify(refs));
    // settings.lamp twice and config["lamp"] once.
    assert.equal(inJs, 3, JSON.stringify(refs));
    const without = (await client.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri: jsonUri }, position: pos(APP_JSON, '"lamp"', 1, 2), context: { includeDeclaration: false } })) as Location[];
    assert.equal(without.length, 4);
  });

  it('renames an input with the guide and app.js following', async () => {
    const range = await client.connection.sendRequest(PrepareRenameRequest.type, { textDocument: { uri: jsonUri }, position: pos(APP_JSON, '"lamp"', 1, 2) });
    assert.ok(range);
    const edit = (await client.connection.sendRequest(RenameRequest.type, { textDocument: { uri: jsonUri }, position: pos(APP_JSON, '"lamp"', 1, 2), newName: 'light' })) as WorkspaceEdit;
    const json = apply(APP_JSON, edit.changes![jsonUri]);
    const js = apply(APP_JS, edit.changes![jsUri]);
    assert.match(json, /"light": \{ "type": "single_device_selector"/);
    assert.match(json, /"input_fields": \["door", "light"\]/);
    assert.equal((js.match(/settings\.light/g) ?? []).length, 2);
    assert.match(js, /config\["light"\]/);
    assert.doesNotMatch(js + json, /\blamp\b(?!")/);
  });

  it('refuses a rename to a name that is not an identifier or already exists, with the protocol\'s error codes', async () => {
    const at = { textDocument: { uri: jsonUri }, position: pos(APP_JSON, '"lamp"', 1, 2) };
    const invalidParams = (message: RegExp) => (e: { code?: number; message?: string }) => e.code === ErrorCodes.InvalidParams && message.test(e.message ?? '');
    await assert.rejects(client.connection.sendRequest(RenameRequest.type, { ...at, newName: 'two words' }), invalidParams(/cannot be an input name/));
    await assert.rejects(client.connection.sendRequest(RenameRequest.type, { ...at, newName: 'door' }), invalidParams(/already exists/));
  });

  it('offers "did you mean" for a misspelt reference, which fixes it', async () => {
    const { diagnostics } = await client.change(jsonUri, APP_JSON);
    const unknown = diagnostics.find((d) => d.code === 'unknown-input')!;
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: jsonUri }, range: unknown.range, context: { diagnostics: [unknown] } })) as CodeAction[];
    const change = actions.find((a) => a.title === 'Change to "lamp"');
    assert.ok(change, JSON.stringify(actions.map((a) => a.title)));
    const fixed = apply(APP_JSON, change.edit!.changes![jsonUri]);
    const after = await client.change(jsonUri, fixed);
    assert.equal(after.diagnostics.filter((d) => d.code === 'unknown-input').length, 0);
  });

  it('offers to create a missing input, and to put an unused input on a page', async () => {
    const text = APP_JSON.replace('"lmap"', '"brightness"');
    const { diagnostics } = await client.change(jsonUri, text);
    const unknown = diagnostics.find((d) => d.code === 'unknown-input')!;
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: jsonUri }, range: unknown.range, context: { diagnostics: [unknown] } })) as CodeAction[];
    const create = actions.find((a) => a.title === 'Create input "brightness"')!;
    assert.ok(create, JSON.stringify(actions.map((a) => a.title)));
    const created = apply(text, create.edit!.changes![jsonUri]);
    assert.deepEqual(Object.keys(JSON.parse(created).input), ['door', 'lamp', 'minutes', 'spare', 'brightness']);

    const unused = diagnostics.find((d) => d.code === 'input-unreachable')!;
    const place = (await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: jsonUri }, range: unused.range, context: { diagnostics: [unused] } })) as CodeAction[];
    assert.deepEqual(place.map((a) => a.title), ['Put "spare" on page "devices"', 'Put "spare" on page "timing"']);
    const placed = JSON.parse(apply(text, place[1].edit!.changes![jsonUri])) as { guide: { input_fields: string[] }[] };
    assert.deepEqual(placed.guide[1].input_fields, ['minutes', 'brightness', 'spare']);
  });

  it('warns in app.js about settings.X that is no input, and follows app.json changes', async () => {
    const first = await client.open(jsUri, APP_JS, 'javascript');
    const warning = first.diagnostics.find((d) => d.code === 'settings-unknown-input')!;
    assert.ok(warning, JSON.stringify(first.diagnostics));
    assert.match(warning.message, /"mintues" is no input of app.json.*did you mean "minutes"\?/);
    assert.deepEqual(warning.data, { replacement: 'minutes' });
    assert.equal(first.diagnostics.length, 1);
    // From app.js: definition and rename work too.
    const def = (await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: jsUri }, position: pos(APP_JS, 'settings.door', 1, 10) })) as Location;
    assert.equal(def.uri, jsonUri);
    assert.deepEqual(def.range.start, pos(APP_JSON, '"door"', 1, 1));
    const edit = (await client.connection.sendRequest(RenameRequest.type, { textDocument: { uri: jsUri }, position: pos(APP_JS, 'settings.door', 1, 10), newName: 'contact' })) as WorkspaceEdit;
    assert.match(apply(APP_JS, edit.changes![jsUri]), /subscribe\(settings\.contact,/);
    assert.match(apply(APP_JSON, edit.changes![jsonUri]), /"contact": \{ "type": "single_device_selector"/);
    // Renaming the input in app.json (unsaved) makes settings.door unknown in app.js.
    const waiting = client.nextDiagnostics(jsUri);
    await client.change(jsonUri, APP_JSON.replace(/"door"/g, '"front_door"'));
    const after = await waiting;
    assert.ok(after.diagnostics.some((d) => /"door" is no input/.test(d.message)), JSON.stringify(after.diagnostics));
  });
});
