/**
 * Completion over the wire: the items at each kind of place in app.json, manifest.json and
 * *.load.json, the exact text each inserts and the range it replaces, and that accepting an
 * item leaves valid JSON (half-typed keys and strings included).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  type CompletionItem,
  CompletionItemKind,
  type CompletionList,
  CompletionRequest,
  InsertTextFormat,
  type Position,
  type TextEdit,
} from 'vscode-languageserver-protocol';
import { INPUT_TYPES } from '../../runtime/app/app-json-types';
import { allCapabilities } from '../../runtime/devices/capabilities';
import { propertiesFor } from '../../runtime/load-actions/properties';
import appSchema from '../../schemas/app.schema.json';
import loadCommon from '../../schemas/load-common.schema.json';
import { offsetAt } from '../support/text-ranges';
import { LspClient } from './lsp-client';

/** Text with one `|` marking the cursor → the text without it and the cursor's position. */
function cursor(marked: string): { text: string; offset: number; position: Position } {
  const offset = marked.indexOf('|');
  assert.ok(offset >= 0, 'no | in the text');
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  const before = text.slice(0, offset).split('\n');
  return { text, offset, position: { line: before.length - 1, character: before[before.length - 1].length } };
}


/** What a snippet inserts when each placeholder keeps its default. */
function expandSnippet(s: string): string {
  let out = s;
  for (let i = 0; i < 5; i++) out = out.replace(/\$\{\d+:([^${}]*)\}/g, '$1').replace(/\$\{\d+\}/g, '').replace(/\$\d+/g, '');
  return out.replace(/\\([\\$}])/g, '$1');
}

function accept(text: string, item: CompletionItem): string {
  const edit = item.textEdit as TextEdit;
  const start = offsetAt(text, edit.range.start);
  const end = offsetAt(text, edit.range.end);
  const insert = item.insertTextFormat === InsertTextFormat.Snippet ? expandSnippet(edit.newText) : edit.newText;
  return text.slice(0, start) + insert + text.slice(end);
}

function labels(list: CompletionList): string[] {
  return [...list.items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label)).map((i) => i.label);
}

function item(list: CompletionList, label: string): CompletionItem {
  const found = list.items.find((i) => i.label === label);
  assert.ok(found, `no item "${label}" in ${list.items.map((i) => i.label).join(', ')}`);
  return found;
}

function doc(i: CompletionItem): string | undefined {
  const d = i.documentation;
  return typeof d === 'string' ? d : d?.value;
}

describe('completion (LSP)', function () {
  let client: LspClient;
  let dir: string;
  let n = 0;

  before(async () => {
    client = await LspClient.start();
    dir = mkdtempSync(path.join(tmpdir(), 'smartplug-completion-'));
  });
  after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Opens `marked` as a new document named `name` (in its own folder) and completes at the `|`. */
  async function complete(marked: string, name = 'app.json', folder?: string): Promise<{ list: CompletionList; text: string; position: Position }> {
    const { text, position } = cursor(marked);
    const base = folder ?? path.join(dir, `doc${n++}`);
    const uri = LspClient.uri(path.join(base, name));
    await client.open(uri, text);
    const result = await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position });
    await client.close(uri);
    assert.ok(result && !Array.isArray(result), 'expected a CompletionList');
    return { list: result, text, position };
  }

  describe('app.json top level', () => {
    it('offers the keys not yet present, with the schema\'s words', async () => {
      const { list, position } = await complete('{\n  "author": "x",\n  |\n}\n');
      assert.deepEqual(labels(list), ['name', 'version', 'description', 'licence', 'license', 'input', 'guide', '$schema']);
      assert.equal((item(list, '$schema').textEdit as TextEdit).newText, '"\\$schema": "${1:https://smartplug.dev/schemas/app.schema.json}"');
      const name = item(list, 'name');
      assert.equal(name.kind, CompletionItemKind.Property);
      assert.deepEqual(name.textEdit, { range: { start: position, end: position }, newText: '"name": "$1"' });
      assert.equal(doc(name), appSchema.properties.name.description);
      assert.equal(name.detail, appSchema.properties.name.title);
      assert.equal((item(list, 'input').textEdit as TextEdit).newText, '"input": {$0}');
      assert.equal((item(list, 'guide').textEdit as TextEdit).newText, '"guide": [$0]');
    });

    it('offers neither spelling of the licence once one is given', async () => {
      const { list } = await complete('{ "license": "MIT", "input": {}, | }');
      assert.deepEqual(labels(list), ['name', 'version', 'description', 'author', 'guide', '$schema']);
    });
  });

  describe('input parameters', () => {
    it('offers the parameters of that input\'s type and the common ones, not those present', async () => {
      const { list, position } = await complete('{"input": {"t": {"type": "text", "multiline": false, |}}}');
      assert.deepEqual(labels(list), ['default', 'validator', 'on_error', 'required', 'name', 'description']);
      const required = item(list, 'required');
      assert.deepEqual(required.textEdit, { range: { start: position, end: position }, newText: '"required": ${1:false}' });
      assert.equal(doc(required), 'If the field is required to continue.\n\nDefault: `false`');
      assert.equal(required.insertTextFormat, InsertTextFormat.Snippet);
      assert.equal(doc(item(list, 'validator')), 'Regexp the text must match; empty means no validation.');
    });

    it('inserts each parameter\'s default as its value', async () => {
      const repeat = await complete('{"input": {"r": {"type": "repeat", |}}}');
      assert.deepEqual(labels(repeat.list), ['min', 'max', 'input_fields', 'required', 'name', 'description']);
      assert.equal((item(repeat.list, 'min').textEdit as TextEdit).newText, '"min": ${1:0}');
      assert.equal(doc(item(repeat.list, 'max')), 'The maximum number of entries.\n\nDefault: unlimited');
      assert.equal((item(repeat.list, 'input_fields').textEdit as TextEdit).newText, '"input_fields": [$1]');
      const selector = await complete('{"input": {"f": {"type": "single_function_selector", |}}}');
      assert.deepEqual(labels(selector.list), ['filter', 'value', 'required', 'name', 'description']);
      assert.equal((item(selector.list, 'filter').textEdit as TextEdit).newText, '"filter": {$1}');
      assert.equal((item(selector.list, 'value').textEdit as TextEdit).newText, '"value": ${1:false}');
      const notification = await complete('{"input": {"o": {"type": "multi_notification_output_selector", |}}}');
      assert.equal((item(notification.list, 'allow_add').textEdit as TextEdit).newText, '"allow_add": ${1:true}');
      assert.ok(!notification.list.items.some((i) => i.label === 'filter' || i.label === 'value'));
    });

    it('offers "type" first, and only the common parameters, while the type is unknown', async () => {
      const { list } = await complete('{"input": {"x": {|}}}');
      assert.deepEqual(labels(list), ['type', 'required', 'name', 'description']);
      assert.equal((item(list, 'type').textEdit as TextEdit).newText, '"type": "$1"');
      const bad = await complete('{"input": {"x": {"type": "txt", |}}}');
      assert.deepEqual(labels(bad.list), ['required', 'name', 'description']);
    });

    it('replaces a half-typed key, quotes included, and leaves valid JSON', async () => {
      const { list, text } = await complete('{"input": {"t": {"type": "text", "mu|}}}');
      const multiline = item(list, 'multiline');
      const start = text.indexOf('"mu');
      assert.deepEqual((multiline.textEdit as TextEdit).range, { start: { line: 0, character: start }, end: { line: 0, character: start + 3 } });
      assert.equal(multiline.filterText, '"multiline"');
      assert.deepEqual(JSON.parse(accept(text, multiline)), { input: { t: { type: 'text', multiline: false } } });
    });

    it('replaces a key typed between quotes, adding a comma when a property follows', async () => {
      const closed = await complete('{"input": {"t": {"type": "number",\n  "re|"\n  "name": "n"}}}');
      const required = item(closed.list, 'required');
      assert.deepEqual((required.textEdit as TextEdit).range, { start: { line: 1, character: 2 }, end: { line: 1, character: 6 } });
      assert.equal((required.textEdit as TextEdit).newText, '"required": ${1:false},');
      assert.deepEqual(JSON.parse(accept(closed.text, required)), { input: { t: { type: 'number', required: false, name: 'n' } } });
    });

    it('replaces only the key when its value is already written', async () => {
      const { list, text } = await complete('{"input": {"t": {"type": "text", "mul|": true}}}');
      const multiline = item(list, 'multiline');
      assert.equal((multiline.textEdit as TextEdit).newText, '"multiline"');
      assert.equal(multiline.command, undefined);
      assert.deepEqual(JSON.parse(accept(text, multiline)), { input: { t: { type: 'text', multiline: true } } });
    });

    it('offers nothing right after a complete key or value, where an insertion would break the JSON', async () => {
      for (const marked of ['{"input": {"t": {"type": "text" |}}}', '{"input": {"t": {"type" |}}}', '{"input": {"t": {"type": "text"}}, "guide": [{"input_fields": ["t" |]}]}']) {
        const { list } = await complete(marked);
        assert.deepEqual(list.items, [], marked);
      }
    });

    it('replaces the value that starts at the cursor', async () => {
      const { list, text } = await complete('{"input": {"t": {"type": |"text"}}}');
      const start = text.indexOf('"text"');
      assert.deepEqual(item(list, 'number').textEdit, { range: { start: { line: 0, character: start }, end: { line: 0, character: start + 6 } }, newText: '"number"' });
      assert.deepEqual(JSON.parse(accept(text, item(list, 'number'))), { input: { t: { type: 'number' } } });
    });

    it('offers nothing inside a comment', async () => {
      const { list } = await complete('{"input": {"t": {"type": "text", /* no|te */ }}}');
      assert.deepEqual(list.items, []);
    });

    it('still completes when the document has a syntax error elsewhere', async () => {
      const { list } = await complete('{\n  "author": "x" "licence": 1,\n  "input": {"n": {"type": "number", |}},\n  "guide": [ {"input_fields": ["n",]\n');
      assert.deepEqual(labels(list), ['default', 'required', 'name', 'description']);
    });
  });

  describe('values', () => {
    it('offers the input types for "type", with their descriptions, replacing the string', async () => {
      const { list, text } = await complete('{"input": {"t": {"type": "te|"}}}');
      assert.deepEqual(labels(list), [...INPUT_TYPES]);
      const textItem = item(list, 'text');
      const start = text.indexOf('"te"');
      assert.deepEqual(textItem.textEdit, { range: { start: { line: 0, character: start }, end: { line: 0, character: start + 4 } }, newText: '"text"' });
      assert.equal(textItem.kind, CompletionItemKind.EnumMember);
      const enumDocs = appSchema.$defs.input.properties.type.markdownEnumDescriptions;
      assert.equal(doc(textItem), enumDocs[INPUT_TYPES.indexOf('text')]);
      assert.match(doc(item(list, 'repeat')) ?? '', /Config value: `\[\{ "<input-name>": <config>, … \}, …\]`/);
    });

    it('completes a half-typed string value into valid JSON', async () => {
      const { list, text } = await complete('{"input": {"t": {"type": "rep|}}}');
      assert.deepEqual(JSON.parse(accept(text, item(list, 'repeat'))), { input: { t: { type: 'repeat' } } });
    });

    it('offers true and false for boolean parameters, not for others', async () => {
      const { list, text } = await complete('{"input": {"t": {"type": "text", "multiline": t|}}}');
      assert.deepEqual(labels(list), ['true', 'false']);
      const start = text.indexOf(': t') + 2;
      assert.deepEqual(item(list, 'true').textEdit, { range: { start: { line: 0, character: start }, end: { line: 0, character: start + 1 } }, newText: 'true' });
      assert.equal(item(list, 'false').detail, 'default');
      const toggle = await complete('{"input": {"t": {"type": "toggle", "default": |}}}');
      assert.deepEqual(labels(toggle.list), ['true', 'false']);
      const name = await complete('{"input": {"t": {"type": "text", "name": |}}}');
      assert.deepEqual(name.list.items, []);
      const numberDefault = await complete('{"input": {"t": {"type": "number", "default": |}}}');
      assert.deepEqual(numberDefault.list.items, []);
    });

    it('offers the keys of "values" for an option\'s and a checkbox\'s default', async () => {
      const option = await complete('{"input": {"o": {"type": "option", "values": {"low": "Low", "high": "High"}, "default": "|"}}}');
      assert.deepEqual(labels(option.list), ['low', 'high']);
      assert.equal(item(option.list, 'high').detail, 'High');
      assert.equal((item(option.list, 'high').textEdit as TextEdit).newText, '"high"');
      const checkbox = await complete('{"input": {"c": {"type": "checkbox", "values": {"mon": "Monday", "tue": "Tuesday", "1": "One"}, "default": ["tue", |]}}}');
      assert.deepEqual(labels(checkbox.list), ['mon', '1']);
      assert.deepEqual(JSON.parse(accept(checkbox.text, item(checkbox.list, 'mon'))).input.c.default, ['tue', 'mon']);
      const text = await complete('{"input": {"c": {"type": "text", "values": {"a": "A"}, "default": |}}}');
      assert.deepEqual(text.list.items, []);
    });
  });

  describe('input_fields', () => {
    const inputs = '"input": {"a": {"type": "text"}, "b": {"type": "text", "name": "Bee"}, "c": {"type": "number"}, "r": {"type": "repeat", "input_fields": ["c"|R]}}';

    it('offers the inputs of a guide page, those on no page and in no repeat first', async () => {
      const { list } = await complete(`{${inputs.replace('|R', '')}, "guide": [{"input_fields": ["b"]}, {"input_fields": [|]}]}`);
      assert.deepEqual(labels(list), ['a', 'r', 'b', 'c']);
      assert.equal(item(list, 'a').sortText, '0_a');
      assert.equal(item(list, 'b').sortText, '1_b');
      assert.equal(item(list, 'b').detail, 'text · Bee');
      assert.equal(item(list, 'a').kind, CompletionItemKind.Reference);
    });

    it('never offers a name already in the same list', async () => {
      const { list, text } = await complete(`{${inputs.replace('|R', '')}, "guide": [{"input_fields": ["b", "|"]}]}`);
      assert.deepEqual(labels(list), ['a', 'r', 'c']);
      assert.deepEqual(JSON.parse(accept(text, item(list, 'a'))).guide[0].input_fields, ['b', 'a']);
    });

    it('never offers the repeat itself inside its own input_fields', async () => {
      const { list, text } = await complete(`{${inputs.replace('|R', ', |')}, "guide": [{"input_fields": ["b"]}]}`);
      assert.deepEqual(labels(list), ['a', 'b']);
      const a = item(list, 'a');
      assert.equal((a.textEdit as TextEdit).newText, '"a"');
      assert.deepEqual(JSON.parse(accept(text, a)).input.r.input_fields, ['c', 'a']);
    });

    it('adds a comma when a name follows', async () => {
      const { list, text } = await complete('{"input": {"a": {"type": "text"}, "b": {"type": "text"}}, "guide": [{"input_fields": [| "b"]}]}');
      assert.deepEqual(labels(list), ['a']);
      assert.deepEqual(JSON.parse(accept(text, item(list, 'a'))).guide[0].input_fields, ['a', 'b']);
    });
  });

  describe('filter', () => {
    it('offers the filter keys of a function selector, and a device selector\'s capability', async () => {
      const { list } = await complete('{"input": {"f": {"type": "single_function_selector", "filter": {|}}}}');
      assert.deepEqual(labels(list), ['type', 'name', 'device_id', 'id', 'room']);
      assert.equal((item(list, 'type').textEdit as TextEdit).newText, '"type": "$1"');
      const some = await complete('{"input": {"f": {"type": "multi_device_selector", "filter": {"type": "x", |}}}}');
      assert.deepEqual(labels(some.list), ['capability', 'name', 'device_id', 'id', 'room']);
      const none = await complete('{"input": {"f": {"type": "single_notification_output_selector", "filter": {|}}}}');
      assert.deepEqual(none.list.items, []);
    });

    it('offers the meta keys of the devices beside app.json', async () => {
      const folder = path.join(dir, 'with-devices');
      const { mkdirSync } = await import('node:fs');
      mkdirSync(folder, { recursive: true });
      writeFileSync(
        path.join(folder, 'devices.json'),
        JSON.stringify([
          { id: 'door', label: 'Door', type: 'Zigbee Door', capabilities: ['contactSensor'], meta: { floor: '1' } },
          { id: 'lamp', label: 'Lamp', type: 'Hue Lamp', capabilities: ['switch'], meta: { room: 'hall', floor: '2' } },
        ]),
      );
      const keys = await complete('{"input": {"f": {"type": "single_function_selector", "filter": {|}}}}', 'app.json', folder);
      assert.deepEqual(labels(keys.list), ['type', 'name', 'device_id', 'id', 'floor', 'room']);
      const types = await complete('{"input": {"d": {"type": "single_device_selector", "filter": {"type": "|"}}}}', 'app.json', folder);
      assert.deepEqual(labels(types.list), ['Zigbee Door', 'Hue Lamp']);
    });

    it('offers the catalogue\'s capabilities for a device selector\'s capability key, alone or in a list', async () => {
      const ids = allCapabilities().map((c) => c.id);
      const one = await complete('{"input": {"d": {"type": "multi_device_selector", "filter": {"capability": "|"}}}}');
      assert.deepEqual(labels(one.list), ids);
      const list = await complete('{"input": {"d": {"type": "single_device_selector", "filter": {"capability": ["switch", "|"]}}}}');
      assert.ok(labels(list.list).includes('switchLevel'));
      const fn = await complete('{"input": {"f": {"type": "single_function_selector", "filter": {"capability": "|"}}}}');
      assert.deepEqual(labels(fn.list), []);
    });

    it('offers the function types of the capability catalogue for a function selector', async () => {
      const { list, text } = await complete('{"input": {"f": {"type": "single_function_selector", "filter": {"type": "tem|"}}}}');
      const expected = [...new Set(allCapabilities().flatMap((c) => c.attributes.map((a) => a.functionType)))];
      assert.deepEqual(labels(list), expected);
      assert.ok(expected.includes('temperature') && expected.includes('door_control'));
      const temperature = item(list, 'temperature');
      assert.match(doc(temperature) ?? '', /`temperatureMeasurement\.temperature`/);
      assert.match(doc(temperature) ?? '', /`thermostat\.temperature`/);
      assert.deepEqual(JSON.parse(accept(text, temperature)).input.f.filter, { type: 'temperature' });
      const inArray = await complete('{"input": {"f": {"type": "multi_function_selector", "filter": {"type": ["switch", |]}}}}');
      assert.deepEqual(labels(inArray.list), expected);
    });

    it('offers no device types when no devices file names any', async () => {
      const { list } = await complete('{"input": {"d": {"type": "single_device_selector", "filter": {"type": "|"}}}}');
      assert.deepEqual(list.items, []);
    });
  });

  describe('snippets', () => {
    it('offers a new input of each type inside "input"', async () => {
      const { list, text, position } = await complete('{"input": {\n  |\n}}');
      assert.deepEqual(labels(list), INPUT_TYPES.map((t) => `new ${t} input`));
      const t = item(list, 'new text input');
      assert.equal(t.kind, CompletionItemKind.Snippet);
      assert.equal(t.insertTextFormat, InsertTextFormat.Snippet);
      assert.deepEqual(t.textEdit, {
        range: { start: position, end: position },
        newText: '"${1:input_name}": {\n\t"type": "text",\n\t"name": "${2:Display name}",\n\t"description": "${3:Help text}",\n\t"default": "$4"\n}',
      });
      for (const i of list.items) {
        const value = JSON.parse(accept(text, i)) as { input: Record<string, { type: string }> };
        assert.equal(value.input.input_name.type, i.label.split(' ')[1]);
      }
      const repeat = item(list, 'new repeat input');
      assert.equal((repeat.textEdit as TextEdit).newText, '"${1:input_name}": {\n\t"type": "repeat",\n\t"name": "${2:Display name}",\n\t"description": "${3:Help text}",\n\t"min": ${4:0},\n\t"input_fields": [$5]\n}');
    });

    it('starts the new input with the name being typed, and adds a comma before the next input', async () => {
      const { list, text } = await complete('{"input": {\n  "door|\n  "b": {"type": "text"}\n}}');
      const option = item(list, 'new option input');
      assert.ok((option.textEdit as TextEdit).newText.startsWith('"${1:door}": {'));
      assert.ok((option.textEdit as TextEdit).newText.endsWith('},'));
      assert.deepEqual(JSON.parse(accept(text, option)).input.door, { type: 'option', name: 'Display name', description: 'Help text', values: { value: 'Display name' }, default: 'value' });
    });

    it('offers no input snippet when renaming an input', async () => {
      const { list } = await complete('{"input": {"do|or": {"type": "text"}}}');
      assert.deepEqual(list.items, []);
    });

    it('offers a new guide page listing the inputs on no page', async () => {
      const { list, text, position } = await complete('{"input": {"a": {"type": "text"}, "b": {"type": "text"}, "c": {"type": "text"}}, "guide": [{"input_fields": ["b"]}, |]}');
      assert.deepEqual(labels(list), ['new guide page']);
      const page = item(list, 'new guide page');
      assert.equal(page.kind, CompletionItemKind.Snippet);
      assert.deepEqual(page.textEdit, {
        range: { start: position, end: position },
        newText: '{\n\t"id": "${1:stage_2}",\n\t"title": "${2:Page title}",\n\t"description": "$3",\n\t"input_fields": [${4:"a", "c"}]\n}',
      });
      assert.deepEqual(JSON.parse(accept(text, page)).guide[1], { id: 'stage_2', title: 'Page title', description: '', input_fields: ['a', 'c'] });
    });

    it('offers the keys of a guide page inside one', async () => {
      const { list } = await complete('{"guide": [{"id": "p", |}]}');
      assert.deepEqual(labels(list), ['title', 'description', 'input_fields']);
      assert.equal((item(list, 'input_fields').textEdit as TextEdit).newText, '"input_fields": [$1]');
    });
  });

  describe('manifest.json and *.load.json', () => {
    it('offers the manifest\'s properties, never the load action\'s', async () => {
      const { list } = await complete('{\n  "image": "a.bin",\n  |\n}', 'manifest.json');
      const expected = propertiesFor('manifest').map((p) => p.name).filter((n) => n !== 'image');
      assert.deepEqual([...labels(list)].sort(), [...expected, '$schema'].sort());
      assert.equal(labels(list).at(-1), '$schema');
      assert.equal((item(list, '$schema').textEdit as TextEdit).newText, '"\\$schema": "${1:https://smartplug.dev/schemas/manifest.schema.json}"');
      for (const loadOnly of ['url', 'switchover', 'response']) assert.ok(!labels(list).includes(loadOnly), loadOnly);
      const method = item(list, 'method');
      assert.equal(method.detail, loadCommon.$defs.method.title);
      assert.equal(doc(method), loadCommon.$defs.method.markdownDescription);
      assert.equal((method.textEdit as TextEdit).newText, '"method": "$1"');
      assert.equal((item(list, 'flags').textEdit as TextEdit).newText, '"flags": {$1}');
    });

    it('offers the load action\'s properties, never the manifest\'s, replacing a half-typed key', async () => {
      const { list, text } = await complete('{"url": "http://x/a.zip", "me|}', 'firmware.load.json');
      const expected = propertiesFor('load').map((p) => p.name).filter((n) => n !== 'url');
      assert.deepEqual([...labels(list)].sort(), [...expected, '$schema'].sort());
      for (const manifestOnly of ['image', 'version', 'issuer', 'description', 'readme']) assert.ok(!labels(list).includes(manifestOnly), manifestOnly);
      assert.deepEqual(JSON.parse(accept(text, item(list, 'method'))), { url: 'http://x/a.zip', method: '' });
    });

    it('offers the standard methods with their descriptions', async () => {
      const { list, text } = await complete('{"url": "http://x/a.zip", "method": "s|"}', 'a.load.json');
      assert.deepEqual(labels(list), ['native', 'hybrid', 'setup', 'system']);
      const standard = loadCommon.$defs.method.anyOf[0];
      assert.equal(doc(item(list, 'setup')), standard.markdownEnumDescriptions?.[2]);
      assert.deepEqual(JSON.parse(accept(text, item(list, 'setup'))), { url: 'http://x/a.zip', method: 'setup' });
    });

    it('offers the integrity algorithms in the seed\'s spelling, null included', async () => {
      const { list, text } = await complete('{"image": "a.bin", "method": "native", "integrity": |}', 'manifest.json');
      assert.deepEqual(labels(list), ['null', 'MD5', 'SHA256', 'SHA512']);
      assert.equal((item(list, 'null').textEdit as TextEdit).newText, 'null');
      assert.equal(doc(item(list, 'SHA256')), loadCommon.$defs.integrity.anyOf[0].markdownEnumDescriptions![2]);
      assert.equal(JSON.parse(accept(text, item(list, 'SHA512'))).integrity, 'SHA512');
    });

    it('offers nothing for free-form values nor for the other kind\'s properties', async () => {
      const free = await complete('{"image": "|"}', 'manifest.json');
      assert.deepEqual(free.list.items, []);
      const foreign = await complete('{"url": "|"}', 'manifest.json');
      assert.deepEqual(foreign.list.items, []);
    });
  });
});
