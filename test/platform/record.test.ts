/**
 * Record and replay (issue 19): `smartplug record` records what an app of a Thing of a real local
 * platform really sees and does, as a scenario file; `smartplug test` replays it on a virtual
 * clock and passes against the app that produced it, and fails against a changed app at the first
 * step where its behaviour diverges. Real processes throughout: the platform in this process, the
 * recorder and the replay as the CLI a user runs.
 */
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { scenarioFromRecording, REACTION_MS, type Recording } from '../../runtime/scenario/from-recording';
import { DEFAULT_LOCATION } from '../../runtime/engine/location';
import { exampleAppDir } from '../../platform/up/example-app';
import { LocalEnvironment } from '../../platform/up/local-environment';
import { assertFreshDist } from '../support/fresh-dist';
import { SMARTPLUG } from '../support/cli-process';
import { PlatformApi, runsEverything } from '../support/platform-api';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `smartplug record …` until it says it records, does `meanwhile`, then Ctrl-C (unless it
 * ended by itself meanwhile); its output.
 */
async function recordWhile(args: string[], cwd: string, meanwhile: (exited: Promise<number | null>) => Promise<void>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [SMARTPLUG, 'record', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const until = Date.now() + 30_000;
  while (!/recording .* Ctrl-C ends it/.test(stdout) && Date.now() < until && child.exitCode === null) await sleep(20);
  assert.match(stdout, /recording /, `smartplug record did not start: ${stdout}${stderr}`);
  await sleep(300); // the agent has the request before the first input
  await meanwhile(exited);
  if (child.exitCode === null) child.kill('SIGINT');
  const code = await exited;
  return { code, stdout, stderr };
}

describe('record and replay', function () {
  this.timeout(120_000);
  let root: string;
  let dir: string;
  let env: LocalEnvironment;
  let app: string;

  before(async () => {
    assertFreshDist();
    root = mkdtempSync(path.join(tmpdir(), 'smartplug-record-'));
    dir = path.join(root, 'state');
    env = await LocalEnvironment.start({ dir, things: 1, activityMs: 0, exampleApp: exampleAppDir(), log: () => undefined });
    await new PlatformApi(env.endpoints.platform, env.adminToken).waitForThings((ts) => ts.length === 1 && ts.every(runsEverything));
    // The user's copy of the app the Thing runs.
    app = path.join(root, 'door-light');
    cpSync(exampleAppDir(), app, { recursive: true });
    rmSync(path.join(app, 'tests'), { recursive: true, force: true });
  });

  after(async () => {
    await env?.close();
    rmSync(root, { recursive: true, force: true });
  });

  /** What the Thing "really" sees while it is recorded: a door, a heat wave, a user at the switch, a mode. */
  async function traffic(): Promise<void> {
    const thing = env.fleet.agent('thing-1')!.thing;
    await thing.deviceEvent('front-door', 'contact', 'open');
    await sleep(400);
    await thing.deviceEvent('front-door', 'contact', 'closed');
    await sleep(300);
    await thing.deviceEvent('kitchen', 'temperature', 30);
    await sleep(300);
    await thing.sendCommand('hall-lamp', 'off');
    await thing.setMode('Away');
    await sleep(300);
  }

  let scenarioFile: string;

  it('smartplug record writes what the Thing saw as a scenario into the app folder\'s tests/', async () => {
    const r = await recordWhile(['thing-1', '--minutes', '1', '--dir', dir, '--app', app], root, traffic);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /recording Hall light \(Door light 1\.0\.0, installation \d+\) on thing-1 for 1 min/);
    assert.match(r.stdout, /recorded 5 inputs .* and 2 things the app did/);
    const files = readdirSync(path.join(app, 'tests'));
    assert.equal(files.length, 1);
    scenarioFile = path.join(app, 'tests', files[0]);
    assert.match(files[0], /^thing-1-Hall-light-\d{8}-\d{4}\.scenario\.json$/);
    const scenario = JSON.parse(readFileSync(scenarioFile, 'utf8'));
    assert.equal(scenario.app, '..');
    assert.equal(scenario.config.name, 'Hall light');
    assert.ok(scenario.devices.some((d: { id: string }) => d.id === 'front-door'));
    const steps = scenario.scenarios[0].steps as Array<Record<string, any>>;
    const kinds = steps.map((s) => Object.keys(s)[0]);
    // Inputs, each after the time that passed before it, each followed by what the app did.
    assert.deepEqual(kinds.filter((k) => k !== 'advance' && k !== 'expect'), ['event', 'event', 'event', 'command', 'mode']);
    assert.ok(kinds.filter((k) => k === 'advance').length >= 4, 'real time became virtual clock steps');
    const afterDoor = steps[steps.findIndex((s) => s.event?.device === 'front-door') + 1];
    assert.equal(afterDoor.expect.commands.length, 1);
    assert.equal(afterDoor.expect.exactly, true);
    const afterHeat = steps[steps.findIndex((s) => s.event?.device === 'kitchen') + 1];
    assert.equal(afterHeat.expect.notifications.length, 1);
  });

  it('replayed by smartplug test against the app that produced it, it passes', async () => {
    const r = await run(process.execPath, [SMARTPLUG, 'test', scenarioFile], { cwd: root, encoding: 'utf8' }).catch((e: { code: number; stdout: string; stderr: string }) => e);
    assert.equal((r as { code?: number }).code ?? 0, 0, `${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /1 passed/);
  });

  it('replayed against a changed app, it fails at the first step where the behaviour diverges', async () => {
    const script = path.join(app, 'app.js');
    const original = readFileSync(script, 'utf8');
    try {
      // The changed app sends its notification, but no longer switches the light on.
      writeFileSync(script, original.replace('light.set(light.value);', '// light.set(light.value);'));
      const r = await run(process.execPath, [SMARTPLUG, 'test', scenarioFile], { cwd: root, encoding: 'utf8' }).catch((e: { code: number; stdout: string; stderr: string }) => e);
      assert.equal((r as { code?: number }).code, 1, r.stdout);
      // Everything up to the door passes; the expect right after it is the first to fail, with the difference.
      assert.match(r.stdout, /✓ event front-door\.contact = "open"[^\n]*\n\s*✗ expect commands, notifications \(exactly\)/);
      assert.match(r.stdout, /expected exactly 1 command, the app sent 0/);
      assert.match(r.stdout, /-\s+"hall-lamp\.setLevel\(80\)"/);
    } finally {
      writeFileSync(script, original);
    }
  });

  it('without --app, the version the Thing ran is downloaded beside the scenario, and the replay passes', async () => {
    const out = path.join(root, 'recordings');
    mkdirSync(out);
    const r = await recordWhile(['thing-1', '--minutes', '1', '--dir', dir], out, async () => {
      const thing = env.fleet.agent('thing-1')!.thing;
      await thing.deviceEvent('front-door', 'contact', 'open');
      await sleep(300);
    });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /the app as thing-1 ran it: Door-light-1\.0\.0/);
    assert.ok(existsSync(path.join(out, 'Door-light-1.0.0', 'app.js')));
    const file = readdirSync(out).find((f) => f.endsWith('.scenario.json'))!;
    const replay = await run(process.execPath, [SMARTPLUG, 'test', path.join(out, file)], { cwd: out, encoding: 'utf8' }).catch((e: { code: number; stdout: string; stderr: string }) => e);
    assert.equal((replay as { code?: number }).code ?? 0, 0, replay.stdout + replay.stderr);
  });

  it("a recording the Thing's stop cuts short ends with what it has, and says so", async () => {
    const out = path.join(root, 'cut-short');
    mkdirSync(out);
    const agent = env.fleet.agent('thing-1')!;
    let endedItself = false;
    const r = await recordWhile(['thing-1', '--minutes', '10', '--dir', dir, '--app', app, '--out', path.join(out, 'cut.scenario.json')], out, async (exited) => {
      await agent.thing.deviceEvent('front-door', 'contact', 'open');
      await sleep(300);
      await agent.stop();
      // The recorder ends by itself (no Ctrl-C) once the Thing answers what it recorded. Waited for
      // until it exits: a Ctrl-C sent once its file was written but before it exited ended it by
      // the signal (seen once in CI).
      endedItself = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
    });
    await agent.start();
    assert.ok(endedItself, `the recorder did not end within 10 s of the Thing's stop: ${r.stdout}${r.stderr}`);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /recorded 1 input .* \(the Thing stopped, which ended the recording early\)/);
    const scenario = JSON.parse(readFileSync(path.join(out, 'cut.scenario.json'), 'utf8'));
    const steps = scenario.scenarios[0].steps as Array<Record<string, any>>;
    assert.deepEqual(steps.filter((s) => s.event).map((s) => s.event.device), ['front-door']);
    await new PlatformApi(env.endpoints.platform, env.adminToken).waitForThings((ts) => ts.length === 1 && ts.every(runsEverything));
  });

  it('the scenario builder: inputs, reactions within the reaction window, timers after an advance, calls with their status', () => {
    const t0 = Date.parse('2026-12-03T10:00:00Z');
    const rec: Recording = {
      thingId: 't', startedAt: t0, endedAt: t0 + 20_000, devices: [], location: DEFAULT_LOCATION, appPath: '..',
      instance: { app_id: 1, installation_id: 2, version: '1.0.0', name: 'A', config: {} },
      timeline: [
        { time: t0 + 1000, input: { kind: 'event', device: 'd', attribute: 'contact', value: 'open' } },
        { time: t0 + 1005, output: { kind: 'command', device: 'l', command: 'on', args: [] } },
        // a timer's work, long after the reaction window
        { time: t0 + 1000 + REACTION_MS + 9000, output: { kind: 'command', device: 'l', command: 'off', args: [] } },
        { time: t0 + 15_000, input: { kind: 'call', method: 'GET', path: '/x', body: null, status: 200 } },
      ],
    };
    const steps = (scenarioFromRecording(rec).scenarios as Array<{ steps: unknown[] }>)[0].steps;
    assert.deepEqual(steps, [
      { expect: { mode: 'Home' } },
      { advance: 1000 },
      { event: { device: 'd', attribute: 'contact', value: 'open' } },
      { expect: { commands: [{ device: 'l', command: 'on', args: [] }], notifications: [], exactly: true } },
      { advance: REACTION_MS + 9000 },
      { expect: { commands: [{ device: 'l', command: 'off', args: [] }], notifications: [], exactly: true } },
      { advance: 15_000 - 1000 - REACTION_MS - 9000 },
      { call: { method: 'GET', path: '/x' } },
      { expect: { commands: [], notifications: [], exactly: true, response: { status: 200 } } },
      { advance: 5000 },
      { expect: { commands: [], notifications: [], exactly: true } },
    ]);
  });
});
