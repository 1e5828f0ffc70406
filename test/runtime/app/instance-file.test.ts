import assert from 'node:assert/strict';
import { AppJson, parseInstanceFile } from '../../../runtime/app';
import { at, testCatalogue, where } from './app-test-helpers';

const appJson: AppJson = {
  version: '1.0.0',
  input: {
    timeout: { type: 'number', required: true },
    trigger: { type: 'single_function_selector', value: true },
    temp: { type: 'repeat', input_fields: ['trigger_value', 'inner'] },
    trigger_value: { type: 'multi_function_selector', value: true },
    inner: { type: 'repeat', input_fields: ['level'] },
    level: { type: 'number' },
  },
  guide: [{ input_fields: ['timeout', 'trigger', 'temp'] }],
};

describe('parseInstanceFile', () => {
  it('reads seed 003\'s API body: ids, version, name and config', () => {
    const text = '{ "app_id": 5, "installation_id": 12, "version": "1.0.0", "config": { "timeout": 3 }, "name": "Hall" }';
    const r = parseInstanceFile(text, 'instance.json', appJson);
    assert.deepEqual(r, { shape: 'api', name: 'Hall', appId: 5, installationId: 12, version: '1.0.0', config: { timeout: 3 }, problems: [] });
  });

  it('gives no id or version that is not what it must be (each is a problem instead)', () => {
    const r = parseInstanceFile('{ "app_id": "5", "installation_id": 1.5, "version": 1, "config": {} }', 'instance.json', appJson);
    assert.equal(r.appId, undefined);
    assert.equal(r.installationId, undefined);
    assert.equal(r.version, undefined);
    assert.equal(r.problems.filter((p) => p.code === 'instance-type').length, 3);
  });

  it('reads a bare config object, with comments', () => {
    const text = '// my test instance\n{ "timeout": 3, "trigger": { "9": 1 } }';
    const r = parseInstanceFile(text, 'instance.json', appJson);
    assert.deepEqual(r, { shape: 'bare', config: { timeout: 3, trigger: { '9': 1 } }, problems: [] });
  });

  it('places each config problem on its value, key or enclosing object', () => {
    const text = [
      '{',
      '  "config": {',
      '    "trigger": 123,',
      '    "timout": 5,',
      '    "temp": [',
      '      { "trigger_value": { "4465": 1 } },',
      '      { "inner": [ { "level": 1 }, { "level": "2" } ] }',
      '    ]',
      '  }',
      '}',
    ].join('\n');
    const r = parseInstanceFile(text, 'instance.json', appJson, testCatalogue());
    assert.deepEqual(r.problems.map(where), [
      '2:13 error config-required', // timeout missing: the config object itself
      at(text, '123', 'error', 'config-type'),
      at(text, '"timout"', 'warning', 'config-unknown-key'),
      at(text, '"4465"', 'error', 'config-unknown-id'),
      at(text, '"2"', 'error', 'config-type'),
    ]);
    assert.deepEqual(r.problems.map((p) => p.fix), [
      'add "timeout": <number>',
      'write { "123": <value> } or set "value": false',
      'rename it to "timeout"',
      'write 4456',
      'use 2 (a number)',
    ]);
    assert.equal(r.problems[0].file, 'instance.json');
  });

  it('places problems of a bare config the same way', () => {
    const text = '{\n  "timeout": "3"\n}';
    const r = parseInstanceFile(text, 'i.json', appJson);
    assert.deepEqual(r.problems.map(where), ['2:14 error config-type']);
  });

  it('checks the keys of the API body', () => {
    const text = '{\n  "app_id": "5",\n  "version": "0.9.0",\n  "nmae": "x",\n  "config": { "timeout": 1 }\n}';
    const r = parseInstanceFile(text, 'i.json', appJson);
    assert.deepEqual(r.problems.map(where), ['2:13 error instance-type', '3:14 warning instance-version', '4:3 warning instance-unknown-key']);
    assert.equal(r.problems[0].fix, 'use 5 (a number)');
    assert.equal(r.problems[2].message, 'unknown key "nmae" in the instance file; did you mean "name"?');
  });

  it('treats "config" as an input when the app declares one, unless app_id or installation_id says otherwise', () => {
    const withConfigInput: AppJson = { input: { config: { type: 'single_function_selector', value: true } }, guide: [{ input_fields: ['config'] }] };
    const bare = parseInstanceFile('{ "config": { "9": 1 } }', 'i.json', withConfigInput);
    assert.equal(bare.shape, 'bare');
    assert.deepEqual(bare.config, { config: { '9': 1 } });
    assert.deepEqual(bare.problems, []);
    const api = parseInstanceFile('{ "installation_id": 1, "config": { "config": { "9": 1 } } }', 'i.json', withConfigInput);
    assert.equal(api.shape, 'api');
    assert.deepEqual(api.config, { config: { '9': 1 } });
  });

  it('reports syntax errors and a root that is not an object, without a config', () => {
    const broken = parseInstanceFile('{\n  "timeout": 3,\n}', 'i.json', appJson);
    assert.deepEqual([broken.config, broken.problems.map(where)], [undefined, ['2:15 error json-syntax']]);
    const arr = parseInstanceFile('[]', 'i.json', appJson);
    assert.deepEqual([arr.config, arr.problems.map(where)], [undefined, ['1:1 error instance-root']]);
  });
});
