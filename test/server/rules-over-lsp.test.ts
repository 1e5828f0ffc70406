import assert from 'node:assert/strict';
import * as path from 'node:path';
import { LspClient } from './lsp-client';
import { CASES } from './rule-cases';
import { covered } from '../support/text-ranges';

/**
 * Every rule the issue names, over the wire: a document that breaks it gets the diagnostic (with
 * its code, at the text it names), and the same document put right does not.
 */
describe('language server: every rule over LSP, positive and negative', function () {
  this.timeout(60_000);
  let client: LspClient;
  before(async () => {
    client = await LspClient.start();
  });
  after(async () => {
    await client.stop();
  });

  CASES.forEach((c, i) => {
    it(`${c.rule} [${c.code}]`, async () => {
      const uri = LspClient.uri(path.join('/tmp/smartplug-rules', `case-${i}`, c.file));
      const bad = JSON.stringify(c.bad, null, 2);
      const found = (await client.open(uri, bad)).diagnostics.filter((d) => d.code === c.code);
      assert.equal(found.length, 1, `expected one ${c.code}`);
      assert.ok(covered(bad, found[0].range).includes(c.at.replace(/\\\\/g, '\\')), `${c.code} covers ${JSON.stringify(covered(bad, found[0].range))}, not ${c.at}`);
      assert.match(found[0].message, /Fix: /);
      const good = JSON.stringify(c.good, null, 2);
      const after = (await client.change(uri, good)).diagnostics.filter((d) => d.code === c.code);
      assert.deepEqual(after, [], `the corrected document still has ${c.code}`);
    });
  });
});
