import assert from 'node:assert/strict';
import { join } from 'path';
import { diagnoseScenarioFile, findScenarioFiles, parseScenarioFile, runScenarioFile, summarize } from '../../../runtime/scenario';
import type { Failure, FileResult, RunEvent, ScenarioResult } from '../../../runtime/scenario';
import { WorkerPool } from '../../../runtime/host/worker-pool';
import { assertFreshDist } from '../../support/fresh-dist';

const DIR = join(__dirname, '..', '..', 'fixtures', 'scenario');
/** Never on disk: tests hand the runner its text. */
const FILE = join(DIR, 'inline.scenario.json');
const PROBE_JS = join(DIR, 'probe-app', 'app.js');

const BASE = { app: 'probe-app', devices: 'probe-app/devices.json', config: { door: 'door', lamp: 'lamp', notify: 1 } };

/** One pool for the file's runs (a worker starts once); the tests that pass none check that a run makes its own. */
let pool: WorkerPool;

async function runText(text: string, onEvent?: (e: RunEvent) => void): Promise<FileResult> {
  return runScenarioFile(FILE, { text, pool, ...(onEvent ? { onEvent } : {}) });
}

/** Runs one scenario with these steps against the probe app. */
async function runSteps(steps: unknown[], scenario: Record<string, unknown> = {}, top: Record<string, unknown> = {}): Promise<ScenarioResult> {
  const r = await runText(JSON.stringify({ ...BASE, ...top, scenarios: [{ name: 'probe', ...scenario, steps }] }, null, 2));
  assert.deepEqual(r.problems, []);
  assert.equal(r.scenarios.length, 1);
  return r.scenarios[0];
}

/** The failure of the scenario's last step (the one that stopped it). */
function stepFailure(s: ScenarioResult): Failure {
  assert.equal(s.ok, false, 'the scenario should fail');
  const last = s.steps[s.steps.length - 1];
  assert.ok(last?.failure, `the last step should have failed; scenario failure: ${s.failure?.message}`);
  return last.failure;
}

function passes(s: ScenarioResult): void {
  const f = s.failure ?? s.steps.find((st) => !st.ok)?.failure;
  assert.equal(s.ok, true, f ? `${f.message}\nexpected: ${JSON.stringify(f.expected)}\nactual: ${JSON.stringify(f.actual)}` : 'failed');
  assert.ok(s.steps.every((st) => st.ok));
}

const OPEN = { event: { device: 'door', attribute: 'contact', value: 'open' } };
const CLOSE = { event: { device: 'door', attribute: 'contact', value: 'closed' } };

describe('scenario/runner', () => {
  before(() => assertFreshDist());
  before(() => {
    pool = new WorkerPool();
  });
  after(() => pool.close());

  describe('commands', () => {
    it('passes for commands sent in order, with extras between them', async () => {
      passes(await runSteps([OPEN, { advance: '1m' }, CLOSE, OPEN, { command: { device: 'lamp', command: 'setLevel', args: [40] } }, { expect: { commands: [{ device: 'lamp', command: 'on' }, { device: 'lamp', command: 'on', args: [] }] } }]));
    });

    it('fails for a command not sent, showing the expected and the actual list', async () => {
      const s = await runSteps([OPEN, { advance: '1m' }, { expect: { commands: [{ device: 'lamp', command: 'on' }, { device: 'lamp', command: 'setLevel', args: [0] }] } }, { touch: true }]);
      const f = stepFailure(s);
      assert.equal(f.message, 'commands: lamp.setLevel(0) was not sent');
      // Written the same way on both sides: `(…)` where any arguments match.
      assert.deepEqual(f.expected, ['lamp.on(…)', 'lamp.setLevel(0)']);
      assert.deepEqual(f.actual, ['lamp.on(…)', 'lamp.off()']);
      assert.equal(s.steps.length, 3);
      assert.equal(s.notRun, 1);
    });

    it('says when a command came in the wrong order or with other arguments', async () => {
      const order = stepFailure(await runSteps([OPEN, { advance: '1m' }, { expect: { commands: [{ device: 'lamp', command: 'off' }, { device: 'lamp', command: 'on' }] } }]));
      assert.equal(order.message, 'commands: lamp.on(…) was sent, but not after lamp.off(…) (commands are expected in order)');
      const args = stepFailure(await runSteps([{ command: { device: 'lamp', command: 'on' } }, OPEN, { expect: { commands: [{ device: 'lamp', command: 'on', args: ['now'] }] } }]));
      assert.equal(args.message, 'commands: lamp.on("now") was not sent; lamp.on was sent with []');
    });

    it('counts only the app\'s commands, not those of command steps', async () => {
      passes(await runSteps([{ command: { device: 'lamp', command: 'on' } }, { expect: { commands: [], exactly: true, noCommands: true, attributes: { 'lamp.switch': 'on' } } }]));
    });

    it('with exactly, fails for extra or different commands', async () => {
      const extra = stepFailure(await runSteps([OPEN, { advance: '1m' }, { expect: { commands: [{ device: 'lamp', command: 'on' }], exactly: true } }]));
      assert.equal(extra.message, 'commands: expected exactly 1 command, the app sent 2');
      assert.deepEqual([extra.expected, extra.actual], [['lamp.on(…)'], ['lamp.on(…)', 'lamp.off()']]);
      const different = stepFailure(await runSteps([OPEN, { advance: '1m' }, { expect: { commands: [{ device: 'lamp', command: 'on' }, { device: 'lamp', command: 'on' }], exactly: true } }]));
      assert.equal(different.message, 'commands: the 2nd command is lamp.off(), expected lamp.on(…)');
      const none = stepFailure(await runSteps([OPEN, { expect: { commands: [], exactly: true } }]));
      assert.equal(none.message, 'commands: expected exactly 0 commands, the app sent 1');
    });

    it('noCommands fails naming what was sent', async () => {
      const f = stepFailure(await runSteps([OPEN, { expect: { noCommands: true } }]));
      assert.equal(f.message, 'noCommands: the app sent 1 command: lamp.on()');
      assert.deepEqual([f.expected, f.actual], [[], ['lamp.on()']]);
    });

    it('looks only at what happened since the previous expect', async () => {
      passes(await runSteps([OPEN, { expect: { commands: [{ device: 'lamp', command: 'on' }] } }, { expect: { noCommands: true } }]));
    });
  });

  describe('attributes, mode, state, subscriptions and jobs', () => {
    it('pass when they hold', async () => {
      passes(await runSteps([
        OPEN,
        { mode: 'Away' },
        { expect: { attributes: { 'lamp.switch': 'on', 'door.contact': 'open', 'lamp.level': 100 }, mode: 'Away', state: { count: 1 }, subscriptions: 4, jobs: ['lampOff'] } },
        { advance: '60s' },
        { expect: { attributes: { 'lamp.switch': 'off' }, jobs: 0, subscriptions: ['touched', 'onContact', 'onSwitch', 'onLevel'] } },
      ]));
    });

    it('fail with what there is', async () => {
      const attr = stepFailure(await runSteps([OPEN, { expect: { attributes: { 'lamp.switch': 'off', 'door.contact': 'open' } } }]));
      assert.equal(attr.message, 'attributes: lamp.switch is "on", expected "off"');
      assert.deepEqual([attr.expected, attr.actual], [{ 'lamp.switch': 'off', 'door.contact': 'open' }, { 'lamp.switch': 'on', 'door.contact': 'open' }]);

      const mode = stepFailure(await runSteps([{ expect: { mode: 'Night' } }]));
      assert.deepEqual([mode.message, mode.expected, mode.actual], ['mode: the location mode is "Home", expected "Night"', 'Night', 'Home']);

      const state = stepFailure(await runSteps([OPEN, CLOSE, { expect: { state: { count: 3, other: { a: 1 } } } }]));
      assert.equal(state.message, 'state: state.count: expected 3, got 2; state.other is missing (expected {"a":1})');
      assert.deepEqual([state.expected, state.actual], [{ count: 3, other: { a: 1 } }, { count: 2 }]);

      const jobs = stepFailure(await runSteps([OPEN, { expect: { jobs: 2 } }]));
      assert.deepEqual([jobs.message, jobs.expected, jobs.actual], ['jobs: the app has 1 scheduled job, expected 2 (lampOff)', 2, 1]);

      const subs = stepFailure(await runSteps([{ expect: { subscriptions: ['onContact'] } }]));
      assert.deepEqual([subs.message, subs.expected, subs.actual], ['subscriptions: the handlers are [onContact, onLevel, onSwitch, touched], expected [onContact]', ['onContact'], ['onContact', 'onLevel', 'onSwitch', 'touched']]);
    });

    it('combine several failed expectations into one failure, keyed by expectation', async () => {
      const f = stepFailure(await runSteps([OPEN, { expect: { mode: 'Away', attributes: { 'lamp.switch': 'off' } } }]));
      assert.equal(f.message, 'attributes: lamp.switch is "on", expected "off"\nmode: the location mode is "Home", expected "Away"');
      assert.deepEqual(f.expected, { attributes: { 'lamp.switch': 'off' }, mode: 'Away' });
      assert.deepEqual(f.actual, { attributes: { 'lamp.switch': 'on' }, mode: 'Home' });
    });

    it('after uninstall: no subscriptions or jobs, and no state', async () => {
      passes(await runSteps([OPEN, { uninstall: true }, { expect: { subscriptions: 0, jobs: 0 } }]));
      const f = stepFailure(await runSteps([{ uninstall: true }, { expect: { state: { count: 0 } } }]));
      assert.equal(f.message, 'state: the app is not installed, so it has no state');
      const touch = stepFailure(await runSteps([{ uninstall: true }, { touch: true }]));
      assert.match(touch.message, /^touch failed: no installed app with id "probe-1"/);
    });
  });

  describe('notifications and logs', () => {
    it('pass in order, matching output, contains and message', async () => {
      passes(await runSteps([OPEN, CLOSE, OPEN, {
        expect: {
          notifications: [{ output: '1', message: 'Door opened (1)' }, { contains: '(3)' }],
          logs: [{ level: 'info', contains: 'door open' }, { level: 'warn', contains: 'closed' }, { contains: 'door open' }],
        },
      }]));
    });

    it('fail naming the missing one', async () => {
      const n = stepFailure(await runSteps([OPEN, { expect: { notifications: [{ output: 2 }] } }]));
      assert.equal(n.message, 'notifications: no notification matches {"output":2}');
      assert.deepEqual([n.expected, n.actual], [[{ output: 2 }], [{ output: 1, message: 'Door opened (1)' }]]);
      const exactly = stepFailure(await runSteps([OPEN, { expect: { notifications: [], exactly: true } }]));
      assert.equal(exactly.message, 'notifications: expected exactly 0 notifications, the app sent 1');
      const wrong = stepFailure(await runSteps([OPEN, { expect: { notifications: [{ message: 'Door opened' }], exactly: true } }]));
      assert.equal(wrong.message, 'notifications: the 1st notification "Door opened (1)" (output 1) does not match {"message":"Door opened"}');
      const logs = stepFailure(await runSteps([{ expect: { logs: [{ contains: 'probe installed' }] } }, OPEN, { expect: { logs: [{ contains: 'door open' }, { level: 'error', contains: 'door' }] } }]));
      assert.equal(logs.message, 'logs: no error log line contains "door" after the one matching "door open"');
      assert.deepEqual(logs.expected, ['[*] …door open…', '[error] …door…']);
      assert.deepEqual(logs.actual, ['[info] door open', '[debug] switch on (async)']);
    });

    it('noLogs fails for a log at or above the level', async () => {
      passes(await runSteps([OPEN, { expect: { noLogs: { level: 'warn' } } }]));
      const f = stepFailure(await runSteps([OPEN, CLOSE, { expect: { noLogs: { level: 'warn' } } }]));
      assert.equal(f.message, 'noLogs: 1 log line at level warn or above: [warn] door closed');
      assert.deepEqual(f.actual, ['[warn] door closed']);
      const text = stepFailure(await runSteps([OPEN, { expect: { noLogs: { contains: 'async' } } }]));
      assert.equal(text.message, 'noLogs: 1 log line containing "async": [debug] switch on (async)');
    });
  });

  describe('app errors', () => {
    it('fail the step they happen in, with where in app.js', async () => {
      const s = await runSteps([{ touch: true }, { advance: '1m' }, { expect: { noCommands: true } }]);
      const f = stepFailure(s);
      assert.equal(s.steps.length, 1);
      assert.equal(s.notRun, 2);
      assert.deepEqual([f.line, f.column], [s.steps[0].line, s.steps[0].column]);
      assert.equal(f.actual, `touched: touch is broken (${PROBE_JS}:44:9)`);
      assert.match(f.message, /^the app failed: touched: touch is broken/);
    });

    it('pass when the next expect lists them, which then checks they happened', async () => {
      passes(await runSteps([{ touch: true }, { advance: '1m' }, { expect: { errors: [{ contains: 'touch is broken' }], logs: [{ level: 'error', contains: 'touched' }] } }]));
      const f = stepFailure(await runSteps([{ advance: '1m' }, { expect: { errors: [{ contains: 'touch is broken' }] } }]));
      assert.equal(f.message, 'errors: no app error contains "touch is broken" (there were none)');
    });

    it('catch errors of async handlers in the step that caused them', async () => {
      const s = await runSteps([OPEN, { command: { device: 'lamp', command: 'setLevel', args: [13] } }, { advance: '1m' }]);
      const f = stepFailure(s);
      assert.equal(s.steps.length, 2);
      assert.match(f.message, /^the app failed: onLevel: async level handler failed/);
    });

    it('fail the scenario when installed() throws, unless the first expect lists the error', async () => {
      const s = await runSteps([{ expect: { noCommands: true } }], { config: { door: 'door', lamp: 'lamp', behaviour: 'crash' } });
      assert.equal(s.ok, false);
      assert.deepEqual(s.steps, []);
      assert.match(s.failure!.message, /^installed\(\) failed: installed: installed is broken on purpose/);
      assert.deepEqual([s.failure!.line, s.failure!.column], [s.line, 5]);
      passes(await runSteps([{ expect: { errors: [{ contains: 'broken on purpose' }] } }], { config: { door: 'door', lamp: 'lamp', behaviour: 'crash' } }));
    });
  });

  describe('runaway apps', () => {
    it('a handler that re-arms itself for the same instant fails the step instead of hanging, even without a rate limit', async () => {
      const r = await runText(JSON.stringify({ app: 'loop-app', rateLimit: false, scenarios: [{ name: 'loop', steps: [{ advance: '1s' }, { expect: { jobs: 0 } }] }] }));
      const f = stepFailure(r.scenarios[0]);
      assert.match(f.message, /^the app failed: again: more than 10000 timers were set for 2024-01-01T12:00:00.000Z without time moving on/);
    });

    it('with the rate limit, such an app is stopped by it', async () => {
      // installed() is the first of the 250 executions.
      const r = await runText(JSON.stringify({ app: 'loop-app', scenarios: [{ name: 'loop', steps: [{ advance: '1s' }, { expect: { state: { n: 249 }, logs: [{ level: 'error', contains: 'rate limited: 250 executions in 60 s reached' }] } }] }] }));
      passes(r.scenarios[0]);
    });
  });

  describe('web-service calls', () => {
    it('check the response of the last call', async () => {
      passes(await runSteps([OPEN, { call: { method: 'GET', path: '/state' } }, { expect: { response: { status: 200, body: { count: 1, lamp: 'on' } } } }]));
      passes(await runSteps([{ call: { method: 'POST', path: '/echo', body: { x: [1, 2] } } }, { expect: { response: { status: 202, body: { got: { x: [1, 2] } } } } }]));
    });

    it('fail with the projected body, and when there was no call', async () => {
      const f = stepFailure(await runSteps([{ call: { path: '/state' } }, { expect: { response: { status: 201, body: { count: 5 } } } }]));
      assert.equal(f.message, 'response: GET /state: status is 200, expected 201; body.count: expected 5, got 0');
      assert.deepEqual([f.expected, f.actual], [{ status: 201, body: { count: 5 } }, { status: 200, body: { count: 0 } }]);
      const missing = stepFailure(await runSteps([{ call: { path: '/nope' } }, { expect: { response: { status: 200 } } }]));
      assert.match(missing.message, /^response: GET \/nope: status is 404, expected 200 \(no mapping for \/nope; mapped: GET \/state, POST \/echo\)$/);
      const none = stepFailure(await runSteps([{ call: { path: '/state' } }, { expect: { noCommands: true } }, { expect: { response: { status: 200 } } }]));
      assert.equal(none.message, 'response: there was no call step since the previous expect');
    });
  });

  describe('the script API of issue 14 (function commands, evt.function, top-level mappings, capability filters)', () => {
    it('runs test/fixtures/scenario/function-api.scenario.json: the first scenario passes, the second is refused at install', async () => {
      const r = await runScenarioFile(join(DIR, 'function-api.scenario.json'), { pool });
      assert.deepEqual(r.problems, []);
      passes(r.scenarios[0]);
      assert.equal(r.scenarios[1].ok, false);
      assert.match(r.scenarios[1].failure?.message ?? '', /^installing failed: line 20:\d+: input "lights": device "door" does not match the input's filter \{"capability":"switch"\} Fix: choose a device matching/);
      assert.equal(r.scenarios[1].failure?.line, 20);
    });
  });

  describe('time, mode, position and update steps', () => {
    it('moves the clock to absolute, local and sun times', async () => {
      const s = await runSteps([
        { advanceTo: '2024-01-01T13:00:00Z' },
        { advanceTo: '15:30' },
        { advanceTo: 'sunset' },
        { position: { latitude: 59.33, longitude: 18.07 } },
        { advanceTo: '2024-01-02T09:00' },
      ], {}, { location: { timeZone: 'Europe/Stockholm' } });
      passes(s);
      assert.equal(s.steps[0].time, Date.parse('2024-01-01T13:00:00Z'));
      assert.equal(s.steps[1].time, Date.parse('2024-01-01T14:30:00Z'));
      // London's sunset on 1 January, read with the Stockholm zone: about 16:01 UTC.
      assert.ok(Math.abs(s.steps[2].time - Date.parse('2024-01-01T16:01:00Z')) < 5 * 60_000, new Date(s.steps[2].time).toISOString());
      assert.equal(s.steps[4].time, Date.parse('2024-01-02T08:00:00Z'));
    });

    it('fails a step that would move the clock backwards', async () => {
      const f = stepFailure(await runSteps([{ advance: '2h' }, { advanceTo: '2024-01-01T13:00:00Z' }]));
      assert.equal(f.message, 'advanceTo: 2024-01-01T13:00:00Z (2024-01-01T13:00:00.000Z) is before the current time 2024-01-01T14:00:00.000Z; time only moves forward');
    });

    it('starts at the given start time and location', async () => {
      const s = await runSteps([{ mode: 'Night' }, { expect: { mode: 'Night' } }], { start: '2024-06-01T08:00:00Z', location: { modes: ['Day', 'Night'], mode: 'Day' } });
      passes(s);
      assert.equal(s.steps[0].time, Date.parse('2024-06-01T08:00:00Z'));
    });

    it('merges an inline update into the config and runs updated()', async () => {
      passes(await runSteps([{ update: { delay: 120, notify: null } }, OPEN, { advance: '60s' }, { expect: { commands: [{ device: 'lamp', command: 'on' }], exactly: true, notifications: [] } }, { advance: '60s' }, { expect: { commands: [{ device: 'lamp', command: 'off' }] } }]));
    });
  });

  describe('installing', () => {
    it('expectInstallError passes when the config does not fit, and when installed() throws', async () => {
      passes(await runSteps([], { config: { door: 'door' }, expectInstallError: 'required input "lamp"' }));
      passes(await runSteps([], { config: { door: 'door', lamp: 'lamp', behaviour: 'crash' }, expectInstallError: 'broken on purpose' }));
    });

    it('expectInstallError fails when the install succeeds or fails otherwise', async () => {
      const ok = await runSteps([], { expectInstallError: 'nope' });
      assert.equal(ok.ok, false);
      assert.deepEqual([ok.failure!.message, ok.failure!.expected, ok.failure!.actual], ['installing was expected to fail with "nope", but it succeeded', 'nope', 'installed without errors']);
      const other = await runSteps([], { config: { door: 'door' }, expectInstallError: 'nope' });
      assert.match(other.failure!.message, /^installing failed, but not with "nope":\n.*the config lacks required input "lamp"/);
    });
  });

  describe('mistakes in the scenario, at their place', () => {
    const text = [
      '{',
      '  "app": "probe-app",',
      '  "devices": "probe-app/devices.json",',
      '  "config": { "door": "door", "lamp": "lamp", "delay": "soon" },',
      '  "scenarios": [',
      '    { "name": "config does not fit", "steps": [] },',
      '    { "name": "unknown names", "config": { "door": "door", "lamp": "lamp" }, "steps": [',
      '      { "event": { "device": "dor", "attribute": "contact", "value": "open" } },',
      '      { "command": { "device": "lamp", "command": "toggle" } },',
      '      { "mode": "Holiday" },',
      '      { "event": { "function": 70, "value": "on" } },',
      '      { "expect": { "attributes": { "lamp.colour": "red" } } }',
      '    ] },',
      '    { "name": "bad update", "config": { "door": "door", "lamp": "lamp" }, "steps": [',
      '      { "update": { "lamp": "door-bell" } }',
      '    ] },',
      '    { "name": "bad step", "steps": [{ "advance": "soon" }] }',
      '  ]',
      '}',
    ].join('\n');

    it('fails each scenario that has one, before any step, listing every mistake', async () => {
      const r = await runText(text);
      assert.deepEqual(r.problems, []);
      assert.deepEqual(r.scenarios.map((s) => s.ok), [false, false, false, false]);
      const [config, names, update, step] = r.scenarios;

      assert.deepEqual([config.failure!.line, config.failure!.column], [4, 56]);
      assert.match(config.failure!.message, /^installing failed: line 4:56: input "delay" is a number; got the string "soon"/);
      assert.deepEqual(config.problems.map((p) => [p.line, p.column, p.code]), [[4, 56, 'config-type']]);

      assert.deepEqual(names.steps, []);
      assert.equal(names.notRun, 5);
      assert.deepEqual(names.problems.map((p) => [p.line, p.column, p.code]), [
        [8, 30, 'device-unknown'], [9, 51, 'command-unknown'], [10, 17, 'mode-unknown'], [11, 32, 'function-unknown'], [12, 37, 'attribute-unknown'],
      ]);
      assert.deepEqual([names.failure!.line, names.failure!.column], [8, 30]);
      assert.equal(names.failure!.message.split('\n').length, 5);
      assert.match(names.failure!.message, /^line 8:30: unknown device "dor"; did you mean 'door'\?/);

      assert.deepEqual(update.problems.map((p) => [p.line, p.column, p.code]), [[15, 29, 'config-unknown-id']]);
      assert.deepEqual([step.failure!.line, step.failure!.column], [17, 50]);
      assert.equal(summarize([r]).failed, 4);
    });

    it('are all listed by diagnoseScenarioFile without running', () => {
      const problems = diagnoseScenarioFile(parseScenarioFile(text, FILE));
      assert.deepEqual(problems.map((p) => [p.line, p.column, p.code]), [
        [4, 56, 'config-type'], [8, 30, 'device-unknown'], [9, 51, 'command-unknown'], [10, 17, 'mode-unknown'], [11, 32, 'function-unknown'],
        [12, 37, 'attribute-unknown'], [15, 29, 'config-unknown-id'], [17, 50, 'duration-invalid'],
      ]);
    });

    it('reports a missing devices file at its path', async () => {
      const r = await runText('{ "app": "probe-app", "devices": "nope.json", "scenarios": [{ "name": "x", "steps": [] }] }');
      const s = r.scenarios[0];
      assert.deepEqual(s.problems.map((p) => [p.line, p.column, p.code]), [[1, 34, 'scenario-devices-file']]);
      assert.match(s.failure!.message, /the devices file .*nope\.json does not exist/);
    });
  });

  describe('problems of the file', () => {
    it('a missing app folder is reported at "app", and no scenario runs', async () => {
      const events: string[] = [];
      const r = await runText('{\n  "app": "no-such-app",\n  "scenarios": [{ "name": "a", "steps": [{ "touch": true }] }, { "name": "b", "steps": [] }]\n}', (e) => events.push(e.type));
      assert.deepEqual(r.problems.map((p) => [p.file, p.line, p.column, p.code]), [[FILE, 2, 10, 'app-folder-missing']]);
      assert.equal(r.ok, false);
      assert.deepEqual(r.scenarios.map((s) => [s.ok, s.notRun, s.failure?.line]), [[false, 1, 2], [false, 0, 2]]);
      assert.match(r.scenarios[0].failure!.message, /^not run: .*the app folder .*no-such-app does not exist/);
      assert.deepEqual(events, ['file-start', 'file-problem', 'scenario-start', 'scenario-end', 'scenario-start', 'scenario-end', 'file-end']);
      assert.deepEqual(summarize([r]), { passed: 0, failed: 2 });
    });

    it('an app.js syntax error is reported in app.js', async () => {
      const r = await runText('{ "app": "broken-app", "scenarios": [{ "name": "a", "steps": [] }] }');
      assert.deepEqual(r.problems.map((p) => [p.file, p.line, p.column, p.code]), [[join(DIR, 'broken-app', 'app.js'), 3, 1, 'script-syntax']]);
      assert.deepEqual(r.scenarios[0].failure, { message: `not run: ${join(DIR, 'broken-app', 'app.js')}:3:1: error: syntax error: Unexpected token Fix: correct the JavaScript at this place; app.js is a plain script (no import/export) [script-syntax]`, file: join(DIR, 'broken-app', 'app.js'), line: 3, column: 1 });
    });

    it('a syntax error in the scenario file counts as one failure', async () => {
      const r = await runText('{ "scenarios": [ }');
      assert.equal(r.ok, false);
      assert.deepEqual(r.scenarios, []);
      assert.ok(r.problems.length > 0 && r.problems.every((p) => p.code === 'json-syntax' && p.line === 1));
      assert.deepEqual(summarize([r]), { passed: 0, failed: 1 });
    });

    it('a file that cannot be read is a problem, not a crash', async () => {
      const events: RunEvent[] = [];
      const r = await runScenarioFile(join(DIR, 'missing.scenario.json'), { onEvent: (e) => events.push(e) });
      assert.equal(r.problems[0].code, 'scenario-file-unreadable');
      assert.deepEqual(events.map((e) => e.type), ['file-start', 'file-problem', 'file-end']);
    });
  });

  describe('progress and selection', () => {
    it('emits every event in order, with step results as they finish', async () => {
      const events: RunEvent[] = [];
      const r = await runText(JSON.stringify({ ...BASE, scenarios: [{ name: 'one', steps: [OPEN, { expect: { noCommands: true } }] }, { name: 'two', steps: [] }] }), (e) => events.push(e));
      assert.deepEqual(events.map((e) => (e.type === 'step' ? `step ${e.scenario} ${e.step.index} ${e.step.ok}` : e.type === 'scenario-end' ? `end ${e.result.name} ${e.result.ok}` : e.type)), [
        'file-start', 'scenario-start', 'step one 0 true', 'step one 1 false', 'end one false', 'scenario-start', 'end two true', 'file-end',
      ]);
      const start = events[0];
      assert.deepEqual(start.type === 'file-start' && start.scenarios, [{ name: 'one', line: 1 }, { name: 'two', line: 1 }]);
      assert.deepEqual(summarize([r]), { passed: 1, failed: 1 });
      const end = events[events.length - 1];
      assert.equal(end.type === 'file-end' && end.result, r);
    });

    it('runs only the selected scenarios', async () => {
      const r = await runScenarioFile(FILE, { text: JSON.stringify({ ...BASE, scenarios: [{ name: 'one', steps: [] }, { name: 'two', steps: [] }] }), select: (s) => s.name === 'two' });
      assert.deepEqual(r.scenarios.map((s) => s.name), ['two']);
    });

    it('finds scenario files in folders', () => {
      const found = findScenarioFiles([join(__dirname, '..', '..', '..', 'examples')]).map((f) => f.split('/examples/')[1]);
      assert.deepEqual(found, ['door-light/tests/door-light.scenario.json', 'mode-lights/tests/mode-lights.scenario.json', 'motion-light/tests/motion-light.scenario.json']);
      assert.deepEqual(findScenarioFiles([join(DIR, 'failing.scenario.json')]), [join(DIR, 'failing.scenario.json')]);
    });
  });
});
