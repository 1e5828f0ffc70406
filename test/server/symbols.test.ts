/**
 * Document symbols over the wire: the outline of the example app.json of seed 003 ("The app.json
 * file") (inputs, the members of its repeat, guide pages and the inputs they show) and of a
 * manifest and a load action, with exact ranges and selection ranges.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { type DocumentSymbol, DocumentSymbolRequest, SymbolKind } from 'vscode-languageserver-protocol';
import { LspClient } from './lsp-client';

/** A symbol in brief: name, detail, kind, range and selection range as [line, char, line, char], children. */
type Brief = [string, string | undefined, SymbolKind, number[], number[], Brief[]?];

function brief(symbols: DocumentSymbol[]): Brief[] {
  return symbols.map((s) => {
    const r = [s.range.start.line, s.range.start.character, s.range.end.line, s.range.end.character];
    const sel = [s.selectionRange.start.line, s.selectionRange.start.character, s.selectionRange.end.line, s.selectionRange.end.character];
    return s.children ? [s.name, s.detail, s.kind, r, sel, brief(s.children)] : [s.name, s.detail, s.kind, r, sel];
  });
}

const { Field, Object: Obj, Array: Arr, String: Str, Null, Property } = {
  Field: SymbolKind.Field,
  Object: SymbolKind.Object,
  Array: SymbolKind.Array,
  String: SymbolKind.String,
  Null: SymbolKind.Null,
  Property: SymbolKind.Property,
};

describe('document symbols (LSP)', function () {
  let client: LspClient;
  let n = 0;

  before(async () => {
    client = await LspClient.start();
  });
  after(async () => {
    await client.stop();
  });

  async function symbols(text: string, name = 'app.json'): Promise<DocumentSymbol[]> {
    const uri = LspClient.uri(path.join('/tmp/smartplug-symbols', `doc${n++}`, name));
    await client.open(uri, text);
    const result = await client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } });
    await client.close(uri);
    assert.ok(Array.isArray(result));
    return result as DocumentSymbol[];
  }

  it('outlines seed 003\'s example: inputs, the repeat\'s members, pages and their inputs', async () => {
    const text = readFileSync(path.join(__dirname, '..', 'fixtures', 'seed003', 'app.json'), 'utf8');
    const expected: Brief[] = [
      ['author', '"IoT Open"', Str, [1, 2, 1, 22], [1, 2, 1, 10]],
      ['licence', '"MIT"', Str, [2, 2, 2, 18], [2, 2, 2, 11]],
      ['input', undefined, Obj, [3, 2, 52, 3], [3, 2, 3, 9], [
        ['actuator_function', 'single_function_selector · Controlled functions', Field, [4, 4, 8, 5], [4, 4, 4, 23]],
        ['trigger_function', 'single_function_selector · Trigger function', Field, [9, 4, 14, 5], [9, 4, 9, 22]],
        ['timeout', 'number · Light on time', Field, [15, 4, 20, 5], [15, 4, 15, 13]],
        ['trigger_value', 'single_function_selector · Function', Field, [21, 4, 29, 5], [21, 4, 21, 19]],
        ['temp', 'repeat · Temperature triggers', Field, [30, 4, 39, 5], [30, 4, 30, 10], [
          ['trigger_value', 'single_function_selector', Field, [37, 8, 37, 23], [37, 8, 37, 23]],
        ]],
        ['notification', 'single_notification_output_selector · Notification', Field, [40, 4, 44, 5], [40, 4, 40, 18]],
        ['text_example', 'text', Field, [45, 4, 51, 5], [45, 4, 45, 18]],
      ]],
      ['guide', undefined, Arr, [53, 2, 74, 3], [53, 2, 53, 9], [
        ['stage_1', 'Function selection', Obj, [54, 4, 62, 5], [55, 12, 55, 21], [
          ['trigger_function', 'single_function_selector', Field, [59, 8, 59, 26], [59, 8, 59, 26]],
          ['actuator_function', 'single_function_selector', Field, [60, 8, 60, 27], [60, 8, 60, 27]],
        ]],
        ['stage_2', 'Timeout settings', Obj, [63, 1, 73, 2], [64, 9, 64, 18], [
          ['timeout', 'number', Field, [68, 2, 68, 11], [68, 2, 68, 11]],
          ['temp', 'repeat', Field, [69, 8, 69, 14], [69, 8, 69, 14]],
          ['notification', 'single_notification_output_selector', Field, [70, 8, 70, 22], [70, 8, 70, 22]],
          // Not an input (seed 003 declares "text_example"): listed, with no type.
          ['example_text', undefined, Field, [71, 8, 71, 22], [71, 8, 71, 22]],
        ]],
      ]],
    ];
    assert.deepEqual(brief(await symbols(text)), expected);
  });

  it('names a page by its id, else its title, else its position', async () => {
    const text = '{"guide": [\n{"id": "a", "title": "A", "input_fields": []},\n{"title": "Second", "input_fields": ["x"]},\n{"input_fields": []}\n]}';
    const [guide] = await symbols(text);
    assert.deepEqual(brief(guide.children ?? []), [
      ['a', 'A', Obj, [1, 0, 1, 45], [1, 7, 1, 10], []],
      ['Second', 'Second', Obj, [2, 0, 2, 42], [2, 10, 2, 18], [['x', undefined, Field, [2, 37, 2, 40], [2, 37, 2, 40]]]],
      ['page 3', undefined, Obj, [3, 0, 3, 20], [3, 0, 3, 1], []],
    ]);
  });

  it('gives a repeat no members other than its input_fields, and other inputs no children', async () => {
    const text = '{"input": {"r": {"type": "repeat", "input_fields": ["a", 3]}, "a": {"type": "toggle"}}}';
    const [input] = await symbols(text);
    assert.deepEqual(brief(input.children ?? []), [
      ['r', 'repeat', Field, [0, 11, 0, 60], [0, 11, 0, 14], [['a', 'toggle', Field, [0, 52, 0, 55], [0, 52, 0, 55]]]],
      ['a', 'toggle', Field, [0, 62, 0, 85], [0, 62, 0, 65]],
    ]);
  });

  it('lists one symbol per property of a manifest, and the flags inside "flags"', async () => {
    const text = '{\n  "image": "a.bin",\n  "method": "native",\n  "flags": { "p.proxy": "1.2.3.4:5" },\n  "imgpwd": null\n}\n';
    assert.deepEqual(brief(await symbols(text, 'manifest.json')), [
      ['image', '"a.bin"', Str, [1, 2, 1, 18], [1, 2, 1, 9]],
      ['method', '"native"', Str, [2, 2, 2, 20], [2, 2, 2, 10]],
      ['flags', undefined, Obj, [3, 2, 3, 37], [3, 2, 3, 9], [['p.proxy', '"1.2.3.4:5"', Str, [3, 13, 3, 35], [3, 13, 3, 22]]]],
      ['imgpwd', 'null', Null, [4, 2, 4, 16], [4, 2, 4, 10]],
    ]);
  });

  it('lists the properties of a load action, even with a syntax error after them', async () => {
    const text = '{"url": "http://x/a.zip", "method": "setup", "switchover": ';
    assert.deepEqual(brief(await symbols(text, 'fw.load.json')), [
      ['url', '"http://x/a.zip"', Str, [0, 1, 0, 24], [0, 1, 0, 6]],
      ['method', '"setup"', Str, [0, 26, 0, 43], [0, 26, 0, 34]],
      ['switchover', undefined, Property, [0, 45, 0, 59], [0, 45, 0, 57]],
    ]);
  });

  it('gives no symbols for a document that is not an object', async () => {
    assert.deepEqual(await symbols('[1, 2]'), []);
    assert.deepEqual(await symbols('', 'manifest.json'), []);
  });
});
