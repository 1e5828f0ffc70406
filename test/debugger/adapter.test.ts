/**
 * The debug adapter over the wire (DAP on stdio, @vscode/debugadapter-testsupport's DebugClient),
 * debugging test/fixtures/apps/debuggee in the real sandboxed worker.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { assertFreshDist } from '../support/fresh-dist';
import { DEBUGGEE_DIR, DEBUGGEE_JS, lineOf } from './debuggee';

const ADAPTER = path.resolve(__dirname, '..', '..', 'dist', 'debugger', 'adapter.js');

interface Session {
  dc: DebugClient;
  output: DebugProtocol.OutputEvent['body'][];
  /** Stopped events not yet looked at: a request's reply may come after the stop it caused. */
  stops: DebugProtocol.StoppedEvent[];
}

const sessions = new WeakMap<DebugClient, Session>();

/** Starts the adapter, sets the breakpoints, launches the debuggee; resolves once it runs. */
async function launch(breakpoints: DebugProtocol.SourceBreakpoint[], extra: Record<string, unknown> = {}, filters: string[] = []): Promise<Session> {
  const dc = new DebugClient('node', ADAPTER, 'smartplug');
  dc.defaultTimeout = 20_000;
  const output: DebugProtocol.OutputEvent['body'][] = [];
  const stops: DebugProtocol.StoppedEvent[] = [];
  dc.on('output', (e: DebugProtocol.OutputEvent) => output.push(e.body));
  dc.on('stopped', (e: DebugProtocol.StoppedEvent) => stops.push(e));
  sessions.set(dc, { dc, output, stops });
  await dc.start();
  await Promise.all([
    dc.waitForEvent('initialized').then(async () => {
      if (breakpoints.length) await dc.setBreakpointsRequest({ source: { path: DEBUGGEE_JS }, breakpoints });
      await dc.setExceptionBreakpointsRequest({ filters });
      await dc.configurationDoneRequest();
    }),
    dc.initializeRequest().then(() => dc.launch({ app: DEBUGGEE_DIR, start: '2024-01-01T12:00:00Z', ...extra })),
  ]);
  return sessions.get(dc)!;
}

/** The next stopped event (already received, or still to come). */
async function nextStop(dc: DebugClient): Promise<DebugProtocol.StoppedEvent> {
  const s = sessions.get(dc)!;
  await until(() => s.stops.length > 0, 'a stopped event', 20_000);
  return s.stops.shift()!;
}

async function inject(dc: DebugClient, value: string): Promise<string> {
  const r = await dc.customRequest('smartplug/injectEvent', { device: 'front-door', attribute: 'contact', value });
  return (r.body as { outcome: string }).outcome;
}

async function stoppedAt(dc: DebugClient, reason: string, line: number): Promise<DebugProtocol.StackFrame> {
  const stopped = await nextStop(dc);
  assert.equal(stopped.body.reason, reason);
  const trace = await dc.stackTraceRequest({ threadId: stopped.body.threadId! });
  const top = trace.body.stackFrames[0];
  assert.equal(top.source?.path, DEBUGGEE_JS);
  assert.equal(top.line, line, `stopped at line ${top.line} (${top.name}), expected ${line}`);
  return top;
}

/** With a breakpoint in the handler: the door opens (a stop), the app goes on, the door closes; stopped there. */
async function openedThenClosed(dc: DebugClient): Promise<DebugProtocol.StackFrame> {
  assert.equal(await inject(dc, 'open'), 'stopped');
  await stoppedAt(dc, 'breakpoint', lineOf('handler'));
  await dc.continueRequest({ threadId: 1 });
  assert.equal(await inject(dc, 'closed'), 'stopped');
  return stoppedAt(dc, 'breakpoint', lineOf('handler'));
}

async function variablesOf(dc: DebugClient, reference: number): Promise<Map<string, DebugProtocol.Variable>> {
  const r = await dc.variablesRequest({ variablesReference: reference });
  return new Map(r.body.variables.map((v) => [v.name, v]));
}

function outputText(s: Session): string {
  return s.output.map((o) => o.output).join('');
}

async function until(check: () => boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('debugger: the smartplug debug adapter over DAP', function () {
  this.timeout(90_000);
  let session: Session | undefined;
  before(() => assertFreshDist(['debugger/adapter', 'runtime/worker', 'runtime/engine-thread']));
  afterEach(async () => {
    await session?.dc.stop().catch(() => undefined);
    session = undefined;
  });

  it('stops at a breakpoint of a handler after an injected event, with the event, settings and state in its variables', async () => {
    session = await launch([{ line: lineOf('handler') }]);
    const { dc } = session;
    assert.equal(await inject(dc, 'open'), 'stopped');
    const top = await stoppedAt(dc, 'breakpoint', lineOf('handler'));
    assert.equal(top.name, 'doorChanged');
    const scopes = (await dc.scopesRequest({ frameId: top.id })).body.scopes;
    const local = await variablesOf(dc, scopes.find((s) => s.name === 'Local')!.variablesReference);
    const evt = local.get('evt')!;
    assert.ok(evt.variablesReference > 0, 'the event can be expanded');
    const evtFields = await variablesOf(dc, evt.variablesReference);
    assert.equal(evtFields.get('value')?.value, '"open"');
    assert.equal(evtFields.get('deviceId')?.value, '"front-door"');
    const app = await variablesOf(dc, scopes.find((s) => s.name === 'SmartPlug')!.variablesReference);
    assert.ok(app.has('settings') && app.has('state') && app.has('location'), [...app.keys()].join());
    const settings = await variablesOf(dc, app.get('settings')!.variablesReference);
    assert.ok(settings.has('door') && settings.has('lamp'), [...settings.keys()].join());
    // A device handle shows what it is: its getters are read.
    const lamp = await variablesOf(dc, settings.get('lamp')!.variablesReference);
    assert.ok([...lamp.values()].some((v) => /2|hall-lamp|level/.test(v.value)), [...lamp.entries()].map(([k, v]) => `${k}=${v.value}`).join(' '));
    const state = await variablesOf(dc, app.get('state')!.variablesReference);
    assert.equal(state.get('opens')?.value, '0');
    // The app's output reaches the Debug Console once it goes on.
    await dc.continueRequest({ threadId: 1 });
    await until(() => /door open, opened 1 time\(s\), sum 12497500/.test(outputText(session!)), 'the handler\'s log');
  });

  it('steps over, into and out of functions, and on into a scheduled callback', async () => {
    session = await launch([{ line: lineOf('call') }, { line: lineOf('job') }]);
    const { dc } = session;
    assert.equal(await inject(dc, 'open'), 'stopped');
    await stoppedAt(dc, 'breakpoint', lineOf('call'));
    await dc.stepInRequest({ threadId: 1 });
    let top = await stoppedAt(dc, 'step', lineOf('lampTo'));
    assert.equal(top.name, 'lampTo');
    const trace = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
    assert.deepEqual(trace.filter((f) => f.source).map((f) => f.name), ['lampTo', 'doorChanged'], 'the stack shows the app\'s frames');
    await dc.stepOutRequest({ threadId: 1 });
    top = await stoppedAt(dc, 'step', lineOf('call') + 1);
    assert.equal(top.name, 'doorChanged');
    // JSON.parse throws here: the next statement is the app's catch.
    await dc.nextRequest({ threadId: 1 });
    await stoppedAt(dc, 'step', lineOf('caught'));
    await dc.continueRequest({ threadId: 1 });
    // The runIn(60, lampOff) the handler scheduled: a minute later on the virtual clock.
    const jobs = (await dc.customRequest('smartplug/pendingJobs', {})).body as { jobs: { id: number; handler: string }[] };
    assert.deepEqual(jobs.jobs.map((j) => j.handler), ['lampOff']);
    const advanced = dc.customRequest('smartplug/advanceClock', { duration: '1m' });
    top = await stoppedAt(dc, 'breakpoint', lineOf('job'));
    assert.equal(top.name, 'lampOff');
    assert.equal(((await advanced).body as { outcome: string }).outcome, 'stopped');
  });

  it('honours conditions, hit counts and logpoints', async () => {
    session = await launch([
      { line: lineOf('handler'), condition: 'evt.value === "closed"' },
      { line: lineOf('loop'), hitCondition: '2' },
      { line: lineOf('log'), logMessage: 'logpoint: door {evt.value}, opens {state.opens}' },
    ]);
    const { dc } = session;
    // open: the condition is false, the hit count not reached, the logpoint writes and goes on.
    assert.equal(await inject(dc, 'open'), 'done');
    await until(() => outputText(session!).includes('logpoint: door open, opens 1'), 'the logpoint');
    const logpoint = session.output.find((o) => o.output.includes('logpoint: door open'))!;
    assert.equal(logpoint.line, lineOf('log'));
    // closed: the condition holds.
    assert.equal(await inject(dc, 'closed'), 'stopped');
    await stoppedAt(dc, 'breakpoint', lineOf('handler'));
    await dc.continueRequest({ threadId: 1 });
    // ...and this is the loop breakpoint's second hit.
    await stoppedAt(dc, 'breakpoint', lineOf('loop'));
    await dc.continueRequest({ threadId: 1 });
  });

  it('evaluates in the paused frame (hover, watch, console), sets a variable, and evaluates in the app while it runs', async () => {
    session = await launch([{ line: lineOf('log') }]);
    const { dc } = session;
    assert.equal(await inject(dc, 'open'), 'stopped');
    const top = await stoppedAt(dc, 'breakpoint', lineOf('log'));
    assert.equal((await dc.evaluateRequest({ expression: 'state.opens + 1', frameId: top.id, context: 'watch' })).body.result, '2');
    assert.equal((await dc.evaluateRequest({ expression: 'evt.value', frameId: top.id, context: 'hover' })).body.result, '"open"');
    // A hover may not change the app.
    await assert.rejects(dc.evaluateRequest({ expression: 'state.opens = 99', frameId: top.id, context: 'hover' }));
    const scopes = (await dc.scopesRequest({ frameId: top.id })).body.scopes;
    const localRef = scopes.find((s) => s.name === 'Local')!.variablesReference;
    const set = await dc.setVariableRequest({ variablesReference: localRef, name: 'sum', value: '7' });
    assert.equal(set.body.value, '7');
    await dc.continueRequest({ threadId: 1 });
    await until(() => /door open, opened 1 time\(s\), sum 7\n/.test(outputText(session!)), 'the log with the value set');
    // Running: the Debug Console evaluates in the app's sandbox.
    assert.equal((await dc.evaluateRequest({ expression: 'state.opens * 10', context: 'repl' })).body.result, '10');
  });

  it('stops on exceptions the app does not catch, and on caught ones only when asked', async () => {
    session = await launch([], {}, ['uncaught']);
    const { dc } = session;
    // The JSON.parse error inside the app's try is caught by the app: no stop.
    for (const value of ['open', 'closed', 'open', 'closed']) assert.equal(await inject(dc, value), 'done');
    // The third opening throws, and nothing in the app catches it.
    assert.equal(await inject(dc, 'open'), 'stopped');
    await stoppedAt(dc, 'exception', lineOf('throw'));
    const info = await dc.exceptionInfoRequest({ threadId: 1 });
    assert.match(info.body.description ?? '', /the door is jammed/);
    await dc.continueRequest({ threadId: 1 });
    await until(() => /the door is jammed/.test(outputText(session!)), 'the app error in the output');
    await dc.setExceptionBreakpointsRequest({ filters: ['all'] });
    assert.equal(await inject(dc, 'closed'), 'stopped');
    await stoppedAt(dc, 'exception', lineOf('call') + 1);
    await dc.continueRequest({ threadId: 1 });
  });

  it('maps columns to app.js, past the execution guard the runtime inserts', async () => {
    const loopLine = 'for (let i = 0; i < 5000; i++) sum += i;';
    const source = (await import('node:fs')).readFileSync(DEBUGGEE_JS, 'utf8').split('\n')[lineOf('loop') - 1];
    const column = source.indexOf('sum += i') + 1;
    assert.ok(source.includes(loopLine) && column > 1);
    session = await launch([{ line: lineOf('loop'), column }]);
    const { dc } = session;
    assert.equal(await inject(dc, 'open'), 'stopped');
    const top = await stoppedAt(dc, 'breakpoint', lineOf('loop'));
    assert.equal(top.column, column, 'the column of `sum += i` in app.js, not in the instrumented code');
    await dc.continueRequest({ threadId: 1 });
  });

  it('stops on entry, restarts with its breakpoints, and runs the simulator requests', async () => {
    session = await launch([{ line: lineOf('installed') }], { stopOnEntry: true });
    const { dc } = session;
    const entry = await nextStop(dc);
    assert.equal(entry.body.reason, 'entry');
    const top = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0];
    assert.equal(top.source?.path, DEBUGGEE_JS);
    assert.equal(top.line, 1, 'the top of app.js');
    assert.equal(top.name, '(top level)');
    await dc.continueRequest({ threadId: 1 });
    await stoppedAt(dc, 'breakpoint', lineOf('installed'));
    await dc.continueRequest({ threadId: 1 });
    const subs = (await dc.customRequest('smartplug/subscriptions', {})).body as { subscriptions: { target: string; attribute: string; handler: string }[] };
    assert.deepEqual(subs.subscriptions.filter((s) => s.target === 'front-door').map((s) => `${s.target}.${s.attribute} → ${s.handler}`), ['front-door.contact → doorChanged']);
    assert.equal(((await dc.customRequest('smartplug/setMode', { mode: 'Away' })).body as { outcome: string }).outcome, 'done');
    assert.equal(await inject(dc, 'open'), 'done');
    assert.equal(((await dc.customRequest('smartplug/touch', {})).body as { outcome: string }).outcome, 'done');
    await until(() => outputText(session!).includes('touched, 1 opening(s) so far'), 'the touch handler');
    const call = (await dc.customRequest('smartplug/callEndpoint', { method: 'GET', path: '/opens' })).body as { outcome: string; status: number; body: unknown };
    assert.deepEqual([call.outcome, call.status, call.body], ['done', 200, { opens: 1 }]);
    const pending = ((await dc.customRequest('smartplug/pendingJobs', {})).body as { jobs: { id: number; handler: string }[] }).jobs;
    assert.deepEqual(pending.map((j) => j.handler), ['lampOff']);
    assert.equal(((await dc.customRequest('smartplug/fireJob', { id: pending[0].id })).body as { outcome: string }).outcome, 'done');
    await until(() => outputText(session!).includes('lamp off'), 'the fired callback');
    assert.deepEqual(((await dc.customRequest('smartplug/pendingJobs', {})).body as { jobs: unknown[] }).jobs, []);
    await assert.rejects(dc.customRequest('smartplug/injectEvent', { device: 'front-door' }), /needs "device" and "attribute"/);
    // Restart: a new worker, the same launch (on entry first) and breakpoints, stopped in installed() again.
    await dc.customRequest('restart', {});
    assert.equal((await nextStop(dc)).body.reason, 'entry');
    await dc.continueRequest({ threadId: 1 });
    await stoppedAt(dc, 'breakpoint', lineOf('installed'));
    await dc.continueRequest({ threadId: 1 });
  });

  it('debugs one scenario of a scenario file, and ends when it passes', async () => {
    session = await launch([{ line: lineOf('handler') }], { scenario: path.join(DEBUGGEE_DIR, 'tests', 'debuggee.scenario.json'), scenarioName: 'two openings' });
    const { dc } = session;
    const terminated = dc.waitForEvent('terminated', 60_000);
    for (const value of ['open', 'closed', 'open']) {
      await stoppedAt(dc, 'breakpoint', lineOf('handler'));
      const evt = await dc.evaluateRequest({ expression: 'evt.value', context: 'watch', frameId: (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0].id });
      assert.equal(evt.body.result, JSON.stringify(value));
      await dc.continueRequest({ threadId: 1 });
    }
    await terminated;
    assert.match(outputText(session), /scenario passed/);
  });

  it('steps back to the previous event, replaying the session on its virtual clock, and goes forward again from there', async () => {
    session = await launch([{ line: lineOf('handler') }]);
    const { dc } = session;
    let top = await openedThenClosed(dc);
    const watch = async (expression: string) => (await dc.evaluateRequest({ expression, frameId: top.id, context: 'watch' })).body.result;
    assert.equal(await watch('evt.value'), '"closed"');
    assert.equal(await watch('state.opens'), '1');
    // Back to the door opening: the event before, with the state it had then.
    await dc.stepBackRequest({ threadId: 1 });
    top = await stoppedAt(dc, 'step', lineOf('handler'));
    assert.equal(await watch('evt.value'), '"open"');
    assert.equal(await watch('state.opens'), '0');
    // Forward again from there: a new future.
    await dc.nextRequest({ threadId: 1 });
    top = await stoppedAt(dc, 'step', lineOf('handler') + 1);
    // `if (opened) state.opens += 1;`: the if, then its statement, on the same line.
    await dc.nextRequest({ threadId: 1 });
    top = await stoppedAt(dc, 'step', lineOf('handler') + 1);
    assert.equal(await watch('state.opens'), '0');
    await dc.nextRequest({ threadId: 1 });
    top = await stoppedAt(dc, 'step', lineOf('handler') + 2);
    assert.equal(await watch('state.opens'), '1');
    // Reverse continue: back to the last breakpoint stop (the opening), past the two steps.
    await dc.reverseContinueRequest({ threadId: 1 });
    top = await stoppedAt(dc, 'breakpoint', lineOf('handler'));
    assert.equal(await watch('evt.value'), '"open"');
    await dc.continueRequest({ threadId: 1 });
    // The opening's log line: once before the first step back, and once now, continued from the
    // replayed opening. Neither replay prints, nor do the debuggees left behind (the last one was
    // paused in that same handler and finishes it when let go).
    const openings = () => (outputText(session!).match(/door open, opened 1 time/g) ?? []).length;
    await until(() => openings() === 2, 'the replayed opening\'s log line after the continue');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(openings(), 2, outputText(session));
    await assert.rejects(dc.stepBackRequest({ threadId: 1 }), /no earlier stop|not paused/);
  });

  it('steps back into the debuggee it started ahead, and the one it leaves is let go unheard (its paused handler never logs)', async () => {
    session = await launch([{ line: lineOf('handler') }]);
    const { dc } = session;
    await openedThenClosed(dc);
    // A user looks at the stop before stepping back: the next debuggee's worker starts meanwhile.
    await new Promise((r) => setTimeout(r, 1500));
    const t0 = performance.now();
    await dc.reverseContinueRequest({ threadId: 1 });
    const top = await stoppedAt(dc, 'breakpoint', lineOf('handler'));
    const took = performance.now() - t0;
    assert.equal((await dc.evaluateRequest({ expression: 'evt.value', frameId: top.id, context: 'watch' })).body.result, '"open"');
    // The debuggee left behind was paused in the closing's handler: let go, it finishes it, unheard.
    await new Promise((r) => setTimeout(r, 500));
    assert.doesNotMatch(outputText(session), /door closed/);
    await dc.continueRequest({ threadId: 1 });
    await until(() => /door open, opened 1 time/.test(outputText(session!)), 'the replayed opening to go on');
    // A second step back, right away: its debuggee is still starting, and it is used all the same.
    assert.equal(await inject(dc, 'closed'), 'stopped');
    await stoppedAt(dc, 'breakpoint', lineOf('handler'));
    await dc.reverseContinueRequest({ threadId: 1 });
    await stoppedAt(dc, 'breakpoint', lineOf('handler'));
    assert.ok(took < 5000, `the step back took ${took.toFixed(0)} ms`);
  });

  it('ends a paused session at once: its worker is let go, not killed after a grace period', async () => {
    session = await launch([{ line: lineOf('handler') }]);
    const { dc } = session;
    assert.equal(await inject(dc, 'open'), 'stopped');
    await stoppedAt(dc, 'breakpoint', lineOf('handler'));
    const t0 = performance.now();
    await dc.disconnectRequest({});
    const took = performance.now() - t0;
    // The worker waits 2 s for a process to end before killing it; a paused one used to need all of it.
    assert.ok(took < 1500, `disconnecting took ${took.toFixed(0)} ms`);
  });

  it('refuses to step back on a real clock, saying why', async () => {
    session = await launch([{ line: lineOf('handler') }], { clock: 'real' });
    const { dc } = session;
    assert.equal(await inject(dc, 'open'), 'stopped');
    await stoppedAt(dc, 'breakpoint', lineOf('handler'));
    await dc.continueRequest({ threadId: 1 });
    assert.equal(await inject(dc, 'closed'), 'stopped');
    await stoppedAt(dc, 'breakpoint', lineOf('handler'));
    await assert.rejects(dc.stepBackRequest({ threadId: 1 }), /needs a session on a virtual clock/);
    await dc.continueRequest({ threadId: 1 });
  });

  it('refuses a launch whose app folder holds no app.json, saying which folder and what to set', async () => {
    const dc = new DebugClient('node', ADAPTER, 'smartplug');
    session = { dc, output: [], stops: [] };
    await dc.start();
    await dc.initializeRequest();
    await assert.rejects(dc.launchRequest({ app: path.join(DEBUGGEE_DIR, 'tests') } as DebugProtocol.LaunchRequestArguments), /tests holds no app\.json; set "app" to the folder of the app to debug/);
  });

  it('holds a breakpoint for 30 s without the worker being killed or the execution stopped', async function () {
    this.timeout(120_000);
    session = await launch([{ line: lineOf('handler') }], { cpuLimitMs: 200 });
    const { dc } = session;
    assert.equal(await inject(dc, 'open'), 'stopped');
    await stoppedAt(dc, 'breakpoint', lineOf('handler'));
    await new Promise((r) => setTimeout(r, 30_000));
    await dc.continueRequest({ threadId: 1 });
    await until(() => /door open, opened 1 time\(s\), sum 12497500/.test(outputText(session!)), 'the handler to finish');
    const text = outputText(session);
    assert.doesNotMatch(text, /restarted|time limit|stopped after/);
  });
});
