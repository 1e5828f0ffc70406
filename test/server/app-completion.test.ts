/**
 * Completion where an app author needs it, over LSP: the attribute in subscribe(settings.x, "…")
 * from the devices that input can choose; device ids, attributes, commands and values in scenarios;
 * config keys and device ids in instance files.
 */
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { CompletionRequest, type CompletionItem, type CompletionList } from 'vscode-languageserver-protocol';
import { applyEdits, positionAfter } from '../support/text-ranges';
import { APP_JS, APP_JSON, DEVICES_JSON, INSTANCE_JSON, SCENARIO, writeApp } from './app-fixture';
import { LspClient } from './lsp-client';

describe('language server: completion in app.js subscribe(), scenarios and instance files', function () {
  this.timeout(30_000);
  let client: LspClient;
  let dir: string;

  before(async () => {
    dir = writeApp();
    client = await LspClient.start(dir);
  });
  after(async () => {
    await client.stop();
  });

  /** Opens (or changes) `file` to `text` and completes right after `after`. */
  async function complete(file: string, text: string, after: string, languageId = 'jsonc'): Promise<CompletionItem[]> {
    const uri = LspClient.uri(path.join(dir, file));
    await client.open(uri, text, languageId).catch(() => undefined);
    await client.change(uri, text);
    const result = (await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: positionAfter(text, after) })) as CompletionList | CompletionItem[] | null;
    return result === null ? [] : Array.isArray(result) ? result : result.items;
  }

  const labels = (items: CompletionItem[]) => items.map((i) => i.label);
  const accept = (text: string, item: CompletionItem) => {
    const edit = item.textEdit as { range: Parameters<typeof applyEdits>[1][number]['range']; newText: string };
    return applyEdits(text, [edit]);
  };

  describe('app.js: subscribe(settings.x, "…")', () => {
    it('offers the attributes and attribute.value events of the devices the input can choose', async () => {
      const script = APP_JS.replace('"contact.open"', '"con"');
      const items = await complete('app.js', script, '"con', 'javascript');
      // devices.json's devices (no filter: both of them): contact, switch, level.
      assert.deepEqual(labels(items).sort(), ['contact', 'contact.closed', 'contact.open', 'level', 'switch', 'switch.off', 'switch.on']);
      assert.equal(accept(script, items.find((i) => i.label === 'contact.open')!), APP_JS);
    });

    it('narrows to the devices the input\'s filter matches', async () => {
      const devices = '[\n  { "id": "front-door", "type": "door", "capabilities": ["contactSensor"] },\n  { "id": "hall-lamp", "type": "lamp", "capabilities": ["switch"] }\n]\n';
      writeFileSync(path.join(dir, 'devices.json'), devices);
      const app = APP_JSON.replace('"door": { "type": "single_device_selector", "name": "Door" }', '"door": { "type": "single_device_selector", "name": "Door", "filter": { "type": "door" } }');
      await complete('app.json', app, '{', 'json');
      const items = await complete('app.js', APP_JS.replace('"contact.open"', '""'), 'settings.door, "', 'javascript');
      assert.deepEqual(labels(items).sort(), ['contact', 'contact.closed', 'contact.open']);
      await client.change(LspClient.uri(path.join(dir, 'app.json')), APP_JSON);
    });

    it('offers the catalogue\'s attributes of a function type without a devices file', async () => {
      rmSync(path.join(dir, 'devices.json'));
      const app = APP_JSON.replace('"door": { "type": "single_device_selector", "name": "Door" }', '"door": { "type": "single_function_selector", "name": "Door", "filter": { "type": "door" } }');
      await client.change(LspClient.uri(path.join(dir, 'app.json')), app);
      const items = await complete('app.js', APP_JS, 'settings.door, "', 'javascript');
      assert.deepEqual(labels(items).sort(), ['contact', 'contact.closed', 'contact.open']);
      await client.change(LspClient.uri(path.join(dir, 'app.json')), APP_JSON);
    });

    it('offers nothing outside subscribe\'s attribute, or for an input that is no device', async () => {
      assert.deepEqual(await complete('app.js', APP_JS, 'runIn(settings.minutes * 60, "o', 'javascript'), []);
      assert.deepEqual(await complete('app.js', APP_JS.replace('settings.door', 'settings.minutes'), 'settings.minutes, "c', 'javascript'), []);
    });
  });

  describe('scenarios', () => {
    const file = 'tests/door.scenario.json';
    before(() => writeFileSync(path.join(dir, 'devices.json'), DEVICES_JSON));

    it('offers the device ids in an event, replacing the whole string', async () => {
      const text = SCENARIO.replace('"device": "front-door"', '"device": "fr"');
      const items = await complete(file, text, '"device": "fr');
      assert.deepEqual(labels(items), ['front-door', 'hall-lamp']);
      assert.equal(accept(text, items[0]), SCENARIO);
    });

    it('offers the attributes of the device the event names, and their values', async () => {
      assert.deepEqual(labels(await complete(file, SCENARIO, '"attribute": "con')), ['contact']);
      assert.deepEqual(labels(await complete(file, SCENARIO, '"value": "op')), ['open', 'closed']);
    });

    it('offers the commands of the device an expectation names', async () => {
      assert.deepEqual(labels(await complete(file, SCENARIO, '"command": "o')).sort(), ['off', 'on', 'setLevel']);
    });

    it('offers "device.attribute" keys in an attributes expectation, and step kinds', async () => {
      const items = labels(await complete(file, SCENARIO, '"attributes": { "hall'));
      assert.deepEqual(items, ['front-door.contact', 'hall-lamp.switch', 'hall-lamp.level']);
      const kinds = labels(await complete(file, SCENARIO, '{ "adv'));
      assert.ok(kinds.includes('advance') && kinds.includes('expect') && kinds.includes('event'), kinds.join());
      const expectKeys = labels(await complete(file, SCENARIO, '{ "expect": { "com'));
      assert.ok(expectKeys.includes('commands') && expectKeys.includes('attributes') && !expectKeys.includes('advance'), expectKeys.join());
    });

    it('offers the app\'s inputs as keys of an update step', async () => {
      assert.deepEqual(labels(await complete(file, SCENARIO, '"update": { "min')).sort(), ['brightness', 'door', 'lamp', 'minutes']);
    });
  });

  describe('instance.json', () => {
    it('offers the inputs as config keys, and device ids for a device selector', async () => {
      assert.deepEqual(labels(await complete('instance.json', INSTANCE_JSON, '"config": { "do')).sort(), ['brightness', 'door', 'lamp', 'minutes']);
      assert.deepEqual(labels(await complete('instance.json', INSTANCE_JSON, '"lamp": "hall')), ['front-door', 'hall-lamp']);
      assert.deepEqual(await complete('instance.json', INSTANCE_JSON, '"minutes": 2'), []);
    });
  });
});
