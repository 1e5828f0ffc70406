import assert from 'node:assert/strict';
import { parseScenarioFile } from '../../../runtime/scenario';
import type { ScenarioFile, Step } from '../../../runtime/scenario';
import type { SourceProblem } from '../../../runtime/errors';

const FILE = 'door.scenario.json';

function parse(lines: string[]): ScenarioFile {
  return parseScenarioFile(lines.join('\n'), FILE);
}

/** [line, column, code] of each problem, in order. */
function where(problems: readonly SourceProblem[]): [number, number, string][] {
  return problems.map((p) => [p.line, p.column, p.code]);
}

/** One scenario with the given steps, the first on line 4, each step's first line indented by 6. */
function withSteps(steps: string[]): ScenarioFile {
  return parse(['{', '  "scenarios": [', '    { "name": "s", "steps": [', steps.map((st) => `      ${st}`).join(',\n'), '    ] }', '  ]', '}']);
}

/** Steps without positions, for comparing models. */
function shapes(steps: Step[]): unknown[] {
  return steps.map((s) => {
    const { line: _l, column: _c, at: _a, index: _i, ...rest } = s;
    return rest;
  });
}

describe('scenario/parse', () => {
  describe('a valid file', () => {
    it('reads the defaults and every step kind, with positions', () => {
      const f = parse([
        '// a comment: JSONC is allowed',
        '{',
        '  "app": "../door-light",',
        '  "start": "2024-03-01T08:00:00Z",',
        '  "location": { "mode": "Away", "timeZone": "Europe/Stockholm", "latitude": 59.3, "longitude": 18.1 },',
        '  "devices": "devices.json",',
        '  "config": { "timeout": 5 },',
        '  "rateLimit": { "executions": 10, "windowMs": "1m" },',
        '  "cpuLimitMs": 500,',
        '  "scenarios": [',
        '    {',
        '      "name": "all kinds",',
        '      "steps": [',
        '        { "event": { "device": "door", "attribute": "contact", "value": "open" } },',
        '        { "event": { "function": 9, "value": 21.5 } },',
        '        { "function": "lamp.switch", "value": "on" },',
        '        { "advance": "1h30m" },',
        '        { "advance": 5000 },',
        '        { "advanceTo": "2024-03-01T18:00:00Z" },',
        '        { "advanceTo": "sunset-15m" },',
        '        { "mode": "Home" },',
        '        { "position": { "latitude": 55.6, "longitude": 13 } },',
        '        { "touch": true },',
        '        { "command": { "device": "lamp", "command": "setLevel", "args": [50] } },',
        '        { "call": { "method": "post", "path": "/scene", "body": { "x": 1 } } },',
        '        { "update": { "timeout": 2 } },',
        '        { "update": "other-instance.json" },',
        '        { "uninstall": true },',
        '        { "expect": { "noCommands": true } }',
        '      ]',
        '    }',
        '  ]',
        '}',
      ]);
      assert.deepEqual(f.problems, []);
      assert.deepEqual(f.defaults.app, { path: '../door-light', line: 3, column: 10 });
      assert.deepEqual(f.defaults.start, { text: '2024-03-01T08:00:00Z', spec: { kind: 'instant', ms: Date.parse('2024-03-01T08:00:00Z') }, line: 4, column: 12 });
      assert.equal(f.defaults.location?.mode, 'Away');
      assert.equal(f.defaults.location?.timeZone, 'Europe/Stockholm');
      assert.deepEqual(f.defaults.location?.at.latitude, { line: 5, column: 77 });
      assert.deepEqual(f.defaults.devices, { kind: 'file', path: 'devices.json', line: 6, column: 14 });
      assert.equal(f.defaults.config?.kind, 'inline');
      assert.deepEqual(f.defaults.config?.kind === 'inline' && f.defaults.config.value, { timeout: 5 });
      assert.deepEqual(f.defaults.rateLimit, { executions: 10, windowMs: 60000 });
      assert.equal(f.defaults.cpuLimitMs, 500);
      const [s] = f.scenarios;
      assert.equal(s.name, 'all kinds');
      assert.deepEqual([s.line, s.column], [11, 5]);
      assert.deepEqual(shapes(s.steps), [
        { kind: 'event', device: 'door', attribute: 'contact', value: 'open' },
        { kind: 'event', functionId: 9, value: 21.5 },
        { kind: 'event', functionId: 'lamp.switch', value: 'on' },
        { kind: 'advance', ms: 5_400_000, text: '1h30m' },
        { kind: 'advance', ms: 5000, text: '5000ms' },
        { kind: 'advanceTo', to: { text: '2024-03-01T18:00:00Z', spec: { kind: 'instant', ms: Date.parse('2024-03-01T18:00:00Z') }, line: 19, column: 24 } },
        { kind: 'advanceTo', to: { text: 'sunset-15m', spec: { kind: 'sun', event: 'sunset', offsetMs: -900_000 }, line: 20, column: 24 } },
        { kind: 'mode', mode: 'Home' },
        { kind: 'position', latitude: 55.6, longitude: 13 },
        { kind: 'touch' },
        { kind: 'command', device: 'lamp', command: 'setLevel', args: [50] },
        { kind: 'call', method: 'POST', path: '/scene', body: { x: 1 } },
        { kind: 'update', config: { kind: 'inline', value: { timeout: 2 }, offset: f.text.indexOf('{ "timeout": 2 }'), length: 16, line: 26, column: 21 } },
        { kind: 'update', config: { kind: 'file', path: 'other-instance.json', line: 27, column: 21 } },
        { kind: 'uninstall' },
        { kind: 'expect', expect: { noCommands: true } },
      ]);
      assert.deepEqual(s.steps.map((st) => [st.index, st.line, st.column]), s.steps.map((_, i) => [i, 14 + i, 9]));
      // Parts named by a step keep their own positions, for problems found when the scenario is set up.
      assert.deepEqual(s.steps[0].at, { value: { line: 14, column: 73 }, device: { line: 14, column: 32 }, attribute: { line: 14, column: 53 } });
      assert.deepEqual(s.steps[1].at.function, { line: 15, column: 34 });
    });

    it('reads every expectation', () => {
      const f = withSteps([[
        '{ "expect": {',
        '  "commands": [{ "device": "lamp", "command": "on" }, { "device": "lamp", "command": "setLevel", "args": [50] }], "exactly": true,',
        '  "attributes": { "lamp.switch": "on", "kitchen.temperature": 21.5 },',
        '  "notifications": [{ "output": 456, "contains": "open" }, { "message": "exact" }],',
        '  "logs": [{ "level": "warn", "contains": "hot" }, { "contains": "x" }],',
        '  "noLogs": { "level": "error" },',
        '  "errors": [{ "contains": "broken" }],',
        '  "state": { "opens": 2, "list": [1] },',
        '  "mode": "Away",',
        '  "response": { "status": 200, "body": { "ok": true } },',
        '  "subscriptions": 3,',
        '  "jobs": ["lightOff"]',
        '} }',
      ].join('\n')]);
      assert.deepEqual(where(f.problems), []);
      const step = f.scenarios[0].steps[0];
      assert.equal(step.kind, 'expect');
      assert.deepEqual(step.kind === 'expect' && step.expect, {
        commands: [{ device: 'lamp', command: 'on' }, { device: 'lamp', command: 'setLevel', args: [50] }],
        exactly: true,
        attributes: [
          { key: 'lamp.switch', device: 'lamp', attribute: 'switch', value: 'on' },
          { key: 'kitchen.temperature', device: 'kitchen', attribute: 'temperature', value: 21.5 },
        ],
        notifications: [{ output: 456, contains: 'open' }, { message: 'exact' }],
        logs: [{ level: 'warn', contains: 'hot' }, { contains: 'x' }],
        noLogs: { level: 'error' },
        errors: [{ contains: 'broken' }],
        state: { opens: 2, list: [1] },
        hasState: true,
        mode: 'Away',
        response: { status: 200, body: { ok: true }, hasBody: true },
        subscriptions: 3,
        jobs: ['lightOff'],
      });
      assert.deepEqual(step.at['commands[1].command'], { line: 5, column: 86 });
      assert.deepEqual(step.at['attributes.kitchen.temperature'], { line: 6, column: 40 });
    });

    it('reads scenario overrides and expectInstallError', () => {
      const f = parse([
        '{ "scenarios": [',
        '  { "name": "bad config", "config": "bad.json", "devices": [{ "id": "x", "capabilities": ["switch"] }],',
        '    "start": "2024-06-01T10:00", "location": { "mode": "Night" }, "expectInstallError": "needs at least" }',
        '] }',
      ]);
      assert.deepEqual(f.problems, []);
      const s = f.scenarios[0];
      assert.deepEqual(s.expectInstallError, { text: 'needs at least', line: 3, column: 89 });
      assert.deepEqual(s.config, { kind: 'file', path: 'bad.json', line: 2, column: 37 });
      assert.equal(s.devices?.kind, 'inline');
      assert.deepEqual(s.start?.spec, { kind: 'local', year: 2024, month: 6, day: 1, hour: 10, minute: 0, second: 0 });
      assert.deepEqual(s.steps, []);
    });

    it('accepts rateLimit false and a BOM', () => {
      const f = parseScenarioFile('\uFEFF{ "rateLimit": false, "scenarios": [] }', FILE);
      assert.equal(f.defaults.rateLimit, false);
      assert.deepEqual(where(f.problems), [[1, 36, 'scenarios-empty']]);
    });
  });

  describe('problems, at their exact place', () => {
    it('reports JSON syntax errors and nothing else', () => {
      const f = parse(['{', '  "scenarios": [', '    { "name": "a" "steps": [] }', '  ]', '}']);
      assert.deepEqual(where(f.problems), [[3, 19, 'json-syntax']]);
      assert.deepEqual(f.fileProblems, f.problems);
      assert.deepEqual(f.scenarios, []);
    });

    it('reports an unknown step kind with a did-you-mean', () => {
      const f = withSteps(['{ "advanse": "10m" }', '{ "wait": "10m" }']);
      assert.deepEqual(where(f.problems), [[4, 9, 'step-kind-unknown'], [5, 9, 'step-kind-unknown']]);
      assert.match(f.problems[0].message, /unknown step kind "advanse"; did you mean "advance"\?/);
      assert.equal(f.problems[0].fix, 'rename it to "advance"');
      assert.doesNotMatch(f.problems[1].message, /did you mean/);
    });

    it('reports a step with two kinds, an empty step and extra keys', () => {
      const f = withSteps(['{ "advance": "1m", "expect": { "jobs": 0 } }', '{}', '{ "touch": true, "note": "x" }']);
      assert.deepEqual(where(f.problems), [[4, 26, 'step-kind-multiple'], [5, 7, 'step-empty'], [6, 24, 'scenario-unknown-key']]);
    });

    it('reports bad durations and times', () => {
      const f = withSteps(['{ "advance": "10 minutes" }', '{ "advance": -5 }', '{ "advance": "90" }', '{ "advanceTo": "tomorrow" }', '{ "advanceTo": "2024-02-30T10:00:00Z" }', '{ "advanceTo": "sunset+soon" }']);
      assert.deepEqual(where(f.problems), [
        [4, 20, 'duration-invalid'], [5, 20, 'duration-invalid'], [6, 20, 'duration-invalid'],
        [7, 22, 'time-invalid'], [8, 22, 'time-invalid'], [9, 22, 'time-invalid'],
      ]);
      assert.match(f.problems[2].message, /a bare number in quotes has no unit: write 90 \(ms\) or "90s"/);
      assert.match(f.problems[4].message, /is not a valid date and time/);
    });

    it('reports malformed step values at the value', () => {
      const f = withSteps([
        '{ "event": { "device": "door", "value": "open" } }',
        '{ "event": { "function": 9, "device": "door", "value": "open" } }',
        '{ "event": { "device": "door", "attribute": "contact", "value": { "a": 1 } } }',
        '{ "mode": "" }',
        '{ "position": { "latitude": 95, "longitude": "10" } }',
        '{ "touch": "yes" }',
        '{ "command": { "device": "lamp", "args": 5 } }',
        '{ "call": { "method": "FETCH", "path": "/x" } }',
        '{ "call": { "path": "status" } }',
        '{ "update": 5 }',
        '{ "uninstall": false }',
      ]);
      assert.deepEqual(where(f.problems), [
        [4, 18, 'scenario-missing'],
        [5, 35, 'event-shape'],
        [6, 71, 'scenario-type'],
        [7, 17, 'scenario-type'],
        [8, 35, 'scenario-value'], [8, 52, 'scenario-type'],
        [9, 18, 'scenario-value'],
        [10, 20, 'scenario-missing'],
        [11, 29, 'scenario-value'],
        [12, 27, 'scenario-value'],
        [13, 19, 'scenario-type'],
        [14, 22, 'scenario-value'],
      ]);
      assert.equal(f.problems[5].fix, 'write 10 (a number, no quotes)');
      assert.equal(f.problems[9].fix, 'write "/status"');
    });

    it('reports malformed expectations, with a did-you-mean for a misspelt key', () => {
      const f = withSteps([
        '{ "expect": { "comands": [] } }',
        '{ "expect": { "commands": [{ "device": "lamp" }], "attributes": { "switch": "on" } } }',
        '{ "expect": { "logs": [{ "level": "loud", "contains": "x" }], "noLogs": { "level": "fatal" } } }',
        '{ "expect": { "errors": [{}], "jobs": -1, "subscriptions": "many", "response": { "status": 99 } } }',
        '{ "expect": {} }',
        '{ "expect": { "exactly": true, "jobs": 0 } }',
      ]);
      assert.deepEqual(where(f.problems), [
        [4, 21, 'scenario-unknown-key'],
        [5, 34, 'scenario-missing'], [5, 73, 'expect-attribute-key'],
        [6, 41, 'scenario-value'], [6, 90, 'scenario-value'],
        [7, 32, 'scenario-missing'], [7, 45, 'scenario-value'], [7, 66, 'scenario-type'], [7, 98, 'scenario-value'],
        [8, 19, 'expect-empty'],
        [9, 21, 'expect-exactly-alone'],
      ]);
      assert.match(f.problems[0].message, /unknown key "comands" in an expect step; did you mean "commands"\?/);
      assert.equal(f.problems[10].severity, 'warning');
    });

    it('reports bad top-level and scenario keys and values', () => {
      const f = parse([
        '{',
        '  "aap": "x",',
        '  "start": "noon",',
        '  "location": { "timeZone": "Mars/Base", "temperatureScale": "K", "modes": [] },',
        '  "devices": 5,',
        '  "rateLimit": { "executions": 0, "windowMs": "soon" },',
        '  "cpuLimitMs": 0,',
        '  "scenarios": [',
        '    { "steps": [] },',
        '    { "name": "no steps" },',
        '    { "name": "dup", "steps": [] },',
        '    { "name": "dup", "steps": [], "expectInstallError": 3 },',
        '    "nope"',
        '  ]',
        '}',
      ]);
      assert.deepEqual(where(f.problems), [
        [2, 3, 'scenario-unknown-key'],
        [3, 12, 'time-invalid'],
        [4, 29, 'location-time-zone'], [4, 62, 'scenario-value'], [4, 76, 'scenario-value'],
        [5, 14, 'scenario-type'],
        [6, 32, 'scenario-value'], [6, 47, 'duration-invalid'],
        [7, 17, 'scenario-value'],
        [9, 5, 'scenario-missing'],
        [10, 5, 'scenario-missing'],
        [12, 5, 'scenario-duplicate-name'], [12, 57, 'scenario-type'],
        [13, 5, 'scenario-type'],
      ]);
      assert.match(f.problems[0].message, /did you mean "app"\?/);
    });

    it('keeps a scenario\'s own problems with it, so the other scenarios can still run', () => {
      const f = parse([
        '{ "scenarios": [',
        '  { "name": "good", "steps": [{ "advance": "1m" }] },',
        '  { "name": "bad", "steps": [{ "advance": "1 m" }] }',
        '] }',
      ]);
      assert.deepEqual(where(f.fileProblems), []);
      assert.deepEqual(where(f.scenarios[0].problems), []);
      assert.deepEqual(where(f.scenarios[1].problems), [[3, 43, 'duration-invalid']]);
      assert.deepEqual(where(f.problems), [[3, 43, 'duration-invalid']]);
    });

    it('warns when a scenario that expects the install to fail has steps', () => {
      const f = parse(['{ "scenarios": [', '  { "name": "x", "expectInstallError": "y", "steps": [{ "touch": true }] }', '] }']);
      assert.deepEqual(where(f.problems), [[2, 45, 'steps-not-run']]);
      assert.equal(f.problems[0].severity, 'warning');
    });

    it('reports a file without scenarios, and one that is not an object', () => {
      assert.deepEqual(where(parseScenarioFile('{ "start": "2024-01-01T00:00:00Z" }', FILE).problems), [[1, 1, 'scenario-missing']]);
      assert.deepEqual(where(parseScenarioFile('\n  [1]', FILE).problems), [[2, 3, 'scenario-type']]);
      assert.deepEqual(where(parseScenarioFile('', FILE).problems), [[1, 1, 'json-syntax']]);
    });
  });
});
