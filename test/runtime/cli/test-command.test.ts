import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { outermostPaths, withoutPrefixClashes } from '../../../runtime/cli/sandbox-reads';
import { runsScenariosHere } from '../../../runtime/cli/test-command';
import { EVIL, FORGED_LINE, RAW_CONTROL, writeHostileScenarioApp } from './hostile-text';
import { assertFreshDist } from '../../support/fresh-dist';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(ROOT, 'bin', 'smartplug.js');

function smartplug(args: string[], cwd = ROOT, env: NodeJS.ProcessEnv = process.env): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000, cwd, env });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('smartplug test', function () {
  before(() => assertFreshDist());
  this.timeout(60_000);

  it('runs every example scenario and passes, ending with the count', () => {
    const r = smartplug(['test', 'examples']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /✓ passed/);
    assert.match(r.stdout, /^26 passed, 0 failed$/m);
  });

  it('exits 1 and shows expected against actual for a failing scenario', () => {
    const r = smartplug(['test', 'test/fixtures/scenario/failing.scenario.json']);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /✗ failed/);
    assert.match(r.stdout, /expected/);
    assert.match(r.stdout, /actual/);
    assert.match(r.stdout, /failing\.scenario\.json:\d+:\d+/);
    assert.match(r.stdout, /^\d+ passed, [1-9]\d* failed$/m);
  });

  it('streams JSON lines with --format json', () => {
    const r = smartplug(['test', '--format', 'json', 'examples/motion-light']);
    assert.equal(r.status, 0, r.stderr);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { event: string; ok?: boolean; line?: number });
    assert.equal(events.filter((e) => e.event === 'scenario-end').length, 6);
    const steps = events.filter((e) => e.event === 'step');
    assert.ok(steps.length > 10);
    assert.ok(steps.every((e) => e.ok === true && typeof e.line === 'number'));
    // Each scenario says its worker ran under the permission model.
    assert.deepEqual(events.filter((e) => e.event === 'scenario-end').map((e) => (e as { permissionModel?: boolean }).permissionModel), [true, true, true, true, true, true]);
  });

  /** A scenario in a fresh folder whose app lies outside it: only --allow-read lets the run read it. */
  function outsideAppScenario(): { outside: string; work: string } {
    const outside = mkdtempSync(path.join(tmpdir(), 'smartplug-outside-'));
    cpSync(path.join(ROOT, 'examples', 'motion-light'), path.join(outside, 'motion-light'), { recursive: true });
    const work = mkdtempSync(path.join(tmpdir(), 'smartplug-work-'));
    mkdirSync(path.join(work, 'tests'));
    const scenario = {
      app: path.join(outside, 'motion-light'),
      devices: path.join(outside, 'motion-light', 'devices.json'),
      config: path.join(outside, 'motion-light', 'instance.json'),
      scenarios: [{ name: 'installs', steps: [{ expect: { subscriptions: 1 } }] }],
    };
    writeFileSync(path.join(work, 'tests', 'outside.scenario.json'), JSON.stringify(scenario, null, 2));
    return { outside, work };
  }

  it('runs under the permission model: an app outside the allowed folders cannot be read until allowed', () => {
    const { outside, work } = outsideAppScenario();
    const denied = smartplug(['test', 'tests'], work);
    assert.equal(denied.status, 1);
    assert.match(denied.stdout, /outside what this test run may read .*Fix: run smartplug test with --allow-read /);

    const allowed = smartplug(['test', 'tests', '--allow-read', outside], work);
    assert.equal(allowed.status, 0, allowed.stdout + allowed.stderr);
    assert.match(allowed.stdout, /^1 passed, 0 failed$/m);
  });

  it('runs under the permission model even with SMARTPLUG_TEST_UNSANDBOXED=1 in the environment', () => {
    const { work } = outsideAppScenario();
    const r = smartplug(['test', 'tests'], work, { ...process.env, SMARTPLUG_TEST_UNSANDBOXED: '1' });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /outside what this test run may read/);
  });

  it('runs the scenarios itself only in a process under the permission model, whatever the environment', () => {
    const saved = process.env.SMARTPLUG_TEST_UNSANDBOXED;
    process.env.SMARTPLUG_TEST_UNSANDBOXED = '1';
    try {
      assert.equal(runsScenariosHere(process), typeof (process as { permission?: unknown }).permission === 'object');
      assert.equal(runsScenariosHere({}), false);
      assert.equal(runsScenariosHere({ permission: null }), false);
      assert.equal(runsScenariosHere({ permission: { has: () => true } }), true);
    } finally {
      if (saved === undefined) delete process.env.SMARTPLUG_TEST_UNSANDBOXED;
      else process.env.SMARTPLUG_TEST_UNSANDBOXED = saved;
    }
  });

  it('a sandboxed child whose Node ignored the permission flag refuses to run scenarios (and does not start another child)', () => {
    // What the child sees on a Node that accepts the flag but does not apply it: the mark, and no process.permission.
    const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'runtime', 'cli.js'), 'test', 'examples/motion-light'], {
      encoding: 'utf8', timeout: 30_000, cwd: ROOT, env: { ...process.env, SMARTPLUG_TEST_SANDBOX_CHILD: '1' },
    });
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /ignored --(experimental-)?permission: the sandboxed run has no permission model, so no scenario was run/);
  });

  it('allows reading only the outermost folders (Node 20 denies listing a folder when a path inside it is allowed too)', () => {
    assert.deepEqual(outermostPaths(['/a/app', '/w', '/a/app/tests/x.scenario.json', '/a/apple', '/w', '/w/sub']), ['/a/app', '/w', '/a/apple']);
    assert.deepEqual(outermostPaths(['/', '/x']), ['/']);
    // Node 20 also denies listing /a/app when /a/apple is allowed: their parent is allowed instead.
    assert.deepEqual(withoutPrefixClashes(['/a/app', '/w', '/a/apple', '/b/x']), ['/a', '/w', '/b/x']);
    assert.deepEqual(withoutPrefixClashes(['/w', '/work/p']), ['/']);
    // The case that needs it: APP/tests/x.scenario.json given by path, APP outside the current folder.
    const r = smartplug(['test', writeHostileScenarioApp()]);
    assert.doesNotMatch(r.stdout, /outside what this test run may read/);
    assert.match(r.stdout, /^0 passed, 3 failed$/m);
  });

  it('prints what the app says escaped, in text and in JSON lines', () => {
    const file = writeHostileScenarioApp();
    const project = path.dirname(path.dirname(path.dirname(file)));
    const text = smartplug(['test', path.relative(project, file)], project);
    assert.equal(text.status, 1, text.stderr);
    assert.match(text.stdout, /^0 passed, 3 failed$/m);
    assert.doesNotMatch(text.stdout + text.stderr, RAW_CONTROL);
    for (const l of text.stdout.split('\n')) assert.ok(!l.trimStart().startsWith(FORGED_LINE), `a forged line: ${l}`);
    const json = smartplug(['test', '--format', 'json', path.relative(project, file)], project);
    assert.doesNotMatch(json.stdout + json.stderr, RAW_CONTROL);
    const events = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as { event: string; logs?: { message: string }[] });
    assert.deepEqual(events.find((e) => e.event === 'scenario-end')?.logs?.map((l) => l.message), EVIL);
  });

  it('runs only the scenarios named with --scenario', () => {
    const r = smartplug(['test', 'examples/motion-light', '--scenario', 'stays on while motion continues']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /stays on while motion continues/);
    assert.doesNotMatch(r.stdout, /a longer delay after an update/);
    assert.match(r.stdout, /^1 passed, 0 failed$/m);
    const none = smartplug(['test', 'examples/motion-light', '--scenario', 'no such scenario']);
    assert.equal(none.status, 1);
    assert.match(none.stderr, /no scenario named "no such scenario"/);
  });

  it('stops an app that hangs where the guard cannot (a catastrophic regex, indexOf over a huge array-like): the step fails naming it, and the run goes on', () => {
    // Before scenarios ran in the worker, this run never ended: app code ran in the CLI's own process.
    const t0 = Date.now();
    const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'runtime', 'cli.js'), 'test', 'test/fixtures/scenario/runaway.scenario.json', '--format', 'json'], { encoding: 'utf8', timeout: 30_000, cwd: ROOT });
    assert.notEqual(r.status, null, `the run did not end within 30 s (${r.signal}): ${r.stdout}${r.stderr}`);
    assert.equal(r.status, 1, r.stderr);
    assert.ok(Date.now() - t0 < 30_000);
    type Line = { event: string; scenario?: string; kind?: string; ok?: boolean; message?: string; passed?: number; failed?: number };
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Line);
    const ends = events.filter((e) => e.event === 'scenario-end');
    assert.deepEqual(ends.map((e) => [e.scenario, e.ok]), [['a catastrophic regular expression', false], ['indexOf over a huge array-like', false], ['the run goes on', true]]);
    const failed = events.filter((e) => e.event === 'step' && e.ok === false);
    assert.deepEqual(failed.map((e) => [e.scenario, e.kind]), [['a catastrophic regular expression', 'touch'], ['indexOf over a huge array-like', 'touch']]);
    for (const f of failed) assert.match(f.message!, /^the app failed: Runaway: touched: stopped after 300 ms of CPU time: it ran past its CPU limit in code the execution guard cannot interrupt/);
    assert.deepEqual(events.filter((e) => e.event === 'file-end').map((e) => [e.passed, e.failed]), [[1, 2]]);
  });

  it('says so when there is nothing to run', () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'smartplug-empty-'));
    const r = smartplug(['test'], empty);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /no \*\.scenario\.json files/);
  });
});
