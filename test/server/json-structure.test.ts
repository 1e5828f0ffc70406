/**
 * Folding and selection ranges over the wire: our files have their own language in VS Code, so
 * VS Code's JSON extension no longer provides them and the server must (from
 * vscode-json-languageservice).
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { FoldingRangeRequest, type SelectionRange, SelectionRangeRequest } from 'vscode-languageserver-protocol';
import { LspClient } from './lsp-client';

const TEXT = ['{', '  "input": {', '    "minutes": {', '      "type": "number"', '    }', '  },', '  "guide": [', '    { "id": "p", "title": "P", "input_fields": ["minutes"] }', '  ]', '}', ''].join('\n');

describe('folding and selection ranges (LSP)', function () {
  this.timeout(30_000);
  let client: LspClient;
  const uri = LspClient.uri(path.join(__dirname, 'structure-case', 'app.json'));
  before(async () => {
    client = await LspClient.start();
    await client.open(uri, TEXT);
  });
  after(async () => {
    await client.stop();
  });

  it('folds the document, "input", each input and "guide"', async () => {
    const ranges = (await client.connection.sendRequest(FoldingRangeRequest.type, { textDocument: { uri } })) ?? [];
    assert.deepEqual(ranges.map((r) => [r.startLine, r.endLine]).sort((a, b) => a[0] - b[0]), [[0, 8], [1, 4], [2, 3], [6, 7]]);
  });

  it('widens a selection from a name in input_fields to its string, the list, the page, the guide and the document', async () => {
    const line = 7;
    const character = TEXT.split('\n')[line].indexOf('minutes') + 2;
    const [range] = (await client.connection.sendRequest(SelectionRangeRequest.type, { textDocument: { uri }, positions: [{ line, character }] })) ?? [];
    const covered: string[] = [];
    const lines = TEXT.split('\n');
    for (let r: SelectionRange | undefined = range; r; r = r.parent) {
      const { start, end } = r.range;
      covered.push(start.line === end.line ? lines[start.line].slice(start.character, end.character) : `${start.line}-${end.line}`);
    }
    const order = ['minutes', '"minutes"', '["minutes"]', '"input_fields": ["minutes"]'].map((s) => covered.indexOf(s));
    assert.ok(order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1])), JSON.stringify(covered));
    assert.equal(covered[covered.length - 1], '0-9', JSON.stringify(covered));
  });
});
