/**
 * The debug adapter attached to an app running on a Thing of a platform (`smartplug up`'s real
 * broker, platform and fleet), over the wire (DAP on stdio): the Thing moves onto a debug worker of
 * its own, its neighbours run on; a breakpoint in the app stops when the Thing's door opens; the
 * Thing goes back onto its shared worker when the debugger detaches, or goes silent.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { exampleAppDir } from '../../platform/up/example-app';
import { LocalEnvironment } from '../../platform/up/local-environment';
import { ShellClient } from '../../platform/shell/shell-client';
import { assertFreshDist } from '../support/fresh-dist';
import { PlatformApi, runsEverything } from '../support/platform-api';

const ADAPTER = path.resolve(__dirname, '..', '..', 'dist', 'debugger', 'adapter.js');
const APP_JS = path.join(exampleAppDir(), 'app.js');
const OPENS_LINE = readFileSync(APP_JS, 'utf8').split('\n').findIndex((l) => l.includes('state.opens = (state.opens || 0) + 1')) + 1;

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('debugger: attach to an app on a Thing of the platform (DAP over stdio)', function () {
  this.timeout(120_000);
  let root: string;
  let env: LocalEnvironment;
  let installation: number;
  let credential: string;
  let dc: DebugClient | undefined;

  before(async () => {
    assertFreshDist();
    root = mkdtempSync(path.join(tmpdir(), 'smartplug-attach-'));
    env = await LocalEnvironment.start({ dir: path.join(root, 'state'), things: 2, activityMs: 0, exampleApp: exampleAppDir(), log: () => undefined, debugLeaseMs: 1500 });
    const things = await new PlatformApi(env.endpoints.platform, env.adminToken).waitForThings((ts) => ts.length === 2 && ts.every(runsEverything));
    installation = things.find((t) => t.thingId === 'thing-1')!.inherited[0].installation_id;
    credential = JSON.parse(readFileSync(path.join(root, 'state', 'fleet-credentials.json'), 'utf8'))['thing-1'].shell;
  });

  afterEach(async () => {
    await dc?.stop().catch(() => undefined);
    dc = undefined;
  });

  after(async () => {
    await env?.close();
    rmSync(root, { recursive: true, force: true });
  });

  /** Starts the adapter, sets the breakpoints and attaches; resolves with the attach's response. */
  async function attach(breakpoints: DebugProtocol.SourceBreakpoint[], args: Record<string, unknown> = {}): Promise<{ client: DebugClient; stops: DebugProtocol.StoppedEvent[]; output: string[]; attached: Promise<DebugProtocol.Response> }> {
    const client = new DebugClient('node', ADAPTER, 'smartplug');
    client.defaultTimeout = 30_000;
    const stops: DebugProtocol.StoppedEvent[] = [];
    const output: string[] = [];
    client.on('stopped', (e: DebugProtocol.StoppedEvent) => stops.push(e));
    client.on('output', (e: DebugProtocol.OutputEvent) => output.push(e.body.output));
    await client.start();
    // Listened for before it can come: the adapter sends it right after answering initialize.
    const initialized = client.waitForEvent('initialized');
    await client.initializeRequest();
    const attached = client.attachRequest({ app: exampleAppDir(), thingId: 'thing-1', installation, brokerUrl: env.endpoints.broker, token: env.adminToken, shellCredential: credential, ...args } as DebugProtocol.AttachRequestArguments);
    attached.catch(() => undefined);
    await initialized;
    if (breakpoints.length) await client.setBreakpointsRequest({ source: { path: APP_JS }, breakpoints });
    await client.configurationDoneRequest();
    return { client, stops, output, attached };
  }

  it('stops at a breakpoint in the app on the Thing when its door opens, with the event; the other Things run on; detached, the Thing goes back to its shared worker', async () => {
    const pool = env.fleet.pool;
    const shared = pool.pidOf('thing-1');
    assert.equal(pool.pidOf('thing-2'), shared);
    const s = await attach([{ line: OPENS_LINE }]);
    dc = s.client;
    await s.attached;
    assert.notEqual(pool.pidOf('thing-1'), shared, 'the Thing is on a worker of its own');
    assert.equal(pool.permissionModelOf('thing-1'), false);
    assert.match(s.output.join(''), /attaching to Door light .* on thing-1 .*without Node's permission model/s);
    const [one, two] = [env.fleet.agent('thing-1')!.thing, env.fleet.agent('thing-2')!.thing];
    const delivered = one.deviceEvent('front-door', 'contact', 'open');
    await until(() => s.stops.length > 0, 'the stop at the breakpoint');
    assert.equal(s.stops[0].body.reason, 'breakpoint');
    const top = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0];
    assert.equal(top.source?.path, APP_JS, 'the workspace\'s app.js, not the name the Thing gives it');
    assert.equal(top.line, OPENS_LINE);
    assert.equal(top.name, 'doorOpened');
    const watch = async (expression: string) => (await dc!.evaluateRequest({ expression, frameId: top.id, context: 'watch' })).body.result;
    assert.equal(await watch('evt.value'), '"open"');
    assert.equal(await watch('evt.deviceId'), '"front-door"');
    // The frame's scopes and their variables, read through the Thing's guarded inspector.
    const scopes = (await dc.scopesRequest({ frameId: top.id })).body.scopes;
    const names = (await dc.variablesRequest({ variablesReference: scopes[0].variablesReference })).body.variables.map((v) => v.name);
    assert.ok(names.includes('evt'), JSON.stringify(names));
    // Paused on thing-1, thing-2 answers at once.
    await two.deviceEvent('front-door', 'contact', 'open');
    assert.equal(((await two.appInfo((await two.listApps())[0].id)).state as { opens?: number }).opens, 1);
    await dc.continueRequest({ threadId: 1 });
    await delivered;
    // The Thing's log follows in the Debug Console: the handler's line, once it went on.
    await until(() => /Front door opened; light on until/.test(s.output.join('')), 'the app\'s log line in the Debug Console');
    await dc.disconnectRequest({});
    await until(() => pool.pidOf('thing-1') === shared, 'thing-1 back on its shared worker');
    assert.equal(pool.permissionModelOf('thing-1'), true);
    const app = (await one.listApps())[0].id;
    assert.equal(((await one.appInfo(app)).state as { opens?: number }).opens, 1, 'the app kept its state through both moves');
  });

  it('refuses a second debugger on the same Thing, and a wrong shell credential, saying why; the Thing stays where it is', async () => {
    const pool = env.fleet.pool;
    const shared = pool.pidOf('thing-1');
    const first = await attach([]);
    dc = first.client;
    await first.attached;
    const second = await attach([]);
    await assert.rejects(second.attached, /a debugger is attached to thing-1 already \(to Door light\)/);
    await second.client.stop().catch(() => undefined);
    await dc.disconnectRequest({});
    await until(() => pool.pidOf('thing-1') === shared, 'thing-1 back on its shared worker');
    const wrong = await attach([], { shellCredential: 'not-the-credential' });
    await assert.rejects(wrong.attached, /no answer from thing-1's JS Shell .*credential/);
    await wrong.client.stop().catch(() => undefined);
    assert.equal(pool.pidOf('thing-1'), shared);
  });

  it('gives a debugger the app\'s realm only: a request for the host\'s (evaluate, a breakpoint anywhere, a call on a host object) is refused and answered so', async () => {
    const client = await ShellClient.connect({ brokerUrl: env.endpoints.broker, token: env.adminToken });
    try {
      const session = client.request('thing-1', credential, 'debug', { app: installation });
      const answers = new Map<number, { result?: unknown; error?: { message: string } }>();
      const send = (...messages: object[]) => client.send('thing-1', credential, 'cdp', { session: session.respond, messages: messages.map((m) => JSON.stringify(m)) }, session.respond);
      let attached = false;
      const reading = (async () => {
        for await (const r of session) {
          for (const f of r.debug ?? []) {
            if (f.kind === 'attached') {
              attached = true;
              send({ id: 1, method: 'Debugger.enable', params: {} }, { id: 2, method: 'Runtime.runIfWaitingForDebugger' });
              continue;
            }
            const m = JSON.parse(f.message) as { id?: number; method?: string; result?: unknown; error?: { message: string } };
            if (m.method === 'Debugger.paused') send({ id: 3, method: 'Debugger.resume', params: {} });
            if (m.id !== undefined) answers.set(m.id, m);
          }
        }
      })();
      await until(() => attached && answers.has(2), 'the debugger to be attached');
      send(
        { id: 10, method: 'Runtime.evaluate', params: { expression: 'process.pid' } },
        { id: 11, method: 'Debugger.setBreakpointByUrl', params: { urlRegex: '.*', lineNumber: 1, condition: 'process.exit(1)' } },
        { id: 12, method: 'Runtime.callFunctionOn', params: { objectId: '1.1.1', functionDeclaration: 'function () { return process.pid }' } },
        { id: 13, method: 'Debugger.evaluateOnCallFrame', params: { callFrameId: '1.1.0', expression: 'process' } },
        { id: 14, method: 'Runtime.compileScript', params: { expression: 'process.pid', sourceURL: 'x', persistScript: true } },
        { id: 15, method: 'Debugger.setBreakpointByUrl', params: { url: 'file:///work/dist/runtime/engine-thread.js', lineNumber: 1 } },
      );
      await until(() => [10, 11, 12, 13, 14, 15].every((id) => answers.has(id)), 'an answer to each request');
      for (const id of [10, 11, 12, 13, 14, 15]) {
        assert.equal(answers.get(id)!.result, undefined, `request ${id} reached the inspector`);
        assert.match(answers.get(id)!.error!.message, /^refused by the Thing: /);
      }
      assert.match(answers.get(10)!.error!.message, /Runtime\.evaluate: not a request a debugger of an app on a Thing may send/);
      assert.match(answers.get(11)!.error!.message, /breakpoints only in the debugged app's script/);
      await client.request('thing-1', credential, 'detach', { session: session.respond }).final;
      await reading;
    } finally {
      await client.close();
    }
  });

  it('a debugger that goes silent is detached after its lease, and the Thing runs on its shared worker again', async () => {
    const pool = env.fleet.pool;
    const shared = pool.pidOf('thing-1');
    // A debugger that asks and then says nothing (it crashed): its engine thread waits for it in vain.
    const client = await ShellClient.connect({ brokerUrl: env.endpoints.broker, token: env.adminToken });
    try {
      const session = client.request('thing-1', credential, 'debug', { app: installation });
      const final = await session.final;
      assert.deepEqual(final.result, { ended: 'no word from the debugger for 1.5 s' });
      await until(() => pool.pidOf('thing-1') === shared, 'thing-1 back on its shared worker');
      const one = env.fleet.agent('thing-1')!.thing;
      await one.deviceEvent('front-door', 'contact', 'closed');
    } finally {
      await client.close();
    }
  });
});
