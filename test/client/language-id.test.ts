import assert from 'node:assert/strict';
import { languageFor, SMARTPLUG_JSON } from '../../client/language-client/language-id';

describe('client: the language of our files', () => {
  it('keeps app.json, manifest.json and *.load.json of ours in their own language (VS Code\'s JSON extension stays away)', () => {
    assert.equal(languageFor('/w/door/app.json', '{ "input": {} }', SMARTPLUG_JSON), undefined);
    assert.equal(languageFor('/w/img/manifest.json', '{ "image": "a.bin" }', SMARTPLUG_JSON), undefined);
    assert.equal(languageFor('/w/img/update.load.json', '{}', SMARTPLUG_JSON), undefined);
  });

  it('gives another tool\'s app.json or manifest.json back to JSON, where VS Code serves it as before', () => {
    assert.equal(languageFor('/w/mobile/app.json', '{ "expo": { "name": "x" } }', SMARTPLUG_JSON), 'json');
    assert.equal(languageFor('/w/web/manifest.json', '{ "name": "A", "start_url": "/" }', SMARTPLUG_JSON), 'json');
  });

  it('takes a JSON file of any name that names one of our schemas', () => {
    assert.equal(languageFor('/w/door/config.json', '{ "$schema": "https://smartplug.dev/schemas/app.schema.json" }', 'json'), SMARTPLUG_JSON);
    assert.equal(languageFor('/w/other.json', '{ "$schema": "https://json.schemastore.org/package" }', 'json'), undefined);
    assert.equal(languageFor('/w/x.scenario.json', '{}', 'jsonc'), undefined);
  });
});
