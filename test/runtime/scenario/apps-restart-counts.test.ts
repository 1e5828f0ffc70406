/**
 * Several apps on one Thing ("apps"), the worker restarted as a step ({ "restart": "worker" }), and
 * expectations that count (executions; commands as a count): parsing, setup and running.
 */
import assert from 'node:assert/strict';
import { join } from 'path';
import { diagnoseScenarioFile, parseScenarioFile, runScenarioFile } from '../../../runtime/scenario';
import type { Failure, FileResult, ScenarioFile, ScenarioResult } from '../../../runtime/scenario';
import type { SourceProblem } from '../../../runtime/errors';
import { WorkerPool } from '../../../runtime/host/worker-pool';
import type { Thing } from '../../../runtime/host/thing';
import { Recorder } from '../../../runtime/scenario/recorder';
import { runStep, type RunState } from '../../../runtime/scenario/run-steps';
import { assertFreshDist } from '../../support/fresh-dist';

const DIR = join(__dirname, '..', '..', 'fixtures', 'scenario');
/** Never on disk: tests hand the runner its text. */
const FILE = join(DIR, 'inline.scenario.json');

const BASE = { app: 'probe-app', devices: 'probe-app/devices.json', config: { door: 'door', lamp: 'lamp', notify: 1 } };
const COUNTER = { app: 'counter-app', config: 'counter-app/instance.json' };
const OPEN = { event: { device: 'door', attribute: 'contact', value: 'open' } };
const CLOSE = { event: { device: 'door', attribute: 'contact', value: 'closed' } };

let pool: WorkerPool;

async function runText(text: string): Promise<FileResult> {
  return runScenarioFile(FILE, { text, pool });
}

async function runSteps(steps: unknown[], scenario: Record<string, unknown> = {}, top: Record<string, unknown> = {}): Promise<ScenarioResult> {
  const r = await runText(JSON.stringify({ ...BASE, ...top, scenarios: [{ name: 'probe', ...scenario, steps }] }, null, 2));
  assert.deepEqual(r.problems, []);
  return r.scenarios[0];
}

function passes(s: ScenarioResult): void {
  const f = s.failure ?? s.steps.find((st) => !st.ok)?.failure;
  assert.equal(s.ok, true, f ? `${f.message}\nexpected: ${JSON.stringify(f.expected)}\nactual: ${JSON.stringify(f.actual)}` : 'failed');
}

function stepFailure(s: ScenarioResult): Failure {
  assert.equal(s.ok, false, 'the scenario should fail');
  const last = s.steps[s.steps.length - 1];
  assert.ok(last?.failure, `the last step should have failed; scenario failure: ${s.failure?.message}`);
  return last.failure;
}

function parse(lines: string[]): ScenarioFile {
  return parseScenarioFile(lines.join('\n'), FILE);
}

function where(problems: readonly SourceProblem[]): [number, number, string][] {
  return problems.map((p) => [p.line, p.column, p.code]);
}

describe('scenario: several apps, worker restarts, counts', () => {
  before(() => assertFreshDist());
  before(() => {
    pool = new WorkerPool();
  });
  after(() => pool.close());

  describe('parsing', () => {
    it('reads "apps" (file and scenario), the restart step and every count form, with positions', () => {
      const f = parse([
        '{',
        '  "apps": [{ "app": "counter-app", "config": "counter-app/instance.json", "label": "Counter" }],',
        '  "scenarios": [',
        '    { "name": "s", "apps": [{ "app": "../other", "config": { "door": "door" } }], "steps": [',
        '      { "restart": "worker" },',
        '      { "expect": { "executions": "none", "commands": 2 } },',
        '      { "expect": { "executions": { "atMost": 3 }, "commands": { "app": "Counter", "atLeast": 1 } } },',
        '      { "expect": { "executions": { "atLeast": 1, "atMost": 4, "app": "Probe" }, "commands": { "count": 0 } } },',
        '      { "expect": { "commands": [{ "device": "lamp", "command": "on" }] } }',
        '    ] }',
        '  ]',
        '}',
      ]);
      assert.deepEqual(f.problems, []);
      assert.deepEqual(f.defaults.apps, [{ line: 2, column: 12, path: 'counter-app', pathAt: { line: 2, column: 21 }, config: { kind: 'file', path: 'counter-app/instance.json', line: 2, column: 46 }, label: 'Counter', labelAt: { line: 2, column: 84 } }]);
      const [s] = f.scenarios;
      assert.equal(s.apps?.[0].path, '../other');
      assert.equal(s.apps?.[0].config?.kind, 'inline');
      assert.deepEqual(s.steps[0].kind === 'restart' && s.steps[0].what, 'worker');
      const e = s.steps.slice(1).map((st) => (st.kind === 'expect' ? st.expect : undefined));
      assert.deepEqual([e[0]?.executions, e[0]?.commandCount], [{ atLeast: 0, atMost: 0, text: 'none' }, { atLeast: 2, atMost: 2, text: '2' }]);
      assert.deepEqual([e[1]?.executions, e[1]?.commandCount], [{ atLeast: 0, atMost: 3, text: 'at most 3' }, { atLeast: 1, app: 'Counter', text: 'at least 1' }]);
      assert.deepEqual([e[2]?.executions, e[2]?.commandCount], [{ atLeast: 1, atMost: 4, app: 'Probe', text: '1 to 4' }, { atLeast: 0, atMost: 0, text: 'none' }]);
      assert.equal(e[3]?.commandCount, undefined);
      assert.equal(e[3]?.commands?.length, 1);
    });

    it('reports bad "apps", restart steps and counts at their place, with the fix', () => {
      const f = parse([
        '{',
        '  "apps": { "app": "x" },',
        '  "scenarios": [',
        '    { "name": "s", "apps": [{ "config": {} }, { "app": "y", "lable": "Y" }, "z"], "steps": [',
        '      { "restart": "process" },',
        '      { "restart": "wroker" },',
        '      { "expect": { "executions": "3" } },',
        '      { "expect": { "commands": "nothing" } },',
        '      { "expect": { "executions": { "atMost": -1 } } },',
        '      { "expect": { "executions": { "app": "Probe" } } },',
        '      { "expect": { "executions": { "count": 1, "atMost": 2 } } },',
        '      { "expect": { "commands": { "atLeast": 3, "atMost": 1 } } },',
        '      { "expect": { "executions": { "atMots": 1 } } }',
        '    ] }',
        '  ]',
        '}',
      ]);
      assert.deepEqual(where(f.problems), [
        [2, 11, 'scenario-type'],
        [4, 29, 'scenario-missing'],
        [4, 61, 'scenario-unknown-key'],
        [4, 77, 'scenario-type'],
        [5, 20, 'scenario-value'],
        [6, 20, 'scenario-value'],
        [7, 35, 'scenario-type'],
        [8, 33, 'scenario-type'],
        [9, 47, 'scenario-value'],
        [10, 35, 'scenario-missing'],
        [11, 49, 'expect-count-shape'],
        [12, 46, 'scenario-value'],
        [13, 35, 'scenario-missing'],
        [13, 37, 'scenario-unknown-key'],
      ]);
      const msg = (line: number, column: number) => f.problems.find((p) => p.line === line && p.column === column)!;
      assert.match(msg(2, 11).message, /^"apps" must be an array; got an object/);
      assert.equal(msg(2, 11).fix, 'write "apps": [ { "app": "../other-app", "config": "../other-app/instance.json", "label": "Other" } ]');
      assert.equal(msg(4, 29).message, 'app 1 of "apps" has no "app"');
      assert.equal(msg(4, 61).message, 'unknown key "lable" in an entry of "apps"; did you mean "label"?');
      assert.equal(msg(5, 20).message, '"restart" takes "worker" (what to restart); got the string "process"');
      assert.equal(msg(6, 20).message, '"restart" takes "worker" (what to restart); got the string "wroker"; did you mean "worker"?');
      assert.equal(msg(7, 35).fix, 'write 3 (a number, no quotes)');
      assert.equal(msg(8, 33).message, '"commands" must be a list of commands ([{ "device": "lamp", "command": "on" }]) or how many: "none", a number or { "atMost": n }; got the string "nothing"');
      assert.equal(msg(8, 33).fix, 'write "none"');
      assert.equal(msg(9, 47).message, '"atMost" must be a whole number >= 0; got -1');
      assert.equal(msg(10, 35).message, '"executions" needs "count", "atLeast" or "atMost"');
      assert.equal(msg(11, 49).message, '"count" is an exact number; it does not go with "atMost"');
      assert.equal(msg(12, 46).message, '"atLeast" (3) is more than "atMost" (1), so nothing can pass');
      assert.equal(msg(13, 37).message, 'unknown key "atMots" in "executions"; did you mean "atMost"?');
      // The file's own "apps" stops every scenario; the others are the scenario's.
      assert.deepEqual(where(f.fileProblems), [[2, 11, 'scenario-type']]);
    });
  });

  describe('several apps on one Thing', () => {
    it('installs the other apps beside the app under test; counts look at every app or at one by label', async () => {
      passes(await runSteps([
        // installed() of both apps; the counter's label comes from its instance.json's name.
        { expect: { executions: 2, commands: 'none' } },
        OPEN,
        // Probe: onContact, onSwitch (its lamp.on); Counter: onDoor.
        { expect: { executions: { atLeast: 3, atMost: 3 }, commands: { app: 'Probe', count: 1 } } },
        CLOSE,
        { expect: { executions: { app: 'Door counter', count: 1 }, commands: [{ device: 'lamp', command: 'off' }], state: { count: 2 } } },
        { expect: { commands: { app: 'Door counter', atMost: 0 }, executions: 'none' } },
      ], { apps: [COUNTER] }));
    });

    it('runs the other app\'s jobs on the same clock, seeded by the scenario name', async () => {
      const run = () => runSteps([{ advance: '20m' }, { expect: { executions: { app: 'Door counter', atLeast: 4, atMost: 5 } } }], { apps: [COUNTER] });
      const [a, b] = [await run(), await run()];
      passes(a);
      passes(b);
      const ticks = (s: ScenarioResult) => s.logs.filter((l) => l.message === 'Door counter: tick').map((l) => l.time);
      assert.ok(ticks(a).length >= 4);
      assert.deepEqual(ticks(a), ticks(b));
    });

    it('names the app of an error and of a log line when the Thing has several', async () => {
      const s = await runSteps([{ command: { device: 'lamp', command: 'setLevel', args: [13] } }], { apps: [{ app: 'probe-app', config: { door: 'door', lamp: 'lamp' }, label: 'Second probe' }] });
      const f = stepFailure(s);
      const at = `(${join(DIR, 'probe-app', 'app.js')}:36:37)`;
      assert.deepEqual(f.actual, [`Second probe: onLevel: async level handler failed ${at}`, `Probe: onLevel: async level handler failed ${at}`]);
      assert.match(f.message, /^the app failed: Second probe: onLevel: async level handler failed .*\nProbe: onLevel: async level handler failed/);
      assert.ok(s.logs.some((l) => l.message === 'Second probe: probe installed'), JSON.stringify(s.logs));
    });

    it('fails a count with what was expected against what there was', async () => {
      const exec = stepFailure(await runSteps([OPEN, { expect: { executions: { atMost: 2 } } }], { apps: [COUNTER] }));
      assert.equal(exec.message, 'executions: handlers ran 5 times, expected at most 2 (Door counter: installed, Probe: installed, Door counter: onDoor, Probe: onContact, Probe: onSwitch)');
      assert.deepEqual([exec.expected, exec.actual], ['at most 2', 5]);
      const one = stepFailure(await runSteps([OPEN, { expect: { executions: { app: 'Door counter', count: 3 } } }], { apps: [COUNTER] }));
      assert.equal(one.message, 'executions: handlers of "Door counter" ran 2 times, expected 3 (Door counter: installed, Door counter: onDoor)');
      assert.deepEqual([one.expected, one.actual], [3, 2]);
    });

    it('reports an unknown label, a missing app folder and a config that does not fit, at their place, before any step', async () => {
      const text = [
        '{',
        '  "app": "probe-app", "devices": "probe-app/devices.json", "config": { "door": "door", "lamp": "lamp" },',
        '  "scenarios": [',
        '    { "name": "label", "apps": [{ "app": "counter-app", "config": { "door": "door" }, "label": "Counter" }], "steps": [',
        '      { "expect": { "executions": { "app": "Countr", "atMost": 1 } } }',
        '    ] },',
        '    { "name": "folder", "apps": [{ "app": "no-such-app" }], "steps": [] },',
        '    { "name": "config", "apps": [{ "app": "counter-app", "config": { "lamp": "lamp" } }], "steps": [] },',
        '    { "name": "syntax", "apps": [{ "app": "broken-app" }], "steps": [] },',
        '    { "name": "twice", "apps": [{ "app": "counter-app", "config": "counter-app/instance.json" }, { "app": "counter-app", "config": "counter-app/instance.json" }], "steps": [] }',
        '  ]',
        '}',
      ].join('\n');
      const r = await runText(text);
      const [label, folder, config, syntax, twice] = r.scenarios;
      assert.deepEqual(where(label.problems), [[5, 44, 'app-unknown']]);
      assert.equal(label.problems[0].message, 'no app on this Thing is labelled "Countr"; did you mean \'Counter\'?');
      assert.equal(label.problems[0].fix, 'the apps are: "Probe", "Counter"');
      assert.deepEqual([label.ok, label.notRun, label.failure?.line, label.failure?.column], [false, 1, 5, 44]);
      assert.deepEqual([folder.failure?.line, folder.failure?.column], [7, 43]);
      assert.match(folder.failure!.message, /the app folder .*no-such-app does not exist/);
      // The other apps are the Thing's surroundings: their config is checked like the app under test's, and must fit.
      assert.deepEqual(where(config.problems), [[8, 68, 'config-required']]);
      assert.match(config.failure!.message, /^line 8:68: the config lacks required input "door"/);
      assert.equal(syntax.failure?.file, join(DIR, 'broken-app', 'app.js'));
      assert.deepEqual(where(twice.problems), [[10, 98, 'app-label-duplicate']]);
      passes(twice);
      // diagnoseScenarioFile finds them without running anything.
      const codes = diagnoseScenarioFile(parseScenarioFile(text, FILE)).map((p) => p.code);
      for (const c of ['app-unknown', 'app-folder-missing', 'script-syntax', 'app-label-duplicate']) assert.ok(codes.includes(c), `${c} in ${codes.join(', ')}`);
    });
  });

  describe('restarting the worker', () => {
    it('brings every app back with its state, subscriptions and jobs; a pending job fires after it', async () => {
      const s = await runSteps([
        OPEN,
        { advance: '30s' },
        { expect: { executions: { atLeast: 1 } } },
        { restart: 'worker' },
        // Restoring runs no handler: installed() is not called again.
        { expect: { executions: 'none', state: { count: 1 }, jobs: ['lampOff'], subscriptions: 4, attributes: { 'lamp.switch': 'on', 'door.contact': 'open' } } },
        { advance: '30s' },
        { expect: { commands: [{ device: 'lamp', command: 'off' }], exactly: true, executions: { app: 'Probe', atLeast: 1 } } },
        CLOSE,
        { expect: { state: { count: 2 }, commands: { app: 'Door counter', count: 1 } } },
        { restart: 'worker' },
        { call: { path: '/state' } },
        { expect: { response: { status: 200, body: { count: 2, lamp: 'off' } } } },
      ], { apps: [COUNTER] });
      passes(s);
      const restart = s.steps.find((st) => st.kind === 'restart')!;
      assert.equal(restart.description, 'restart the worker');
      assert.equal(restart.time, Date.parse('2024-01-01T12:00:30Z'));
    });

    it('fails the step when an app does not come back, saying why', async () => {
      const s = await runSteps([{ advance: '1h' }, { restart: 'worker' }, { expect: { state: { count: 0 } } }], { apps: [{ app: 'fragile-app' }] });
      const f = stepFailure(s);
      assert.equal(s.steps.length, 2);
      assert.match(f.message, /^restart: after the worker restart, "Fragile" \(fragile-2\) did not come back: could not be restored after the worker restart: .*too late to load/);
      assert.deepEqual([f.expected, f.actual], [{ 'fragile-2': 'installed' }, { 'fragile-2': null }]);
    });

    it('fails the step when an app comes back different, showing before against after', async () => {
      // A Thing whose worker gives the app back with another state (the runtime would have lost it).
      const info = (count: number) => ({ id: 'probe-1', label: 'Probe', name: 'Probe', children: [], config: {}, subscriptions: [], jobs: [], routes: [], state: { count }, budget: { used: 1, limit: 250, windowEndsAt: 0 } });
      let restarted = false;
      const thing = { id: 't', listApps: async () => [info(restarted ? 0 : 3)], on: () => thing } as unknown as Thing;
      const fakePool = { restartWorker: async () => { restarted = true; } } as unknown as WorkerPool;
      const state: RunState = { thing, pool: fakePool, recorder: new Recorder(thing), appId: 'probe-1', installed: true, labels: new Map([['probe-1', 'Probe']]), updates: new Map(), now: 0 };
      const f = await runStep({ kind: 'restart', what: 'worker', index: 0, line: 3, column: 7, at: {} }, state);
      assert.equal(f?.message, 'restart: after the worker restart, "Probe" (probe-1) came back with a different state: state was {"count":3}, is {"count":0}');
      assert.deepEqual([f?.expected, f?.actual, f?.line, f?.column], [{ 'probe-1': { state: { count: 3 } } }, { 'probe-1': { state: { count: 0 } } }, 3, 7]);
    });
  });

  describe('counting', () => {
    it('counts executions that ran, not those the rate limit dropped', async () => {
      // installed() and 249 runs of again(); the rest of the window's are dropped.
      const r = await runText(JSON.stringify({ app: 'loop-app', scenarios: [{ name: 'loop', steps: [{ advance: '1s' }, { expect: { executions: 250, errors: [] } }] }] }));
      passes(r.scenarios[0]);
    });

    it('"commands": "none" and { "atMost" } fail listing what was sent', async () => {
      const none = stepFailure(await runSteps([OPEN, { advance: '60s' }, { expect: { commands: 'none' } }]));
      assert.equal(none.message, 'commands: the app sent 2 commands, expected none: lamp.on(), lamp.off()');
      assert.deepEqual([none.expected, none.actual], [0, 2]);
      const most = stepFailure(await runSteps([OPEN, CLOSE, OPEN, { expect: { commands: { atMost: 1 } } }]));
      assert.equal(most.message, 'commands: the app sent 2 commands, expected at most 1: lamp.on() ×2');
      assert.deepEqual([most.expected, most.actual], ['at most 1', 2]);
      const least = stepFailure(await runSteps([{ expect: { executions: { atLeast: 2 }, commands: { atLeast: 1 } } }]));
      assert.equal(least.message, 'commands: the app sent 0 commands, expected at least 1\nexecutions: handlers ran once, expected at least 2 (installed)');
      assert.deepEqual([least.expected, least.actual], [{ commands: 'at least 1', executions: 'at least 2' }, { commands: 0, executions: 1 }]);
      // A handler that throws ran all the same.
      passes(await runSteps([{ touch: true }, { expect: { errors: [{ contains: 'touch is broken' }], executions: 2, commands: 0 } }]));
    });
  });
});
