/**
 * A debug session's debuggee, as a plain event emitter (the DAP translation is debug-session.ts):
 * the app on a Thing of its own, in a worker process in debug mode (the same sandboxed worker as
 * production, its inspector reached through the warden), its devices simulated, driven either by
 * simulator input (device events, the clock, the mode, touches, endpoint calls, jobs fired now) or
 * by one scenario of a scenario file.
 */
import { readFileSync } from 'node:fs';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { loadChildPackages } from '../runtime/app/load-app';
import { formatRecord } from '../runtime/cli/event-printer';
import { ConfigError } from '../runtime/app/instance-config';
import type { EndpointResponse } from '../runtime/engine/engine-requests';
import type { JobSnapshot, SubscriptionSnapshot } from '../runtime/engine/snapshot';
import { TypedEmitter } from '../runtime/engine/typed-emitter';
import { formatProblem, SourceError } from '../runtime/errors';
import type { HostEventMap } from '../runtime/host/runtime';
import { Thing } from '../runtime/host/thing';
import { WorkerPool } from '../runtime/host/worker-pool';
import { parseScenarioFile, runScenario } from '../runtime/scenario';
import type { BreakpointIds } from './breakpoints';
import { InspectorController, type StopInfo } from './inspector-controller';
import type { ResolvedLaunch } from './launch-config';
import type { InputOutcome, SimulatorRequest, SimulatorRequests } from './simulator-requests';
import { parseDuration } from '../runtime/cli/stdin-commands';

export interface OutputLine {
  category: 'console' | 'stdout' | 'stderr' | 'important';
  text: string;
  place?: { file: string; line: number; column: number };
}

export interface AppDebuggerEvents {
  stopped: StopInfo;
  output: OutputLine;
  breakpoint: DebugProtocol.Breakpoint;
  /** The debuggee ended by itself (a scenario finished, the app could not be installed). */
  exited: { code: number };
}

/** Records shown in the Debug Console, as `smartplug run` prints them. */
const SHOWN: (keyof HostEventMap)[] = ['worker', 'app', 'deviceEvent', 'command', 'notification', 'locationEvent'];


export class AppDebugger extends TypedEmitter<AppDebuggerEvents> {
  readonly controller: InspectorController;
  private pool: WorkerPool | undefined;
  private thing: Thing | undefined;
  private appId: string | undefined;
  /** The install under way (its installed() may be stopped at a breakpoint). */
  private installing: Promise<unknown> | undefined;
  private closed = false;

  constructor(readonly launch: ResolvedLaunch, breakpointIds?: BreakpointIds) {
    super();
    this.controller = new InspectorController(launch.pkg.dir, {
      stopped: (info) => this.emit('stopped', info),
      output: (category, text, place) => this.emit('output', { category, text, place }),
      breakpoint: (bp) => this.emit('breakpoint', bp),
    }, breakpointIds);
  }

  private ensurePool(): WorkerPool {
    this.pool ??= new WorkerPool({
      // Run Without Debugging: the production worker, permission model on.
      debug: !this.launch.noDebug,
      cpuLimitMs: this.launch.cpuLimitMs,
      onInspector: (m, to) => {
        if (m.kind === 'inspector') this.controller.receive(m.message);
        else void this.controller.attach(to).catch((e: Error) => this.say('stderr', `the debugger could not attach to the engine thread: ${e.message}`));
      },
    });
    return this.pool;
  }

  /**
   * Starts its worker process (and the debugger's attachment to it) ahead of start(), which then
   * costs only the app's install: the debuggee a step back will replay into is made ready so.
   */
  prepare(): Promise<void> {
    return this.ensurePool().warm();
  }

  /** Starts the worker and installs the app (or starts the scenario). Resolves once it runs or has stopped. */
  async start(): Promise<void> {
    const { launch } = this;
    this.ensurePool();
    for (const w of launch.warnings) this.say('stderr', w);
    if (!launch.noDebug) this.say('console', `SmartPlug: debugging ${launch.pkg.name} ${launch.pkg.version} in a worker process without Node's permission model (the V8 inspector needs it off); the app's vm sandbox and its limits stay as in production.`);
    if (launch.stopOnEntry) await this.controller.stopOnEntry(launch.pkg.scriptFile);
    if (launch.scenario) return this.startScenario(launch.scenario);

    const thing = await this.ensurePool().addThing('debug', { clock: launch.clock, start: launch.start, cpuLimitMs: launch.cpuLimitMs, seed: 'smartplug-debug' }, (id, s, t, n) => new Thing(id, s, t, n));
    this.thing = thing;
    this.follow(thing);
    for (const d of launch.devices) await thing.addDevice(d);
    for (const child of loadChildPackages(launch.pkg.dir)) await thing.registerPackage(child);
    const install = thing.install({ source: launch.pkg, config: launch.config, label: launch.label }).then((info) => {
      this.appId = info.id;
      this.say('console', `running ${launch.pkg.name} as ${info.id} with ${launch.devices.length} device(s) on a ${launch.clock} clock`);
    });
    this.installing = install;
    install.catch((e: unknown) => {
      this.say('stderr', installFailure(e));
      this.emit('exited', { code: 1 });
    });
    await this.untilDoneOrStopped(install).catch(() => undefined);
  }

  // ------------------------------------------------------------------ simulator input

  /** A simulator request (simulator-requests.ts), its arguments checked. */
  async simulate<K extends SimulatorRequest>(command: K, args: SimulatorRequests[K]['args']): Promise<SimulatorRequests[K]['body']> {
    const a = (args ?? {}) as Record<string, unknown>;
    const body = await this.simulateUnchecked(command, a);
    return body as SimulatorRequests[K]['body'];
  }

  private async simulateUnchecked(command: SimulatorRequest, a: Record<string, unknown>): Promise<SimulatorRequests[SimulatorRequest]['body']> {
    switch (command) {
      case 'smartplug/injectEvent':
        if (typeof a.device !== 'string' || typeof a.attribute !== 'string') throw new Error('smartplug/injectEvent needs "device" and "attribute" (strings) and "value"');
        return { outcome: await this.injectEvent(a.device, a.attribute, a.value) };
      case 'smartplug/advanceClock': {
        const ms = typeof a.ms === 'number' ? a.ms : typeof a.duration === 'string' ? parseDuration(a.duration) : undefined;
        if (ms === undefined || !(ms >= 0)) throw new Error('smartplug/advanceClock needs "ms" (a number) or "duration" (like "90s", "5m", "1h30m")');
        return { outcome: await this.advance(ms) };
      }
      case 'smartplug/setMode':
        if (typeof a.mode !== 'string') throw new Error('smartplug/setMode needs "mode" (a string)');
        return { outcome: await this.setMode(a.mode) };
      case 'smartplug/touch':
        return { outcome: await this.touch() };
      case 'smartplug/callEndpoint': {
        if (typeof a.method !== 'string' || typeof a.path !== 'string') throw new Error('smartplug/callEndpoint needs "method" and "path"');
        const r = await this.callEndpoint(a.method, a.path, a.body);
        return r === 'stopped' ? { outcome: 'stopped' } : { outcome: 'done', status: r.status, body: r.body };
      }
      case 'smartplug/pendingJobs':
        return { jobs: await this.pendingJobs() };
      case 'smartplug/fireJob':
        if (typeof a.id !== 'number') throw new Error('smartplug/fireJob needs "id" (a job id from smartplug/pendingJobs)');
        return { outcome: await this.fireJob(a.id) };
      case 'smartplug/subscriptions':
        return { subscriptions: await this.subscriptions() };
    }
  }

  injectEvent(device: string, attribute: string, value: unknown): Promise<InputOutcome> {
    return this.input((t) => t.deviceEvent(device, attribute, value));
  }

  advance(ms: number): Promise<InputOutcome> {
    if (this.launch.clock !== 'virtual') return Promise.reject(new Error('the clock is real: only a session on a virtual clock can move time ("clock": "virtual")'));
    return this.input((t) => t.advance(ms));
  }

  setMode(mode: string): Promise<InputOutcome> {
    return this.input((t) => t.setMode(mode));
  }

  touch(): Promise<InputOutcome> {
    return this.input(async (t) => t.touch(await this.requireApp()));
  }

  async callEndpoint(method: string, url: string, body?: unknown): Promise<EndpointResponse | 'stopped'> {
    const thing = this.requireThing();
    let response: EndpointResponse | undefined;
    const call = thing.callEndpoint(await this.requireApp(), method, url, body).then((r) => {
      response = r;
      this.say('console', `${method} ${url} → ${r.status} ${JSON.stringify(r.body)}`);
    });
    return (await this.untilDoneOrStopped(call)) === 'done' ? response! : 'stopped';
  }

  /** The app's pending runIn/schedule callbacks. */
  async pendingJobs(): Promise<JobSnapshot[]> {
    this.requireRunning('its pending callbacks');
    return (await this.requireThing().appInfo(await this.requireApp())).jobs;
  }

  /** What the app subscribes to now: the events worth injecting. */
  async subscriptions(): Promise<SubscriptionSnapshot[]> {
    this.requireRunning('its subscriptions');
    return (await this.requireThing().appInfo(await this.requireApp())).subscriptions;
  }

  /** Fires a pending job now: the virtual clock moves to its time (and fires whatever is due on the way). */
  async fireJob(jobId: number): Promise<InputOutcome> {
    const job = (await this.pendingJobs()).find((j) => j.id === jobId);
    if (!job) throw new Error(`there is no pending job ${jobId}; list them with smartplug/pendingJobs`);
    const now = await this.requireThing().now();
    return this.advance(Math.max(0, job.at - now));
  }

  /** The JS Shell's evaluation in the app's sandbox, while the app is not paused. */
  async evaluateRunning(expression: string): Promise<string> {
    const r = await this.requireThing().evaluate({ appId: await this.requireApp() }, expression);
    if (!r.ok) throw new Error(r.error);
    return r.result;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // A paused app would hold its worker until it is killed (2 s later): it is let go first.
    if (this.controller.isPaused) await Promise.race([this.controller.release().catch(() => undefined), new Promise((r) => setTimeout(r, 500))]);
    this.controller.cdp.failPending('the session ended');
    await this.pool?.close();
  }

  // ------------------------------------------------------------------ inside

  private async input(run: (thing: Thing) => Promise<unknown>): Promise<InputOutcome> {
    const done = run(this.requireThing());
    done.catch((e: Error) => this.say('stderr', `error: ${e.message}`));
    return this.untilDoneOrStopped(done);
  }

  /** Settles when the work is done, or as soon as the app stops in the debugger on the way. */
  private untilDoneOrStopped(work: Promise<unknown>): Promise<InputOutcome> {
    return new Promise((resolve, reject) => {
      const onStop = () => resolve('stopped');
      this.once('stopped', onStop);
      work.then(
        () => {
          this.off('stopped', onStop);
          resolve('done');
        },
        (e: unknown) => {
          this.off('stopped', onStop);
          reject(e);
        },
      );
    });
  }

  private follow(thing: Thing): void {
    thing.on('log', (r) => {
      const category = r.level === 'error' || r.level === 'warn' ? 'stderr' : 'stdout';
      const place = r.file && r.line ? { file: r.file, line: r.line, column: 1 } : undefined;
      this.emit('output', { category, text: `${r.source === 'runtime' ? '[runtime] ' : ''}${r.message}\n`, place });
    });
    thing.on('appError', (r) => {
      const place = r.file && r.line ? { file: r.file, line: r.line, column: r.column ?? 1 } : undefined;
      this.emit('output', { category: 'stderr', text: `${r.handler}: ${r.message}\n`, place });
    });
    for (const name of SHOWN) {
      thing.on(name, (r) => {
        const line = formatRecord(name, r as never);
        if (line) this.say('console', line.text);
      });
    }
  }

  private startScenario(scenario: NonNullable<ResolvedLaunch['scenario']>): void {
    const parsed = parseScenarioFile(readFileSync(scenario.file, 'utf8'), scenario.file);
    const chosen = scenario.name === undefined ? parsed.scenarios[0] : parsed.scenarios.find((s) => s.name === scenario.name);
    if (!chosen) {
      const names = parsed.scenarios.map((s) => JSON.stringify(s.name)).join(', ');
      this.say('stderr', `${scenario.file}: there is no scenario named ${JSON.stringify(scenario.name)}; the file has ${names || 'none'}`);
      setImmediate(() => this.emit('exited', { code: 1 }));
      return;
    }
    this.say('console', `scenario "${chosen.name}" (${scenario.file}:${chosen.line})`);
    void runScenario(parsed, chosen, {
      pool: this.pool!,
      onEvent: (e) => {
        if (e.type !== 'step') return;
        const s = e.step;
        this.emit('output', { category: s.ok ? 'console' : 'stderr', text: `${s.ok ? '✓' : '✗'} ${s.description}${s.failure ? `: ${s.failure.message}` : ''}\n`, place: { file: scenario.file, line: s.line, column: 1 } });
      },
    }).then(
      (r) => {
        this.say(r.ok ? 'console' : 'stderr', r.ok ? `scenario passed (${r.steps.length} steps)` : `scenario failed: ${r.failure?.message ?? 'a step failed'}`);
        if (!this.closed) this.emit('exited', { code: r.ok ? 0 : 1 });
      },
      (e: Error) => {
        this.say('stderr', `the scenario could not run: ${e.message}`);
        if (!this.closed) this.emit('exited', { code: 1 });
      },
    );
  }

  private say(category: OutputLine['category'], text: string): void {
    this.emit('output', { category, text: `${text}\n` });
  }

  private requireThing(): Thing {
    if (!this.thing) throw new Error(this.launch.scenario ? 'a scenario drives this session: simulator input is for a launch without "scenario"' : 'the app is not running yet');
    return this.thing;
  }

  /** Questions go to the engine thread, which does not answer while the app is paused. */
  private requireRunning(what: string): void {
    if (this.controller.isPaused) throw new Error(`the app is paused: continue to see ${what}`);
  }

  /** The app's id; waits for an install that is running (not one stopped in the debugger). */
  private async requireApp(): Promise<string> {
    this.requireThing();
    if (!this.appId && this.installing && !this.controller.isPaused) await this.installing.catch(() => undefined);
    if (!this.appId) throw new Error(this.controller.isPaused ? 'the app is not installed yet: it is stopped in its installed() or top level; continue first' : 'the app could not be installed (see the Debug Console)');
    return this.appId;
  }
}

function installFailure(e: unknown): string {
  if (e instanceof SourceError) return e.problems.map(formatProblem).join('\n');
  if (e instanceof ConfigError) return e.message;
  return `the app could not be installed: ${(e as Error).message}`;
}
