import assert from 'node:assert/strict';
import { SourceError, type SourceProblem } from '../../../runtime/errors';
import { checkDevicesFile, parseDevicesFile } from '../../../runtime/devices/devices-file';

/** [line, column, code] of each problem, in order. */
function where(problems: readonly SourceProblem[]): [number, number, string][] {
  return problems.map((p) => [p.line, p.column, p.code]);
}

function problemsOf(text: string): SourceProblem[] {
  try {
    parseDevicesFile(text, 'devices.json');
  } catch (e) {
    assert.ok(e instanceof SourceError, `expected SourceError, got ${String(e)}`);
    return e.problems;
  }
  assert.fail('expected the devices file to be rejected');
}

describe('devices/devices-file', () => {
  describe('valid files', () => {
    it('reads an array of devices, defaulting label to id', () => {
      const devices = parseDevicesFile(
        '[{ "id": "door", "label": "Front door", "capabilities": ["contactSensor", "battery"], "attributes": {"contact": "open", "battery": "80"},\n' +
          '   "functionIds": {"contact": 9}, "meta": {"room": "hall"}, "type": "Zigbee Door" },\n' +
          ' { "id": "lamp", "capabilities": ["switch"] }]',
        'devices.json',
      );
      assert.deepEqual(devices, [
        {
          id: 'door',
          label: 'Front door',
          capabilities: ['contactSensor', 'battery'],
          attributes: { contact: 'open', battery: 80 },
          functionIds: { contact: 9 },
          meta: { room: 'hall' },
          type: 'Zigbee Door',
        },
        { id: 'lamp', label: 'lamp', capabilities: ['switch'] },
      ]);
    });

    it('reads { "devices": [...] } with comments, trailing commas and a $schema', () => {
      const text = [
        '{',
        '  "$schema": "./devices.schema.json",',
        '  // the hall',
        '  "devices": [',
        '    { "id": "t", "capabilities": ["thermostat"], "temperatureUnit": "F", "attributes": { "temperature": 150 }, }, /* hot */',
        '  ],',
        '}',
      ].join('\n');
      assert.deepEqual(parseDevicesFile(text, 'devices.json'), [
        { id: 't', label: 't', capabilities: ['thermostat'], attributes: { temperature: 150 }, temperatureUnit: 'F' },
      ]);
    });

    it('returns an empty list for an empty array', () => {
      assert.deepEqual(parseDevicesFile('[]', 'devices.json'), []);
    });
  });

  describe('problems', () => {
    it('reports JSON syntax errors at their position', () => {
      const problems = problemsOf('[\n  { "id": "a" "capabilities": ["switch"] }\n]');
      assert.deepEqual(where(problems), [[2, 15, 'json-syntax']]);
      assert.equal(problems[0].message, "JSON syntax error: ',' expected");
      assert.equal(problems[0].file, 'devices.json');
      assert.equal(problems[0].severity, 'error');
    });

    it('reports an empty file and a root of the wrong kind', () => {
      assert.deepEqual(where(problemsOf('  \n')), [[0, 0, 'devices-empty']]);
      assert.deepEqual(where(problemsOf('// nothing yet\n')), [[0, 0, 'devices-empty']]);
      assert.deepEqual(where(problemsOf('\n  "lamp"')), [[2, 3, 'devices-root']]);
      assert.deepEqual(where(problemsOf('{\n  "devices": {}\n}')), [[2, 14, 'devices-root']]);
      const missing = problemsOf('{\n  "device": []\n}');
      assert.deepEqual(where(missing), [[1, 1, 'devices-root'], [2, 3, 'devices-unknown-key']]);
      assert.equal(missing[1].message, "unknown key 'device'; did you mean 'devices'?");
    });

    it('reports a missing id at the device and a missing capabilities list', () => {
      const problems = problemsOf('[\n  { "label": "Lamp" },\n  "lamp"\n]');
      assert.deepEqual(where(problems), [
        [2, 3, 'device-id-missing'],
        [2, 3, 'device-capabilities-missing'],
        [3, 3, 'device-type'],
      ]);
      assert.equal(problems[0].message, 'device has no "id"');
      assert.equal(problems[0].fix, 'Add "id": "a-unique-name".');
      assert.equal(problems[2].message, 'each device must be an object, got a string');
    });

    it('reports an unknown capability at its string with a suggestion', () => {
      const problems = problemsOf('[\n  { "id": "lamp",\n    "capabilities": ["switch", "swtichLevel"] }\n]');
      assert.deepEqual(where(problems), [[3, 32, 'device-capability-unknown']]);
      assert.equal(problems[0].message, "unknown capability 'swtichLevel'; did you mean 'switchLevel'?");
    });

    it('reports attributes the capabilities do not provide, saying where they belong', () => {
      const problems = problemsOf('[{ "id": "lamp", "capabilities": ["switch"],\n   "attributes": { "level": 50, "swich": "on" } }]');
      assert.deepEqual(where(problems), [
        [2, 20, 'device-attribute-unknown'],
        [2, 33, 'device-attribute-unknown'],
      ]);
      assert.equal(problems[0].message, "attribute 'level' is not provided by capabilities switch; it belongs to 'switchLevel'");
      assert.equal(problems[0].fix, 'Add "switchLevel" to capabilities, or remove \'level\'.');
      assert.equal(problems[1].message, "attribute 'swich' is not provided by capabilities switch; did you mean 'switch'?");
    });

    it('says nothing about attributes when a capability is unknown (it may provide them)', () => {
      const problems = problemsOf('[{ "id": "lamp", "capabilities": ["switchLevl"], "attributes": { "level": 50 } }]');
      assert.deepEqual(where(problems), [[1, 35, 'device-capability-unknown']]);
    });

    it('checks initial values with the device rules, at the value', () => {
      const problems = problemsOf(
        '[{ "id": "door", "capabilities": ["contactSensor", "battery", "temperatureMeasurement"],\n' +
          '   "attributes": { "contact": "ajar", "battery": 120,\n' +
          '                   "temperature": "warm" } }]',
      );
      assert.deepEqual(where(problems), [
        [2, 31, 'device-attribute-value'],
        [2, 50, 'device-attribute-value'],
        [3, 35, 'device-attribute-value'],
      ]);
      assert.deepEqual(problems.map((p) => p.message), [
        '"ajar" is not a valid value for contact; allowed: "open", "closed"',
        'battery must be between 0 and 100 %, got 120',
        'temperature must be a number, got "warm"',
      ]);
    });

    it('reports duplicate device ids at the second id, naming the first line, and not their function ids again', () => {
      const problems = problemsOf('[\n  { "id": "lamp", "capabilities": ["switch"] },\n  { "id": "lamp", "capabilities": ["switch", "lock"] }\n]');
      assert.deepEqual(where(problems), [[3, 11, 'device-id-duplicate']]);
      assert.equal(problems[0].message, "duplicate device id 'lamp' (first used on line 2)");
    });

    it('reports duplicate function ids, numbers and strings alike', () => {
      const problems = problemsOf(
        '[\n  { "id": "a", "capabilities": ["contactSensor"], "functionIds": { "contact": 9 } },\n' +
          '  { "id": "b", "capabilities": ["contactSensor"], "functionIds": { "contact": "9" } }\n]',
      );
      assert.deepEqual(where(problems), [[3, 79, 'device-function-id-duplicate']]);
      assert.equal(problems[0].message, 'function id "9" of b.contact is already used by a.contact (line 2)');
    });

    it('reports bad functionIds, meta, label, type and temperatureUnit values', () => {
      const text = [
        '[{ "id": "m", "label": "", "type": 3, "temperatureUnit": "K",',
        '   "capabilities": ["motionSensor"],',
        '   "functionIds": { "motion": true, "moton": 4 },',
        '   "meta": { "room": 2, "name": "x" } }]',
      ].join('\n');
      const problems = problemsOf(text);
      assert.deepEqual(where(problems), [
        [1, 24, 'device-label'],
        [1, 36, 'device-type'],
        [1, 58, 'device-temperature-unit'],
        [3, 31, 'device-function-id-type'],
        [3, 37, 'device-function-attribute'],
        [4, 22, 'device-meta-value'],
        [4, 25, 'device-meta-reserved'],
      ]);
      assert.deepEqual(problems.map((p) => p.message), [
        '"label" must be a non-empty string, got an empty string',
        '"type" must be a non-empty string, got a number',
        'temperatureUnit must be "C" or "F", got "K"',
        "function id for 'motion' must be a number or a non-empty string, got a boolean",
        "attribute 'moton' is not provided by capabilities motionSensor; did you mean 'motion'?",
        "meta 'room' must be a string, got a number",
        "meta key 'name' is set from the device itself",
      ]);
      assert.equal(problems[5].fix, 'Write it as "2".');
    });

    it('reports unknown and repeated device keys, and bad capability lists', () => {
      const text = [
        '[{ "id": "a", "capabilites": ["switch"], "capabilities": [] },',
        ' { "id": "b", "id": "c", "capabilities": "switch" },',
        ' { "id": "d", "capabilities": ["lock", 7, "lock"] }]',
      ].join('\n');
      const problems = problemsOf(text);
      assert.deepEqual(where(problems), [
        [1, 15, 'device-unknown-key'],
        [1, 58, 'device-capabilities-empty'],
        [2, 15, 'device-duplicate-key'],
        [2, 42, 'device-capabilities-type'],
        [3, 40, 'device-capability-type'],
        [3, 43, 'device-capability-duplicate'],
      ]);
      assert.equal(problems[0].message, "unknown device key 'capabilites'; did you mean 'capabilities'?");
    });

    it('collects every problem of a file in reading order, keeping good devices for diagnostics', () => {
      const text = [
        '// devices for the hall',
        '[',
        '  { "id": "door", "capabilities": ["contactSensr"] },',
        '  { "id": "lamp", "capabilities": ["switch"], "attributes": { "switch": "dim" } },',
        '  { "capabilities": ["lock"] },',
        '  { "id": "door", "capabilities": ["switch"] },',
        '  { "id": "ok", "capabilities": ["valve"] }',
        ']',
      ].join('\n');
      const result = checkDevicesFile(text, 'hall.json');
      assert.deepEqual(where(result.problems), [
        [3, 36, 'device-capability-unknown'],
        [4, 73, 'device-attribute-value'],
        [5, 3, 'device-id-missing'],
        [6, 11, 'device-id-duplicate'],
      ]);
      assert.deepEqual(result.devices.map((d) => d.id), ['ok']);
      assert.ok(result.problems.every((p) => p.file === 'hall.json'));
      const thrown = problemsOf(text);
      assert.equal(thrown.length, 4);
      assert.throws(() => parseDevicesFile(text, 'hall.json'), (e: unknown) => e instanceof SourceError && /^hall\.json:3:36: error: unknown capability 'contactSensr'; did you mean 'contactSensor'\? \[device-capability-unknown\]\n/.test(e.message));
    });
  });
});
