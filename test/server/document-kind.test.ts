import assert from 'node:assert/strict';
import { documentKind } from '../../server/service/document-kind';

describe('language server: which documents are ours', () => {
  it('knows app.json, manifest.json and *.load.json by name', () => {
    assert.equal(documentKind('/a/app.json', '{ "input": {} }'), 'app');
    assert.equal(documentKind('/a/manifest.json', '{ "image": "x.bin" }'), 'manifest');
    assert.equal(documentKind('/a/update.load.json', '{}'), 'load');
    assert.equal(documentKind('C:\\apps\\x\\app.json', '{}'), 'app');
    assert.equal(documentKind('/a/package.json', '{}'), undefined);
  });

  it('knows any file that names one of our schemas in $schema', () => {
    assert.equal(documentKind('/a/door.json', '{ "$schema": "https://smartplug.dev/schemas/app.schema.json" }'), 'app');
    assert.equal(documentKind('/a/x.json', '{\n  "$schema": "./schemas/load-action.schema.json"\n}'), 'load');
    assert.equal(documentKind('/a/x.json', '{ "$schema": "https://json.schemastore.org/package.json" }'), undefined);
  });

  it('leaves other tools\' app.json and manifest.json alone', () => {
    assert.equal(documentKind('/expo/app.json', '{\n  "expo": { "name": "my-app" }\n}'), undefined);
    assert.equal(documentKind('/heroku/app.json', '{\n  "name": "x",\n  "buildpacks": []\n}'), undefined);
    assert.equal(documentKind('/web/manifest.json', '{\n  "short_name": "X",\n  "icons": []\n}'), undefined);
    assert.equal(documentKind('/ext/manifest.json', '{\n  "manifest_version": 3\n}'), undefined);
    // A key of that name deeper in the document does not count.
    assert.equal(documentKind('/a/app.json', '{\n  "input": {\n        "env": { "type": "text" }\n  }\n}'), 'app');
  });
});
