/**
 * The language server beside VS Code's own JSON service, as users of the extension have them: VS
 * Code applies the schemas (package.json `jsonValidation`), and the client tells the server so
 * (`editorValidatesSchemas`, `editorOffersSchemaItems`). Together they must name every mistake the
 * server alone names, each once, keep every quick fix, and offer every completion once.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { findNodeAtOffset, parseTree } from 'jsonc-parser';
import { TextDocument } from 'vscode-json-languageservice';
import { CodeActionRequest, CompletionRequest, type Diagnostic, HoverRequest } from 'vscode-languageserver-protocol';
import { vscodeJsonService } from '../support/vscode-json-service';
import { mulberry32 } from '../../runtime/engine/seeded-random';
import { LspClient } from './lsp-client';
import { CASES } from './rule-cases';
import { offsetAt, positionAfter } from '../support/text-ranges';

const ROOT = path.resolve(__dirname, '..', '..');
const EDITOR = { editorValidatesSchemas: true, editorOffersSchemaItems: true };

/** The property a diagnostic is about (its key's offset), or the element: where key and value problems meet. */
function anchorOf(text: string, offset: number): number {
  const root = parseTree(text);
  const node = root && findNodeAtOffset(root, offset, true);
  if (!node) return offset;
  return node.parent?.type === 'property' ? node.parent.offset : node.offset;
}

const anchors = (text: string, ds: readonly Diagnostic[]): number[] => ds.map((d) => anchorOf(text, offsetAt(text, d.range.start)));
const show = (ds: readonly Diagnostic[]): string => ds.map((d) => `${d.range.start.line}:${d.range.start.character} ${d.source ?? ''} ${d.message}`).join('\n');

/** The same mutations on every run, so a failure can be replayed. */
const rng = mulberry32;

/** Well-formed variations of a document: values replaced, properties dropped or misplaced, types changed. */
function variations(value: unknown, count: number, seed: number): unknown[] {
  const random = rng(seed);
  const replacements: unknown[] = ['10', 10, -1, true, 'flash', 'native.2', '[a-', 'ftp://x/y', '2016/09/28', 'SHA256', 'abcd', null, [], {}, ['nope'], 'text', 'repeat', 'option'];
  const keys = ['url', 'switchover', 'image', 'issuer', 'user', 'type', 'default', 'min', 'max', 'validator', 'input_fields', 'values', 'method', 'integrity', 'checksum'];
  const out: unknown[] = [];
  for (let i = 0; i < count; i++) {
    const copy = structuredClone(value) as unknown;
    const containers: Record<string, unknown>[] = [];
    const collect = (v: unknown): void => {
      if (v && typeof v === 'object') {
        if (!Array.isArray(v)) containers.push(v as Record<string, unknown>);
        for (const x of Object.values(v as object)) collect(x);
      }
    };
    collect(copy);
    for (let edits = 1 + Math.floor(random() * 2); edits > 0 && containers.length > 0; edits--) {
      const target = containers[Math.floor(random() * containers.length)];
      const own = Object.keys(target);
      const choice = random();
      if (choice < 0.5 && own.length > 0) target[own[Math.floor(random() * own.length)]] = replacements[Math.floor(random() * replacements.length)];
      else if (choice < 0.7 && own.length > 0) delete target[own[Math.floor(random() * own.length)]];
      else target[keys[Math.floor(random() * keys.length)]] = replacements[Math.floor(random() * replacements.length)];
    }
    out.push(copy);
  }
  return out;
}

describe('language server beside VS Code’s JSON service (jsonValidation)', function () {
  this.timeout(120_000);
  const json = vscodeJsonService();
  let beside: LspClient;
  let alone: LspClient;
  let n = 0;

  before(async () => {
    [beside, alone] = await Promise.all([LspClient.start(ROOT, EDITOR), LspClient.start(ROOT)]);
  });
  after(async () => {
    await Promise.all([beside?.stop(), alone?.stop()]);
  });

  /** What each shows for a document: the server told of VS Code, VS Code's JSON service, and the server alone. */
  async function shown(file: string, text: string): Promise<{ server: Diagnostic[]; vscode: Diagnostic[]; alone: Diagnostic[]; uri: string }> {
    const uri = LspClient.uri(path.join('/tmp/smartplug-beside', String(n++), file));
    const doc = TextDocument.create(uri, 'json', 1, text);
    const [server, vscode, serverAlone] = await Promise.all([beside.open(uri, text), json.doValidation(doc, json.parseJSONDocument(doc)), alone.open(uri, text)]);
    return { server: server.diagnostics, vscode: vscode as Diagnostic[], alone: serverAlone.diagnostics, uri };
  }

  /** Together they flag the places the server alone flags, and no place twice. */
  function assertSamePlacesOnce(text: string, s: { server: Diagnostic[]; vscode: Diagnostic[]; alone: Diagnostic[] }): void {
    const ours = anchors(text, s.server);
    const theirs = anchors(text, s.vscode);
    const both = ours.filter((a) => theirs.includes(a));
    assert.deepEqual(both, [], `flagged by both:\n${show(s.server)}\n--- VS Code:\n${show(s.vscode)}\n--- text:\n${text}`);
    const together = new Set([...ours, ...theirs]);
    const alone = new Set(anchors(text, s.alone));
    assert.deepEqual([...together].sort((a, b) => a - b), [...alone].sort((a, b) => a - b), `server alone:\n${show(s.alone)}\n--- beside VS Code:\n${show(s.server)}\n--- VS Code:\n${show(s.vscode)}\n--- text:\n${text}`);
  }

  describe('diagnostics', () => {
    CASES.forEach((c) => {
      it(`${c.rule}: named once, where the server alone names it`, async () => {
        for (const value of [c.bad, c.good]) {
          const text = JSON.stringify(value, null, 2);
          assertSamePlacesOnce(text, await shown(c.file, text));
        }
      });
    });

    it('rules a schema cannot say stay with the server, with their codes and fixes', async () => {
      const unknownInput = CASES.find((c) => c.code === 'unknown-input')!;
      const text = JSON.stringify(unknownInput.bad, null, 2);
      const s = await shown(unknownInput.file, text);
      const d = s.server.find((x) => x.code === 'unknown-input');
      assert.ok(d, show(s.server));
      assert.deepEqual(d.data, { replacement: '"name"' });
      assert.deepEqual(s.vscode, []);
    });

    it('JSON syntax errors and duplicate keys are VS Code’s to report', async () => {
      const text = '{ "name": "A", "name": "B", "input": { "t": { "type": "text" } }, }';
      const s = await shown('app.json', text);
      assert.ok(s.alone.some((d) => d.code === 'json-syntax') && s.alone.some((d) => d.code === 'json-duplicate-key'), show(s.alone));
      assert.ok(s.vscode.some((d) => /Trailing comma/.test(d.message)) && s.vscode.some((d) => /Duplicate object key/.test(d.message)), show(s.vscode));
      assert.deepEqual(s.server.filter((d) => d.code === 'json-syntax' || d.code === 'json-duplicate-key'), []);
    });

    it('a validator that is not a regular expression stays with the server (VS Code does not check "format": "regex")', async () => {
      const text = JSON.stringify({ input: { a: { type: 'text', validator: '[a-' } }, guide: [{ id: 'p', input_fields: ['a'] }] }, null, 2);
      const s = await shown('app.json', text);
      assert.deepEqual(s.vscode, []);
      assert.deepEqual(s.server.map((d) => d.code), ['input-validator-invalid']);
    });

    it('the examples, the seed’s app.json and hundreds of variations of every case: each place once, none lost', async () => {
      const documents: { file: string; value: unknown }[] = [];
      for (const name of ['door-light', 'mode-lights', 'motion-light']) documents.push({ file: 'app.json', value: JSON.parse(readFileSync(path.join(ROOT, 'examples', name, 'app.json'), 'utf8')) });
      documents.push({ file: 'app.json', value: JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/seed003/app.json'), 'utf8')) });
      CASES.forEach((c, i) => {
        for (const v of variations(c.bad, 16, i + 1)) documents.push({ file: c.file, value: v });
      });
      for (const { file, value } of documents) {
        const text = JSON.stringify(value, null, 2);
        assertSamePlacesOnce(text, await shown(file, text));
      }
      assert.ok(documents.length > 300, `${documents.length} documents`);
    });

    it('a document naming its "$schema" keeps the whole schema layer: VS Code follows that URL instead of the file name', async () => {
      const text = JSON.stringify({ $schema: 'https://smartplug.dev/schemas/app.schema.json', name: 5, input: { t: { type: 'text' } }, guide: [{ id: 'p', input_fields: ['t'] }] }, null, 2);
      const s = await shown('app.json', text);
      assert.ok(s.vscode.every((d) => /Unable to load schema|cannot be downloaded/.test(d.message)), show(s.vscode));
      assert.deepEqual(s.server.map((d) => d.code), s.alone.map((d) => d.code));
      assert.ok(s.server.some((d) => d.code === 'app-json-type'), show(s.server));
    });

    it('the quick fix of a problem VS Code reports is offered on VS Code’s diagnostic (seed 003’s "10")', async () => {
      const text = readFileSync(path.join(ROOT, 'test/fixtures/seed003/app.json'), 'utf8');
      const s = await shown('app.json', text);
      assert.deepEqual(s.server.filter((d) => d.code === 'input-default-type'), []);
      const theirs = s.vscode.find((d) => /number/.test(d.message));
      assert.ok(theirs, show(s.vscode));
      const actions = (await beside.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: s.uri }, range: theirs.range, context: { diagnostics: [theirs] } })) ?? [];
      const fix = actions.find((a) => 'title' in a && a.title === 'Change to 10');
      assert.ok(fix && 'edit' in fix, JSON.stringify(actions));
      assert.deepEqual(fix.diagnostics, [theirs]);
      const [edit] = Object.values(fix.edit!.changes!)[0];
      assert.equal(edit.newText, '10');
      assert.equal(text.slice(offsetAt(text, edit.range.start), offsetAt(text, edit.range.end)), '"10"');
    });
  });

  describe('completion', () => {
    const PLACES: [string, string][] = [
      ['app.json', '{ | }'],
      ['app.json', '{ "input": { | } }'],
      ['app.json', '{ "input": { "t": | } }'],
      ['app.json', '{ "input": { "t": { | } } }'],
      ['app.json', '{ "input": { "t": { "type": "text", | } } }'],
      ['app.json', '{ "input": { "t": { "type": | } } }'],
      ['app.json', '{ "input": { "t": { "type": "text", "multiline": | } } }'],
      ['app.json', '{ "input": { "t": { "type": "toggle", "default": | } } }'],
      ['app.json', '{ "input": { "o": { "type": "option", "values": {"a":"A"}, "default": | } } }'],
      ['app.json', '{ "input": { "o": { "type": "checkbox", "values": {"a":"A"}, "default": [|] } } }'],
      ['app.json', '{ "input": { "s": { "type": "single_function_selector", "filter": { | } } } }'],
      ['app.json', '{ "input": { "s": { "type": "single_function_selector", "filter": { "type": | } } } }'],
      ['app.json', '{ "input": { "a": {"type":"text"}, "r": { "type": "repeat", "input_fields": [|] } } }'],
      ['app.json', '{ "input": { "a": {"type":"text"} }, "guide": [ | ] }'],
      ['app.json', '{ "input": { "a": {"type":"text"} }, "guide": [ { "id": "p", "input_fields": ["a"] }, | ] }'],
      ['app.json', '{ "input": { "a": {"type":"text"} }, "guide": [ { | } ] }'],
      ['app.json', '{ "input": { "a": {"type":"text"} }, "guide": [ { "id": "p", "input_fields": [|] } ] }'],
      ['manifest.json', '{ | }'],
      ['manifest.json', '{ "method": | }'],
      ['manifest.json', '{ "integrity": | }'],
      ['x.load.json', '{ | }'],
      ['x.load.json', '{ "method": | }'],
    ];

    /** What a user reads in the list: VS Code's labels of string values carry their quotes. */
    const label = (l: string): string => l.replace(/^"(.*)"$/, '$1').toLowerCase();

    async function offered(file: string, marked: string): Promise<{ server: string[]; vscode: string[] }> {
      const offset = marked.indexOf('|');
      const text = marked.replace('|', '');
      const uri = LspClient.uri(path.join('/tmp/smartplug-beside', String(n++), file));
      const doc = TextDocument.create(uri, 'json', 1, text);
      await beside.open(uri, text);
      const position = doc.positionAt(offset);
      const [server, vscode] = await Promise.all([
        beside.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position }),
        json.doComplete(doc, position, json.parseJSONDocument(doc)),
      ]);
      const items = server === null ? [] : Array.isArray(server) ? server : server.items;
      return { server: items.map((i) => i.label), vscode: (vscode?.items ?? []).map((i) => i.label) };
    }

    for (const [file, marked] of PLACES) {
      it(`${file} ${marked}: every item once`, async () => {
        const { server, vscode } = await offered(file, marked);
        const all = [...server, ...vscode].map(label);
        const twice = all.filter((l, i) => all.indexOf(l) !== i);
        assert.deepEqual(twice, [], `server: ${server.join(', ')}\nVS Code: ${vscode.join(', ')}`);
      });
    }

    it('what only the app knows is still offered by the server', async () => {
      assert.deepEqual((await offered('app.json', '{ "input": { "a": {"type":"text"}, "r": { "type": "repeat", "input_fields": [|] } } }')).server, ['a']);
      assert.deepEqual((await offered('app.json', '{ "input": { "a": {"type":"text"} }, "guide": [ { "id": "p", "input_fields": [|] } ] }')).server, ['a']);
      assert.deepEqual((await offered('app.json', '{ "input": { "o": { "type": "option", "values": {"a":"A"}, "default": | } } }')).server, ['a']);
      assert.deepEqual((await offered('app.json', '{ "input": { "s": { "type": "single_function_selector", "filter": { | } } } }')).server, ['type', 'name', 'device_id', 'id', 'room']);
      assert.ok((await offered('app.json', '{ "input": { "s": { "type": "single_function_selector", "filter": { "type": | } } } }')).server.includes('temperature'));
      assert.equal((await offered('app.json', '{ "input": { | } }')).server.length, 12);
      assert.deepEqual((await offered('app.json', '{ "input": { "a": {"type":"text"} }, "guide": [ | ] }')).server, ['new guide page with the inputs on no page']);
      // A document naming its own $schema gets everything from the server (VS Code follows the URL).
      assert.ok((await offered('app.json', '{ "$schema": "https://smartplug.dev/schemas/app.schema.json", "input": { "t": { "type": "text", | } } }')).server.includes('validator'));
      // …and what the schema says comes from VS Code.
      const keys = await offered('app.json', '{ "input": { "t": { "type": "text", | } } }');
      assert.deepEqual(keys.server, []);
      for (const k of ['default', 'multiline', 'validator', 'on_error']) assert.ok(keys.vscode.includes(k), keys.vscode.join(', '));
    });
  });

  describe('hover', () => {
    const text = readFileSync(path.join(ROOT, 'test/fixtures/seed003/app.json'), 'utf8');

    async function hovers(needle: string): Promise<{ server: string | undefined; vscode: string | undefined }> {
      const uri = LspClient.uri(path.join('/tmp/smartplug-beside', String(n++), 'app.json'));
      const doc = TextDocument.create(uri, 'json', 1, text);
      await beside.open(uri, text);
      const at = positionAfter(text, needle);
      const position = { line: at.line, character: at.character - 1 };
      const [server, vscode] = await Promise.all([beside.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position }), json.doHover(doc, position, json.parseJSONDocument(doc))]);
      const value = (h: typeof server | typeof vscode): string | undefined => (h ? JSON.stringify(h.contents) : undefined);
      return { server: value(server), vscode: value(vscode) };
    }

    it('the schema’s documentation of a property comes from VS Code alone', async () => {
      const h = await hovers('"validat');
      assert.equal(h.server, undefined);
      assert.match(h.vscode ?? '', /must match the \*\*whole\*\* text/);
    });

    it('an input name and an input type are the server’s', async () => {
      assert.match((await hovers('"text_exa')).server ?? '', /text_example.*text input/);
      assert.match((await hovers('"type": "tex')).server ?? '', /Input type/);
    });
  });
});
