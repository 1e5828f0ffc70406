/**
 * Formatting over the wire: a messy document comes out indented as asked, with the file's own
 * line endings and one final newline; a formatted one gets no edits; a broken one is left alone.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { DocumentFormattingRequest, type FormattingOptions, type TextEdit } from 'vscode-languageserver-protocol';
import { applyEdits } from '../support/text-ranges';
import { LspClient } from './lsp-client';

const apply = applyEdits;

describe('formatting (LSP)', function () {
  let client: LspClient;
  let n = 0;

  before(async () => {
    client = await LspClient.start();
  });
  after(async () => {
    await client.stop();
  });

  async function format(text: string, name = 'app.json', options: FormattingOptions = { tabSize: 2, insertSpaces: true }): Promise<TextEdit[]> {
    const uri = LspClient.uri(path.join('/tmp/smartplug-formatting', `doc${n++}`, name));
    await client.open(uri, text);
    const result = await client.connection.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri }, options });
    await client.close(uri);
    assert.ok(Array.isArray(result));
    return result;
  }

  const messy = '{"author":"IoT Open",   "input":{"t":{"type":"text","default":"a"},\n"n":{"type" :"number"}},\n\n  "guide":[{"id":"p","input_fields":["t","n"]},{"input_fields":[]}]}';
  const tidy = [
    '{',
    '  "author": "IoT Open",',
    '  "input": {',
    '    "t": {',
    '      "type": "text",',
    '      "default": "a"',
    '    },',
    '    "n": {',
    '      "type": "number"',
    '    }',
    '  },',
    '  "guide": [',
    '    {',
    '      "id": "p",',
    '      "input_fields": [',
    '        "t",',
    '        "n"',
    '      ]',
    '    },',
    '    {',
    '      "input_fields": []',
    '    }',
    '  ]',
    '}',
    '',
  ];

  it('formats a messy app.json and ends it with a newline', async () => {
    const edits = await format(messy);
    assert.equal(apply(messy, edits), tidy.join('\n'));
  });

  it('keeps the file\'s CRLF line endings', async () => {
    const crlf = messy.replace(/\n/g, '\r\n');
    const edits = await format(crlf);
    assert.equal(apply(crlf, edits), tidy.join('\r\n'));
    assert.ok(edits.every((e) => !/(^|[^\r])\n/.test(e.newText)), 'no bare LF inserted');
  });

  it('indents with tabs when asked', async () => {
    const edits = await format('{"image":"a.bin","flags":{"x":1}}', 'manifest.json', { tabSize: 4, insertSpaces: false });
    assert.equal(apply('{"image":"a.bin","flags":{"x":1}}', edits), '{\n\t"image": "a.bin",\n\t"flags": {\n\t\t"x": 1\n\t}\n}\n');
  });

  it('gives no edits for a formatted document', async () => {
    assert.deepEqual(await format(tidy.join('\n')), []);
  });

  it('only adds the missing final newline, and removes extra ones', async () => {
    const text = '{\n  "url": "http://x/a.zip",\n  "method": "setup"\n}';
    assert.deepEqual(await format(text, 'a.load.json'), [{ range: { start: { line: 3, character: 1 }, end: { line: 3, character: 1 } }, newText: '\n' }]);
    assert.equal(apply(`${text}\n\n\n`, await format(`${text}\n\n\n`, 'a.load.json')), `${text}\n`);
  });

  it('never changes a document with a syntax error', async () => {
    assert.deepEqual(await format('{"author":"x",   "input":{"t":{"type":"text"}}'), []);
    assert.deepEqual(await format('{"image":"a.bin",,"method":"native"}', 'manifest.json'), []);
    // Comments are not JSON here (IoT Open reads app.json with a strict parser).
    assert.deepEqual(await format('{ // note\n"author":"x"}'), []);
  });
});
