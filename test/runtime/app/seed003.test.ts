import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyDefaults, checkConfig, parseAppJson, parseInstanceFile, resolveSettings } from '../../../runtime/app';
import { testCatalogue, where } from './app-test-helpers';

// Seed 003's own example, byte for byte (tabs included): it has a guide typo and a string default.
const dir = join(__dirname, '../../fixtures/seed003');
const appText = readFileSync(join(dir, 'app.json'), 'utf8');
const instanceText = readFileSync(join(dir, 'instance.json'), 'utf8');

describe('seed 003 example', () => {
  const { appJson, problems } = parseAppJson(appText, 'app.json');

  it('finds the guide typo, the string default and their consequences at exact positions', () => {
    assert.deepEqual(problems.map(where), [
      '20:15 warning input-default-type',
      '46:5 warning input-unreachable',
      '49:18 warning input-default-invalid',
      '72:9 error unknown-input',
    ]);
    assert.equal(problems[0].message, 'input "timeout": "default" of a number input is the string "10", not a number');
    assert.equal(problems[0].fix, 'use 10 (a number)');
    assert.equal(problems[1].message, 'input "text_example" is on no guide page and in no repeat, so the user is never asked for it');
    // Validators match the whole text, so "Example text" (with a space) fails "[a-zA-Z]*".
    assert.equal(problems[2].message, 'input "text_example": "default" "Example text" does not match its validator /[a-zA-Z]*/ (The text can only contain letters)');
    assert.equal(problems[3].message, 'guide page "stage_2" lists "example_text", which is not an input; did you mean "text_example"?');
    assert.equal(problems[3].fix, 'write "text_example"');
  });

  it('still yields the model: seven inputs, two pages', () => {
    assert.deepEqual(Object.keys(appJson!.input), ['actuator_function', 'trigger_function', 'timeout', 'trigger_value', 'temp', 'notification', 'text_example']);
    assert.deepEqual(appJson!.guide.map((p) => p.id), ['stage_1', 'stage_2']);
    assert.equal(appJson!.licence, 'MIT');
  });

  it('checks the example config by the rules, not by the example', () => {
    const config = JSON.parse(instanceText).config;
    const expected = [
      {
        path: ['trigger_function'],
        severity: 'error',
        code: 'config-type',
        message: 'input "trigger_function" has "value": true, so its config is { "<function-id>": <value> }; got 123',
        fix: 'write { "123": <value> } or set "value": false',
      },
      {
        path: ['actuator_function'],
        severity: 'error',
        code: 'config-type',
        message: 'input "actuator_function" has no "value": true, so its config is <function-id>; got {"4456":255}',
        fix: 'write 4456, or set "value": true in app.json to keep the value',
      },
      {
        path: ['example_text'],
        at: 'key',
        severity: 'warning',
        code: 'config-unknown-key',
        message: 'unknown input "example_text"; did you mean "text_example"?',
        fix: 'rename it to "text_example"',
        replacement: '"text_example"',
      },
    ];
    assert.deepEqual(checkConfig(appJson!, config), expected);
    // The temperature functions 9 and 12 exist and match trigger_value's filter: nothing more.
    assert.deepEqual(checkConfig(appJson!, config, testCatalogue()), expected);
  });

  it('places those problems in the instance file', () => {
    const inst = parseInstanceFile(instanceText, 'instance.json', appJson!);
    assert.equal(inst.shape, 'api');
    assert.equal(inst.name, 'My app instance');
    assert.deepEqual(inst.problems.map(where), ['7:25 error config-type', '8:27 error config-type', '17:5 warning config-unknown-key']);
  });

  it('fills defaults and tags the selectors of the example config', () => {
    const config = applyDefaults(appJson!, JSON.parse(instanceText).config);
    assert.equal(config.timeout, 10);
    assert.equal(config.text_example, 'Example text');
    const settings = resolveSettings(appJson!, config);
    assert.deepEqual(settings.temp, [
      { trigger_value: { $function: 9, value: 26 } },
      { trigger_value: { $function: 9, value: 35 } },
      { trigger_value: { $function: 12, value: 10 } },
    ]);
    assert.deepEqual(settings.notification, { $notification: 456 });
  });
});
