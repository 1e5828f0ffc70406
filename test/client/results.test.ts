import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { formatValue, LineSplitter, ResultMapper, UNSANDBOXED_MESSAGE, type RunOutcome } from '../../client/testing/results';
import { WorkerPool } from '../../runtime/host/worker-pool';
import type { JsonlLine } from '../../runtime/scenario/jsonl-format';
import { createHumanReporter, createJsonLinesReporter, runScenarioFiles } from '../../runtime/scenario';
import { ROOT, smartplug } from './cli-helpers';
import { assertFreshDist } from '../support/fresh-dist';

/** Real `smartplug test --format json` output, through the mapper. */
function outcomesOf(args: string[]): { status: number | null; outcomes: RunOutcome[] } {
  const r = smartplug(['test', '--format', 'json', ...args]);
  const mapper = new ResultMapper();
  return { status: r.status, outcomes: r.stdout.split('\n').flatMap((l) => mapper.push(l)) };
}

const ofType = <T extends RunOutcome['type']>(outcomes: RunOutcome[], type: T) => outcomes.filter((o): o is Extract<RunOutcome, { type: T }> => o.type === type);

describe('client: scenario results from smartplug test --format json', function () {
  before(() => assertFreshDist());
  this.timeout(60_000);
  const failing = path.join(ROOT, 'test', 'fixtures', 'scenario', 'failing.scenario.json');
  let tmp: string;
  before(() => {
    tmp = mkdtempSync(path.join(tmpdir(), 'smartplug-results-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('reports every scenario of examples/ started and passed, with its duration', () => {
    const { status, outcomes } = outcomesOf([path.join(ROOT, 'examples')]);
    assert.equal(status, 0);
    const started = ofType(outcomes, 'started');
    const passed = ofType(outcomes, 'passed');
    assert.ok(passed.length >= 15, `${passed.length} passed`);
    assert.equal(started.length, passed.length);
    assert.deepEqual(ofType(outcomes, 'failed'), []);
    assert.deepEqual(ofType(outcomes, 'output'), []);
    for (const p of passed) {
      assert.ok(path.isAbsolute(p.file) && p.file.endsWith('.scenario.json'));
      assert.ok(p.line > 0 && typeof p.scenario === 'string' && p.durationMs >= 0);
    }
    assert.ok(passed.some((p) => p.scenario === 'door opens: the lamp goes on, and off again after the timeout' && p.line === 8));
  });

  it('reports a failed expectation with expected and actual for a diff, at the failing step', () => {
    const { status, outcomes } = outcomesOf([failing]);
    assert.equal(status, 1);
    assert.deepEqual(ofType(outcomes, 'passed').map((p) => p.scenario), ['passes']);
    const failed = ofType(outcomes, 'failed');
    assert.deepEqual(failed.map((f) => [f.scenario, f.line]), [['expects the wrong command', 14], ['the app crashes', 22]]);
    const [wrong, crash] = failed;
    assert.equal(wrong.failures.length, 1);
    const f = wrong.failures[0];
    assert.match(f.message, /commands: lamp\.off\(…\) was not sent/);
    assert.match(f.message, /state\.count: expected 2, got 1/);
    assert.deepEqual(JSON.parse(f.expected!), { commands: ['lamp.off(…)'], state: { count: 2 } });
    assert.deepEqual(JSON.parse(f.actual!), { commands: ['lamp.on()'], state: { count: 1 } });
    // Line 18 is the failing expect step; its column is the step's.
    assert.deepEqual(f.location, { file: failing, line: 18, column: 9 });
    assert.ok(wrong.durationMs > 0);
    assert.ok(wrong.logs.some((l) => /info +probe installed/.test(l)), wrong.logs.join('\n'));

    assert.equal(crash.failures.length, 1);
    assert.match(crash.failures[0].message, /touch is broken/);
    assert.equal(crash.failures[0].expected, 'no app error');
    assert.match(crash.failures[0].actual!, /touched: touch is broken/);
    assert.deepEqual(crash.failures[0].location, { file: failing, line: 25, column: 9 });
  });

  it('fails a file with a syntax error as a whole, at the problem', () => {
    const app = path.join(tmp, 'syntax');
    cpSync(path.join(ROOT, 'examples', 'door-light'), app, { recursive: true });
    const file = path.join(app, 'tests', 'broken.scenario.json');
    writeFileSync(file, '{\n  "scenarios": [\n    { "name": "x", "steps": [] },\n  ]\n}\n');
    const { outcomes } = outcomesOf([file]);
    assert.deepEqual(ofType(outcomes, 'started'), []);
    const [fileFailed, ...more] = ofType(outcomes, 'file-failed');
    assert.deepEqual(more, []);
    assert.equal(fileFailed.file, file);
    assert.match(fileFailed.failures[0].message, /trailing comma/);
    assert.deepEqual(fileFailed.failures[0].location, { file, line: 3, column: 33 });
  });

  it('fails each scenario of an app with a broken app.js at the place in app.js', () => {
    const app = path.join(tmp, 'broken-script');
    mkdirSync(app, { recursive: true });
    cpSync(path.join(ROOT, 'examples', 'motion-light'), app, { recursive: true });
    writeFileSync(path.join(app, 'app.js'), 'function installed( {\n');
    const { outcomes } = outcomesOf([app]);
    const failed = ofType(outcomes, 'failed');
    assert.ok(failed.length >= 2);
    assert.deepEqual(ofType(outcomes, 'file-failed'), [], 'the scenarios carry the problem themselves');
    for (const f of failed) {
      assert.match(f.failures.at(-1)!.message, /syntax error/);
      assert.equal(f.failures.at(-1)!.location?.file, path.join(app, 'app.js'));
    }
  });

  it('fails a scenario that cannot be set up at the problem, with no steps run', () => {
    const mapper = new ResultMapper();
    const file = '/w/a.scenario.json';
    const lines = [
      { event: 'file-start', version: 1, file, scenarios: [{ name: 'x', line: 3 }] },
      { event: 'scenario-start', file, scenario: 'x', line: 3 },
      { event: 'scenario-end', file, scenario: 'x', line: 3, ok: false, durationMs: 1.5, steps: 0, notRun: 1, message: 'unknown device "nope"', location: { file, line: 3, column: 63 }, logs: [] },
      { event: 'file-end', file, ok: false, durationMs: 2, passed: 0, failed: 1, problems: 0 },
    ].map((l) => JSON.stringify(l));
    const outcomes = lines.flatMap((l) => mapper.push(l));
    assert.deepEqual(outcomes, [
      { type: 'started', file, scenario: 'x', line: 3 },
      { type: 'failed', file, scenario: 'x', line: 3, durationMs: 1.5, failures: [{ message: 'unknown device "nope"', location: { file, line: 3, column: 63 } }], logs: [] },
    ]);
  });

  it('says plainly when scenarios ran without the permission model: errored in the view, warned in the text report (a recorded stream of a real run)', async () => {
    const file = path.join(ROOT, 'examples', 'motion-light', 'tests', 'motion-light.scenario.json');
    // The one pool whose workers run without the permission model is a debug session's: record a
    // run on one, as the stream a Node that ignores the flag would give.
    const record = async (pool: WorkerPool) => {
      let json = '';
      let text = '';
      const jsonl = createJsonLinesReporter((t) => (json += t));
      const human = createHumanReporter({ write: (t) => (text += t) });
      try {
        const results = await runScenarioFiles([file], { pool, onEvent: (e) => (jsonl.onEvent(e), human.onEvent(e)) });
        text += human.summary(results);
      } finally {
        await pool.close();
      }
      return { lines: json.trim().split('\n'), text };
    };
    const open = await record(new WorkerPool({ permissionModel: false }));
    const ends = open.lines.map((l) => JSON.parse(l) as JsonlLine).filter((e) => e.event === 'scenario-end');
    assert.equal(ends.length, 6);
    assert.ok(ends.every((e) => e.event === 'scenario-end' && e.permissionModel === false && e.ok), 'every scenario passed its steps, without the permission model');
    const mapper = new ResultMapper();
    const outcomes = open.lines.flatMap((l) => mapper.push(l));
    assert.deepEqual(ofType(outcomes, 'passed'), [], 'not one is shown as passed');
    const unsandboxed = ofType(outcomes, 'unsandboxed');
    assert.equal(unsandboxed.length, 6);
    assert.ok(unsandboxed.every((u) => u.message === UNSANDBOXED_MESSAGE && u.file === file && u.line > 0));
    assert.match(UNSANDBOXED_MESSAGE, /without Node's permission model/);
    assert.match(open.text, /warning: the app ran without Node's permission model/);
    assert.match(open.text, /6 passed, 0 failed\nwarning: 6 scenario\(s\) ran without Node's permission model/);

    // The same run under the permission model (the default) says so too, and passes.
    const closed = await record(new WorkerPool());
    const closedEnds = closed.lines.map((l) => JSON.parse(l) as JsonlLine).filter((e) => e.event === 'scenario-end');
    assert.ok(closedEnds.length === 6 && closedEnds.every((e) => e.event === 'scenario-end' && e.permissionModel === true));
    const closedMapper = new ResultMapper();
    assert.equal(ofType(closed.lines.flatMap((l) => closedMapper.push(l)), 'passed').length, 6);
    assert.doesNotMatch(closed.text, /permission model/);
  });

  it('passes lines that are not its format through as output', () => {
    const mapper = new ResultMapper();
    assert.deepEqual(mapper.push('(node:1) Warning: something'), [{ type: 'output', text: '(node:1) Warning: something' }]);
    assert.deepEqual(mapper.push('[1,2]'), [{ type: 'output', text: '[1,2]' }]);
    assert.deepEqual(mapper.push('   '), []);
  });

  it('splits output arriving in arbitrary chunks into lines', () => {
    const s = new LineSplitter();
    assert.deepEqual(s.push('{"a":'), []);
    assert.deepEqual(s.push('1}\n{"b"'), ['{"a":1}']);
    assert.deepEqual(s.push(':2}\r\n\n'), ['{"b":2}', '']);
    assert.deepEqual(s.push('tail'), []);
    assert.deepEqual(s.end(), ['tail']);
    assert.deepEqual(s.end(), []);
  });

  it('shows text as it is and other values as indented JSON', () => {
    assert.equal(formatValue('lamp.on()'), 'lamp.on()');
    assert.equal(formatValue(2), '2');
    assert.equal(formatValue({ a: [1] }), '{\n  "a": [\n    1\n  ]\n}');
    assert.equal(formatValue(null), 'null');
  });
});
