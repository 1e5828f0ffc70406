import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ValidateFilesRequest } from '../../server/protocol';
import { LspClient } from './lsp-client';

describe('language server: smartplug/validateFiles (Validate Workspace)', function () {
  this.timeout(30_000);

  it('checks files from disk, publishes their diagnostics, and counts them', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'smartplug-validate-files-'));
    mkdirSync(path.join(dir, 'a'));
    mkdirSync(path.join(dir, 'expo'));
    writeFileSync(path.join(dir, 'a', 'app.json'), JSON.stringify({ input: { t: { type: 'text', name: 'T' } }, guide: [{ id: 'p', input_fields: ['t', 'u'] }] }, null, 2));
    writeFileSync(path.join(dir, 'a', 'app.js'), 'function installed() { log.info(settings.tt) }\n');
    writeFileSync(path.join(dir, 'a', 'x.load.json'), JSON.stringify({ url: 'https://a.com/x.bin', method: 'native' }));
    writeFileSync(path.join(dir, 'expo', 'app.json'), JSON.stringify({ expo: { name: 'x' } }));
    const client = await LspClient.start(dir);
    try {
      const uris = ['a/app.json', 'a/app.js', 'a/x.load.json', 'expo/app.json'].map((f) => LspClient.uri(path.join(dir, f)));
      const jsonDiagnostics = client.nextDiagnostics(uris[0]);
      const jsDiagnostics = client.nextDiagnostics(uris[1]);
      const result = await client.connection.sendRequest(ValidateFilesRequest.type, { uris });
      assert.deepEqual(result, { files: 3, errors: 1, warnings: 1 });
      assert.deepEqual((await jsonDiagnostics).diagnostics.map((d) => d.code), ['unknown-input']);
      assert.deepEqual((await jsDiagnostics).diagnostics.map((d) => d.code), ['settings-unknown-input']);
    } finally {
      await client.stop();
    }
  });
});
