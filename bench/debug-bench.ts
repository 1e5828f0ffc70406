/**
 * The debugger's figures (issue 16), over DAP on stdio as any client sees them: launch to the first
 * breakpoint stop, step latency, and stepping back to the previous execution after 100 events.
 * The app is the debug tests' (test/fixtures/apps/debuggee), in the real sandboxed worker.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { fmt, percentile, type Row } from './table';

/** The package root, from dist/bench/ (npm run bench) or bench/ (tsx). */
const ROOT = [path.resolve(__dirname, '..', '..'), path.resolve(__dirname, '..')].find((d) => existsSync(path.join(d, 'dist', 'debugger', 'adapter.js')))!;
const ADAPTER = path.join(ROOT, 'dist', 'debugger', 'adapter.js');
const APP = path.join(ROOT, 'test', 'fixtures', 'apps', 'debuggee');
const APP_JS = path.join(APP, 'app.js');
const LINES = readFileSync(APP_JS, 'utf8').split('\n');
const lineOf = (mark: string) => LINES.findIndex((l) => l.includes(`// @bp:${mark}`)) + 1;

interface Session {
  dc: DebugClient;
  /** Resolves with the next stopped event. */
  nextStop(): Promise<DebugProtocol.StoppedEvent>;
}

async function start(): Promise<Session> {
  const dc = new DebugClient('node', ADAPTER, 'smartplug');
  dc.defaultTimeout = 30_000;
  const stops: DebugProtocol.StoppedEvent[] = [];
  let waiting: ((e: DebugProtocol.StoppedEvent) => void) | undefined;
  dc.on('stopped', (e: DebugProtocol.StoppedEvent) => {
    if (waiting) {
      const w = waiting;
      waiting = undefined;
      w(e);
    } else stops.push(e);
  });
  await dc.start();
  return {
    dc,
    nextStop: () => (stops.length ? Promise.resolve(stops.shift()!) : new Promise((resolve) => (waiting = resolve))),
  };
}

/**
 * Initializes the adapter (its process is started and answering, as an adapter inline in VS Code
 * always is), then launches with these breakpoints. Resolves with performance.now() when the launch
 * request was sent, once the launch is answered.
 */
async function launch(s: Session, lines: number[]): Promise<number> {
  const initialized = s.dc.waitForEvent('initialized');
  await s.dc.initializeRequest();
  // As VS Code does: the launch request goes out at once; the breakpoints follow the initialized event.
  const sentAt = performance.now();
  const launched = s.dc.launchRequest({ app: APP, start: '2024-01-01T12:00:00Z' } as DebugProtocol.LaunchRequestArguments);
  await initialized;
  await s.dc.setBreakpointsRequest({ source: { path: APP_JS }, breakpoints: lines.map((line) => ({ line })) });
  await s.dc.configurationDoneRequest();
  await launched;
  return sentAt;
}

const inject = (s: Session, value: string) => s.dc.customRequest('smartplug/injectEvent', { device: 'front-door', attribute: 'contact', value });

/** From the launch request to the stop at a breakpoint in installed() (the adapter already started). */
async function launchToFirstStop(): Promise<number> {
  const s = await start();
  try {
    const stopped = s.nextStop();
    const sentAt = await launch(s, [lineOf('installed')]);
    await stopped;
    return performance.now() - sentAt;
  } finally {
    await s.dc.stop();
  }
}

/** `next` request → stopped event, over the lines of a handler. */
async function stepLatencies(): Promise<number[]> {
  const s = await start();
  try {
    await launch(s, [lineOf('handler')]);
    const times: number[] = [];
    for (let round = 0; round < 4; round++) {
      const stopped = s.nextStop();
      await inject(s, round % 2 === 0 ? 'open' : 'closed');
      await stopped;
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        const next = s.nextStop();
        await s.dc.nextRequest({ threadId: 1 });
        await next;
        times.push(performance.now() - t0);
      }
      await s.dc.continueRequest({ threadId: 1 });
    }
    return times;
  } finally {
    await s.dc.stop();
  }
}

/**
 * After 100 injected events, stopped at the 101st: a step back to the 100th execution. With
 * `pauseMs`, that long after the stop (a user looks before stepping back: the session starts the
 * next debuggee's worker meanwhile); without, back to back.
 */
async function stepBackAfter100(pauseMs: number): Promise<number[]> {
  const s = await start();
  try {
    await launch(s, []);
    // The door opens and closes (an event is a change: the same value twice is none).
    let events = 0;
    const nextEvent = () => inject(s, events++ % 2 === 0 ? 'open' : 'closed');
    for (let i = 0; i < 100; i++) await nextEvent();
    await s.dc.setBreakpointsRequest({ source: { path: APP_JS }, breakpoints: [{ line: lineOf('handler') }] });
    const times: number[] = [];
    const first = s.nextStop();
    await nextEvent();
    await first;
    for (let i = 0; i < 3; i++) {
      // Forward to the next event's stop, then back to the one before.
      await s.dc.continueRequest({ threadId: 1 });
      const forward = s.nextStop();
      await nextEvent();
      await forward;
      if (pauseMs) await new Promise((r) => setTimeout(r, pauseMs));
      const t0 = performance.now();
      const back = s.nextStop();
      await s.dc.reverseContinueRequest({ threadId: 1 });
      await back;
      // Back there, the event after it is a future that no longer happened.
      events--;
      times.push(performance.now() - t0);
    }
    return times;
  } finally {
    await s.dc.stop();
  }
}

export async function debugBench(rows: Row[]): Promise<void> {
  if (!existsSync(ADAPTER)) {
    rows.push({ figure: 'debugger: launch to first breakpoint stop', value: 'skipped: dist/debugger/adapter.js is not built', target: '< 500 ms', ok: false });
    return;
  }
  const launches: number[] = [];
  for (let i = 0; i < 5; i++) launches.push(await launchToFirstStop());
  launches.sort((a, b) => a - b);
  rows.push({ figure: 'debugger: launch request → stopped at a breakpoint in installed() (the worker\'s start included)', value: `${fmt(percentile(launches, 50), 0)} ms (median of 5)`, target: '< 500 ms', ok: percentile(launches, 50) < 500 });
  const steps = (await stepLatencies()).sort((a, b) => a - b);
  rows.push({ figure: 'debugger: step (next → stopped)', value: `p50 ${fmt(percentile(steps, 50), 1)} / p99 ${fmt(percentile(steps, 99), 1)} ms (${steps.length} steps)`, target: '< 30 ms', ok: percentile(steps, 50) < 30 });
  const backs = (await stepBackAfter100(1000)).sort((a, b) => a - b);
  rows.push({ figure: 'debugger: reverse continue to the previous execution, after 100 events (a replay), 1 s after the stop', value: `${fmt(percentile(backs, 50), 0)} ms (median of 3)`, target: '< 300 ms', ok: percentile(backs, 50) < 300 });
  const rushed = (await stepBackAfter100(0)).sort((a, b) => a - b);
  rows.push({ figure: '  the same back to back (the next debuggee\'s worker not started yet)', value: `${fmt(percentile(rushed, 50), 0)} ms (median of 3)`, target: '' });
}
