/**
 * The JS Shell service end to end on `smartplug up`'s platform: a tool account sends requests over
 * the embedded broker to a simulated Thing's agent, whose apps run in a real worker process.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { TOOL_USER } from '../../platform/broker/access';
import type { ShellAppInfo, ShellResponse } from '../../platform/protocol';
import { ShellClient, ShellTimeout, type ShellCall } from '../../platform/shell/shell-client';
import { exampleAppDir } from '../../platform/up/example-app';
import { LocalEnvironment } from '../../platform/up/local-environment';
import { MAX_FOLLOWERS } from '../../platform/agent/shell-service';
import { shellCommand } from '../../platform/shell/shell-command';
import { assertFreshDist } from '../support/fresh-dist';
import { PlatformApi, runsEverything } from '../support/platform-api';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('JS Shell service', function () {
  this.timeout(120_000);
  let root: string;
  let env: LocalEnvironment;
  let shell: ShellClient;
  let watcher: MqttClient;
  let creds: Record<string, { secret: string; shell: string }>;
  let installation: number;
  const events: { topic: string; body: any }[] = [];
  const logs: string[] = [];

  const cred = () => creds['thing-1'].shell;
  const agent = () => env.fleet.agent('thing-1')!;
  /** Every response of a call, in order (the call must end). */
  async function all(call: ShellCall): Promise<ShellResponse[]> {
    const out: ShellResponse[] = [];
    for await (const r of call) out.push(r);
    return out;
  }
  /** The error events of thing-1 that arrive within `ms`. */
  async function errorEventsWithin(ms: number, code: string, from = events.length): Promise<any[]> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      const seen = events.slice(from).filter((e) => e.body.code === code);
      if (seen.length) return seen;
      await wait(20);
    }
    return [];
  }

  before(async () => {
    assertFreshDist();
    root = mkdtempSync(path.join(tmpdir(), 'smartplug-shell-'));
    env = await LocalEnvironment.start({ dir: path.join(root, 'state'), things: 2, activityMs: 0, exampleApp: exampleAppDir(), log: (l) => logs.push(l) });
    const api = new PlatformApi(env.endpoints.platform, env.adminToken);
    const things = await api.waitForThings((ts) => ts.length === 2 && ts.every(runsEverything));
    installation = things.find((t) => t.thingId === 'thing-1').inherited[0].installation_id;
    creds = JSON.parse(readFileSync(path.join(root, 'state', 'fleet-credentials.json'), 'utf8'));
    shell = await ShellClient.connect({ brokerUrl: env.endpoints.broker, token: env.adminToken });
    watcher = await mqtt.connectAsync(env.endpoints.broker, { username: TOOL_USER, password: env.adminToken, clientId: 'shell-test-watcher', reconnectPeriod: 0 });
    await watcher.subscribeAsync('glp/0/thing-1/ev/error');
    watcher.on('message', (topic, payload) => events.push({ topic, body: JSON.parse(payload.toString()) }));
  });

  after(async () => {
    await shell?.close();
    await watcher?.endAsync(true).catch(() => undefined);
    await env?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("evaluates in an app's context: its state after a door event, and what it logs streamed before the result", async () => {
    await agent().thing.deviceEvent('front-door', 'contact', 'open');
    await wait(50);
    const final = await shell.eval('thing-1', cred(), 'state.opens', installation);
    assert.deepEqual(final, { meta: null, seq: 0, done: true, result: '1', error: null });
    const responses = await all(shell.request('thing-1', cred(), 'eval', { expression: 'log.info("opens so far:", state.opens); settings.actuator_function.value', app: installation }, { meta: { n: 7 } }));
    assert.equal(responses.length, 2);
    assert.deepEqual(responses.map((r) => [r.seq, r.done, r.meta]), [[0, false, { n: 7 }], [1, true, { n: 7 }]]);
    assert.deepEqual(responses[0].output!.map((l) => [l.level, l.source, l.message]), [['info', 'app:Hall light', 'opens so far: 1']]);
    assert.equal(responses[1].result, '80');
  });

  it("evaluates in the Thing's shell context, which reads the devices and changes nothing", async () => {
    assert.equal((await shell.eval('thing-1', cred(), 'devices["front-door"].currentValue("contact")')).result, "'open'");
    assert.equal((await shell.eval('thing-1', cred(), 'Object.keys(devices)')).result, "[ 'front-door', 'hall-lamp', 'kitchen', 'freezer' ]");
    const refused = await shell.eval('thing-1', cred(), 'devices["hall-lamp"].off()');
    assert.equal(refused.error?.code, 'eval');
    assert.match(refused.error!.message, /^Error: not available in the Thing's shell context/);
    const thrown = await shell.eval('thing-1', cred(), 'this.constructor.constructor("return process")()');
    assert.equal(thrown.error?.message, 'EvalError: Code generation from strings disallowed for this context');
    const syntax = await shell.eval('thing-1', cred(), 'state.');
    assert.deepEqual(syntax.error, { code: 'eval', message: 'SyntaxError: Unexpected token (shell:1:7)' });
    const unknown = await shell.eval('thing-1', cred(), '1', 999);
    assert.equal(unknown.error?.code, 'unknown-app');
    assert.match(unknown.error!.message, new RegExp(`thing-1 has no app with installation id 999; its apps: ${installation} \\(Door light\\)`));
  });

  it('lists the apps with their status and state', async () => {
    const final = await shell.request('thing-1', cred(), 'apps').final;
    const apps = final.result as ShellAppInfo[];
    assert.equal(apps.length, 1);
    const { runtimeId, state, ...rest } = apps[0];
    assert.deepEqual(rest, { installation_id: installation, app: 'Door light', version: '1.0.0', name: 'Hall light', status: { state: 'running' } });
    assert.match(runtimeId, /^door-light-\d+$/);
    assert.equal((state as { opens: number }).opens, 1);
  });

  it('tails the log, then follows it until cancelled', async () => {
    const tail = await all(shell.request('thing-1', cred(), 'logs', { lines: 3 }));
    const lines = tail.flatMap((r) => r.output ?? []);
    assert.equal(lines.length, 3);
    assert.ok(lines.some((l) => /Front door opened; light on until/.test(l.message)), JSON.stringify(lines));
    assert.deepEqual(tail.at(-1)!.result, { lines: 3, cancelled: false });

    const follow = shell.request('thing-1', cred(), 'logs', { lines: 0, follow: true });
    const seen: ShellResponse[] = [];
    const reading = (async () => {
      for await (const r of follow) seen.push(r);
    })();
    await wait(100);
    await agent().thing.deviceEvent('front-door', 'contact', 'closed');
    await agent().thing.deviceEvent('front-door', 'contact', 'open');
    for (let i = 0; i < 100 && !seen.some((r) => r.output?.some((l) => /opened/.test(l.message))); i++) await wait(20);
    assert.ok(seen.some((r) => r.output?.some((l) => l.source === 'app:Hall light' && /Front door opened/.test(l.message))), 'a new line is followed');
    assert.equal(seen.some((r) => r.done), false, 'still following');
    const cancelled = await shell.cancel('thing-1', cred(), follow);
    assert.deepEqual(cancelled.result, { cancelled: 1 });
    await reading;
    assert.deepEqual(seen.at(-1)!.result, { lines: seen.flatMap((r) => r.output ?? []).length, cancelled: true });
    assert.deepEqual(seen.map((r) => r.seq), seen.map((_, i) => i));
  });

  it('ends the oldest follow when too many follow at once (a caller gone without cancelling locks no one out)', async () => {
    const follows = Array.from({ length: MAX_FOLLOWERS }, () => shell.request('thing-1', cred(), 'logs', { lines: 0, follow: true }));
    await wait(200);
    const newest = shell.request('thing-1', cred(), 'logs', { lines: 0, follow: true });
    assert.deepEqual((await follows[0].final).result, { lines: 0, cancelled: true });
    for (const f of [...follows.slice(1), newest]) assert.deepEqual((await shell.cancel('thing-1', cred(), f)).result, { cancelled: 1 });
    assert.equal((await newest.final).done, true);
  });

  it("restarts the Thing's apps with their state kept", async () => {
    assert.equal((await shell.eval('thing-1', cred(), 'state.opens = 41; state.opens + 1', installation)).result, '42');
    assert.equal((await shell.eval('thing-1', cred(), 'globalThis.mark = "before"; mark')).result, "'before'");
    const restarts: string[] = [];
    agent().thing.on('worker', (w) => restarts.push(w.change));
    const restarted = await shell.request('thing-1', cred(), 'restart').final;
    assert.equal(restarted.error, null);
    assert.deepEqual({ ...(restarted.result as object), durationMs: 0 }, { apps: 1, durationMs: 0, failed: [] });
    assert.deepEqual(restarts, ['restarted']);
    assert.equal((await shell.eval('thing-1', cred(), 'state.opens', installation)).result, '41');
    assert.equal((await shell.eval('thing-1', cred(), 'typeof mark')).result, "'undefined'", 'the shell context was made again');
    await agent().thing.deviceEvent('front-door', 'contact', 'closed');
    await agent().thing.deviceEvent('front-door', 'contact', 'open');
    await wait(50);
    assert.equal((await shell.eval('thing-1', cred(), 'state.opens', installation)).result, '42', 'the app runs after the restart');
  });

  it('answers nothing to a wrong credential, or to another Thing\'s, and says so on the Thing\'s error channel without the credential', async () => {
    const wrong = 'not-the-shell-credential-0123456789';
    const from = events.length;
    const t0 = Date.now();
    await assert.rejects(shell.request('thing-1', wrong, 'eval', { expression: '1+1' }, { timeoutMs: 500 }).final, ShellTimeout);
    assert.ok(Date.now() - t0 >= 490);
    const [event] = await errorEventsWithin(1000, 'shell-auth', from);
    assert.ok(event, 'an error event');
    assert.equal(event.body.source, 'shell');
    assert.match(event.body.message, /^refused a JS Shell request on glp\/0\/thing-1\/rq\/=shell\/do: its shell credential is wrong; it was not answered$/);
    assert.ok(!JSON.stringify(event.body).includes(wrong));
    // Another Thing's shell credential, and thing-1's broker credential, are not thing-1's shell credential.
    await assert.rejects(shell.request('thing-1', creds['thing-2'].shell, 'eval', { expression: '1' }, { timeoutMs: 500 }).final, ShellTimeout);
    await assert.rejects(shell.request('thing-1', creds['thing-1'].secret, 'apps', undefined, { timeoutMs: 500 }).final, ShellTimeout);
    const text = JSON.stringify(events) + logs.join('\n');
    for (const secret of [cred(), creds['thing-2'].shell, creds['thing-1'].secret]) assert.ok(!text.includes(secret), 'no credential in events or logs');
  });

  it('refuses a respond topic outside its own ev/=shell, and answers a malformed request with an error', async () => {
    const spy = await mqtt.connectAsync(env.endpoints.broker, { username: TOOL_USER, password: env.adminToken, clientId: 'shell-test-spy', reconnectPeriod: 0 });
    try {
      await spy.subscribeAsync(['glp/0/thing-1/fb/#', 'glp/0/thing-2/ev/=shell/#']);
      await wait(200); // retained feedback first
      const received: string[] = [];
      spy.on('message', (topic) => received.push(topic));
      for (const respond of ['glp/0/thing-1/fb/=agent/status', 'glp/0/thing-2/ev/=shell/x', 'glp/0/thing-1/ev/=shell/#']) {
        const from = events.length;
        spy.publish('glp/0/thing-1/rq/=shell/do', JSON.stringify({ action: 'apps', respond, auth: cred() }), { qos: 1 });
        const [event] = await errorEventsWithin(1000, 'shell-respond', from);
        assert.ok(event, `refused ${respond}`);
        assert.ok(event.body.message.includes(`its respond topic (${JSON.stringify(respond)}) is not a topic under glp/0/thing-1/ev/=shell/`), event.body.message);
      }
      await wait(200);
      assert.deepEqual(received, [], 'nothing was published there');
      assert.equal(agent().connected, true, 'the Thing kept its connection (the broker drops a client publishing where it may not)');
    } finally {
      await spy.endAsync(true);
    }
    const malformed = await shell.request('thing-1', cred(), 'eval', { expression: '' }).final;
    assert.equal(malformed.error?.code, 'malformed');
    assert.match(malformed.error!.message, /^glp\/0\/thing-1\/rq\/=shell\/do: at \/args\/expression must NOT have fewer than 1 characters; see schemas\/platform\/shell-request.schema.json$/);
    const bigMeta = await shell.request('thing-1', cred(), 'apps', undefined, { meta: 'x'.repeat(5000) }).final;
    assert.deepEqual([bigMeta.meta, bigMeta.error?.code], [null, 'malformed']);
    assert.match(bigMeta.error!.message, /"meta" is 5002 characters of JSON; the limit is 4096/);
    const unknownAction = await shell.request('thing-1', cred(), 'dance' as 'apps').final;
    assert.match(unknownAction.error!.message, /at \/action must be equal to one of the allowed values/);
  });

  it('smartplug shell: one expression, the apps, the log, from the local environment\'s --dir', async () => {
    const dir = path.join(root, 'state');
    const run = async (...args: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await shellCommand([...args, '--dir', dir], (l) => out.push(l), (l) => err.push(l));
      return { code, out, err };
    };
    const value = await run('thing-1', 'log.info("from the cli");', 'state.opens', '--app', String(installation));
    assert.equal(value.code, 0, value.err.join('\n'));
    assert.match(value.out[0], /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} UTC info  app:Hall light: from the cli$/);
    assert.match(value.out[1], /^\d+$/);
    const apps = await run('thing-1', '--apps');
    assert.equal(apps.code, 0);
    assert.match(apps.out[0], new RegExp(`^${installation}  Hall light \\(Door light 1.0.0\\)  running  state \\{"above":`));
    const failed = await run('thing-1', 'nope');
    assert.deepEqual([failed.code, failed.err], [1, ['ReferenceError: nope is not defined']]);
    const logs = await run('thing-1', '--logs', '--lines', '2');
    assert.equal(logs.code, 0);
    assert.equal(logs.out.length, 2);
    const unknown = await run('thing-9', '1');
    assert.equal(unknown.code, 2);
    assert.match(unknown.err[0], /^smartplug shell: no shell credential for thing-9: set SMARTPLUG_SHELL_CREDENTIAL/);
  });

  it("stops a runaway expression with an error, and the Thing's apps keep running", async () => {
    const before = Number((await shell.eval('thing-1', cred(), 'state.opens', installation)).result);
    const t0 = Date.now();
    const stopped = await shell.request('thing-1', cred(), 'eval', { expression: 'for (;;) {}', app: installation }, { timeoutMs: 10_000 }).final;
    assert.equal(stopped.error?.code, 'eval');
    assert.match(stopped.error!.message, /^stopped after 2000 ms of CPU time \(a runaway loop\?\); the Thing's apps keep running$/);
    assert.ok(Date.now() - t0 < 6000);
    await agent().thing.deviceEvent('front-door', 'contact', 'closed');
    await agent().thing.deviceEvent('front-door', 'contact', 'open');
    await wait(50);
    assert.equal((await shell.eval('thing-1', cred(), 'state.opens', installation)).result, String(before + 1));
    const apps = (await shell.request('thing-1', cred(), 'apps').final).result as ShellAppInfo[];
    assert.deepEqual(apps[0].status, { state: 'running' });
  });
});
