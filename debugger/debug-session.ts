/**
 * The `smartplug` debug adapter: DAP requests translated to the debuggee (app-debugger.ts) and its
 * inspector (inspector-controller.ts), and their events back to DAP. It speaks DAP over stdio
 * (adapter-main.ts) and runs inline in VS Code's extension host (client/).
 */
import { Breakpoint, BreakpointEvent, ExitedEvent, InitializedEvent, LoggingDebugSession, OutputEvent, Source, StoppedEvent, TerminatedEvent, Thread } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import * as path from 'node:path';
import { AppDebugger } from './app-debugger';
import { resolveAttach, type SmartPlugAttachArguments } from './attach-config';
import { RemoteDebuggee } from './remote-debuggee';
import { BreakpointIds } from './breakpoints';
import type { StopReason } from './inspector-controller';
import { LaunchError, resolveLaunch, type SmartPlugLaunchArguments } from './launch-config';
import { SIMULATOR_REQUESTS, type SimulatorRequest } from './simulator-requests';
import { Timeline } from './timeline';

/** Simulator requests that change the app (the others only ask). */
const INPUTS = new Set<SimulatorRequest>(['smartplug/injectEvent', 'smartplug/advanceClock', 'smartplug/setMode', 'smartplug/touch', 'smartplug/callEndpoint', 'smartplug/fireJob']);

const THREAD_ID = 1;

type LaunchRequestArguments = DebugProtocol.LaunchRequestArguments & SmartPlugLaunchArguments;
type AttachRequestArguments = DebugProtocol.AttachRequestArguments & SmartPlugAttachArguments;

/** What a session debugs: an app it launched in a worker of its own, or one running on a Thing of a platform. */
type Debuggee = AppDebugger | RemoteDebuggee;

/** How long after a start or a step back the next debuggee's worker is started (see readyStandby). */
const STANDBY_DELAY_MS = 500;

export class SmartPlugDebugSession extends LoggingDebugSession {
  private debuggee: Debuggee | undefined;
  /**
   * On a virtual clock, the debuggee a step back replays into, its worker started ahead while the
   * user works: a step back then costs the app's install and the replay, not a process start.
   */
  private standby: AppDebugger | undefined;
  /** The standby is made a moment after a start or a step back, not while the user's first requests run. */
  private standbyTimer: NodeJS.Timeout | undefined;
  /** How the session began: a restart begins it again the same way. */
  private begun: { request: 'launch'; args: LaunchRequestArguments } | { request: 'attach'; args: AttachRequestArguments } | undefined;
  private configured!: () => void;
  private readonly configurationDone = new Promise<void>((resolve) => (this.configured = resolve));
  /** Breakpoints and filters as DAP last set them: a restart sets them on the new debuggee. */
  private readonly breakpointsByFile = new Map<string, DebugProtocol.SourceBreakpoint[]>();
  private exceptionFilters: string[] = [];
  private timeline = new Timeline();
  private readonly breakpointIds = new BreakpointIds();
  private ended = false;

  constructor() {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsEvaluateForHovers: true,
      supportsSetVariable: true,
      supportsRestartRequest: true,
      supportsTerminateRequest: true,
      supportsExceptionInfoRequest: true,
      supportsStepBack: true,
      exceptionBreakpointFilters: [
        { filter: 'uncaught', label: 'Uncaught Exceptions', description: 'Exceptions the app does not catch itself (the runtime logs them as the app\'s errors)', default: true },
        { filter: 'all', label: 'Caught Exceptions', description: 'Every exception, also those the app catches', default: false },
      ],
    };
    this.sendResponse(response);
    // Breakpoints may be set from now on: they are kept until the engine thread is there.
    this.sendEvent(new InitializedEvent());
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.configured();
    this.sendResponse(response);
  }

  protected override launchRequest(response: DebugProtocol.LaunchResponse, args: LaunchRequestArguments): Promise<void> {
    return this.begin(response, { request: 'launch', args }, 1001);
  }

  protected override attachRequest(response: DebugProtocol.AttachResponse, args: AttachRequestArguments): Promise<void> {
    return this.begin(response, { request: 'attach', args }, 1003);
  }

  /**
   * Launch and attach: the debuggee starts once the client has configured the session. A launch
   * whose configuration is wrong leaves the session open to be tried again; any other failure ends it
   * (an attach that failed is detached first).
   */
  private async begin(response: DebugProtocol.Response, how: NonNullable<SmartPlugDebugSession['begun']>, errorId: number): Promise<void> {
    this.begun = how;
    // A client that sends no configurationDone (some do not) still gets its app started.
    await Promise.race([this.configurationDone, new Promise((r) => setTimeout(r, 2000))]);
    try {
      await this.startDebuggee(this.debuggeeFor(how));
      this.sendResponse(response);
    } catch (e) {
      this.sendErrorResponse(response, { id: errorId, format: (e as Error).message, showUser: true });
      if (how.request === 'launch' && e instanceof LaunchError) return;
      if (how.request === 'attach') {
        await this.debuggee?.close();
        this.debuggee = undefined;
      }
      this.end(1);
    }
  }

  private debuggeeFor(how: NonNullable<SmartPlugDebugSession['begun']>): Debuggee {
    return how.request === 'attach' ? new RemoteDebuggee(resolveAttach(how.args), this.breakpointIds) : new AppDebugger(resolveLaunch(how.args), this.breakpointIds);
  }

  protected override async restartRequest(response: DebugProtocol.RestartResponse, args: DebugProtocol.RestartArguments): Promise<void> {
    try {
      // VS Code sends the configuration again (it may have been edited); other clients send nothing.
      const again = (args as { arguments?: LaunchRequestArguments & AttachRequestArguments } | undefined)?.arguments;
      await this.debuggee?.close();
      this.debuggee = undefined;
      await this.dropStandby();
      if (!this.begun) throw new Error('there is nothing to restart: the session was not launched');
      // An attached session detaches and attaches again.
      if (again) this.begun = { ...this.begun, args: again };
      await this.startDebuggee(this.debuggeeFor(this.begun));
      this.sendResponse(response);
    } catch (e) {
      this.sendErrorResponse(response, { id: 1002, format: (e as Error).message, showUser: true });
    }
  }

  protected override async disconnectRequest(response: DebugProtocol.DisconnectResponse): Promise<void> {
    this.ended = true;
    await Promise.all([this.debuggee?.close(), this.dropStandby()]);
    this.sendResponse(response);
  }

  protected override async terminateRequest(response: DebugProtocol.TerminateResponse): Promise<void> {
    await Promise.all([this.debuggee?.close(), this.dropStandby()]);
    this.sendResponse(response);
    this.end(0);
  }

  protected override async setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): Promise<void> {
    const file = path.resolve(args.source.path ?? '');
    const wanted: DebugProtocol.SourceBreakpoint[] = args.breakpoints ?? (args.lines ?? []).map((line) => ({ line }));
    this.breakpointsByFile.set(file, wanted);
    this.timeline.record({ kind: 'breakpoints', file, wanted });
    // Before the debuggee starts they are kept, with the ids they will keep (the client matches later changes by id).
    const set = this.debuggee ? await this.debuggee.controller.setBreakpoints(file, wanted) : wanted.map((b) => ({ id: this.breakpointIds.of(file, b.line, b.column), verified: false, line: b.line }));
    response.body = { breakpoints: set.map((b) => ({ ...b, source: new Source(path.basename(file), file) })) };
    this.sendResponse(response);
  }

  protected override async setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): Promise<void> {
    this.exceptionFilters = args.filters;
    this.timeline.record({ kind: 'exceptions', filters: args.filters });
    await this.debuggee?.controller.setExceptionFilters(args.filters);
    this.sendResponse(response);
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: [new Thread(THREAD_ID, this.debuggee?.launch.pkg.name ?? 'app')] };
    this.sendResponse(response);
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    const frames = this.debuggee?.controller.stackTrace() ?? [];
    const start = args.startFrame ?? 0;
    const shown = args.levels ? frames.slice(start, start + args.levels) : frames.slice(start);
    response.body = { stackFrames: shown, totalFrames: frames.length };
    this.sendResponse(response);
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    response.body = { scopes: this.debuggee?.controller.scopes(args.frameId) ?? [] };
    this.sendResponse(response);
  }

  protected override async variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): Promise<void> {
    await this.answer(response, async () => ({ variables: (await this.debuggee?.controller.getVariables(args.variablesReference)) ?? [] }));
  }

  protected override async setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): Promise<void> {
    await this.answer(response, async () => {
      const v = await this.require().controller.setVariable(args.variablesReference, args.name, args.value);
      // Replayed as the assignment it was, in the top frame (a scope variable there; a property set elsewhere is not replayed).
      this.timeline.record({ kind: 'evaluate', expression: `${args.name} = (${args.value})`, frameId: undefined });
      return { value: v.value, type: v.type, variablesReference: v.variablesReference };
    });
  }

  protected override async evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): Promise<void> {
    await this.answer(response, async () => {
      const d = this.require();
      if (!d.controller.isPaused) {
        // Running: the JS Shell's evaluation in the app's sandbox (its value as text).
        if (args.context === 'hover') throw new Error('hover values are shown while the app is paused');
        return { result: await d.evaluateRunning(args.expression), variablesReference: 0 };
      }
      const v = await d.controller.evaluate(args.expression, args.frameId, args.context);
      // The console and watches may change the app: done again when stepping back (hovers cannot).
      if (args.context !== 'hover') this.timeline.record({ kind: 'evaluate', expression: args.expression, frameId: args.frameId });
      return { result: v.value, type: v.type, variablesReference: v.variablesReference };
    });
  }

  protected override async exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): Promise<void> {
    await this.answer(response, async () => {
      const info = this.require().controller.exceptionInfo();
      if (!info) throw new Error('the app is not stopped on an exception');
      return { exceptionId: info.exceptionId, description: info.description, breakMode: info.breakMode, details: { stackTrace: info.stack } };
    });
  }

  protected override async continueRequest(response: DebugProtocol.ContinueResponse): Promise<void> {
    await this.answer(response, async () => {
      const c = this.require().controller;
      this.timeline.record({ kind: 'control', command: 'continue' });
      await c.resume();
      return { allThreadsContinued: true };
    });
  }

  protected override async nextRequest(response: DebugProtocol.NextResponse): Promise<void> {
    await this.answer(response, () => this.control('over'));
  }

  protected override async stepInRequest(response: DebugProtocol.StepInResponse): Promise<void> {
    await this.answer(response, () => this.control('into'));
  }

  protected override async stepOutRequest(response: DebugProtocol.StepOutResponse): Promise<void> {
    await this.answer(response, () => this.control('out'));
  }

  protected override async pauseRequest(response: DebugProtocol.PauseResponse): Promise<void> {
    await this.answer(response, () => this.control('pause'));
  }

  protected override async stepBackRequest(response: DebugProtocol.StepBackResponse): Promise<void> {
    await this.answer(response, () => this.travel(this.timeline.previousStop(), 'step', 'there is no earlier stop in this session to step back to'));
  }

  protected override async reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): Promise<void> {
    await this.answer(response, () => this.travel(this.timeline.previousBreak(), undefined, 'there is no earlier breakpoint stop in this session'));
  }

  protected override async customRequest(command: string, response: DebugProtocol.Response, args: unknown): Promise<void> {
    if (!(SIMULATOR_REQUESTS as readonly string[]).includes(command)) return super.customRequest(command, response, args);
    const request = command as SimulatorRequest;
    await this.answer(response, async () => {
      const d = this.require();
      // What changes the app is replayed when stepping back; questions are not. Recorded before it
      // is done: the stop it causes may come before its answer.
      if (INPUTS.has(request)) this.timeline.record({ kind: 'input', command: request, args: (args ?? {}) as Record<string, unknown> });
      return d.simulate(request, (args ?? {}) as never);
    });
  }

  private async startDebuggee(d: Debuggee): Promise<void> {
    this.timeline = new Timeline();
    for (const [file, wanted] of this.breakpointsByFile) this.timeline.record({ kind: 'breakpoints', file, wanted });
    this.timeline.record({ kind: 'exceptions', filters: this.exceptionFilters });
    this.wire(d);
    for (const [file, wanted] of this.breakpointsByFile) {
      for (const bp of await d.controller.setBreakpoints(file, wanted)) this.sendEvent(new BreakpointEvent('changed', bp as Breakpoint));
    }
    await d.controller.setExceptionFilters(this.exceptionFilters);
    this.timeline.markStarted();
    await d.start();
    if (d instanceof AppDebugger) this.readyStandby(d.launch);
  }

  /** Starts the next debuggee's worker soon (STANDBY_DELAY_MS): on 2 cores, a process start beside a launch slows both. */
  private readyStandby(launch: AppDebugger['launch']): void {
    if (launch.clock !== 'virtual' || this.standby || this.ended) return;
    clearTimeout(this.standbyTimer);
    this.standbyTimer = setTimeout(() => this.makeStandby(launch), STANDBY_DELAY_MS);
    this.standbyTimer.unref();
  }

  private makeStandby(launch: AppDebugger['launch']): void {
    this.standbyTimer = undefined;
    if (this.standby || this.ended) return;
    const standby = new AppDebugger(launch, this.breakpointIds);
    this.standby = standby;
    // One that could not start is dropped: the step back starts a debuggee itself.
    standby.prepare().catch(() => {
      if (this.standby === standby) this.standby = undefined;
      void standby.close();
    });
  }

  private takeStandby(launch: AppDebugger['launch']): AppDebugger | undefined {
    clearTimeout(this.standbyTimer);
    this.standbyTimer = undefined;
    const standby = this.standby;
    this.standby = undefined;
    if (standby?.launch === launch) return standby;
    void standby?.close();
    return undefined;
  }

  private async dropStandby(): Promise<void> {
    clearTimeout(this.standbyTimer);
    this.standbyTimer = undefined;
    const standby = this.standby;
    this.standby = undefined;
    await standby?.close();
  }

  /** The debuggee's events become the client's. */
  private wire(d: Debuggee): void {
    this.debuggee = d;
    // A debuggee replaced by a replay (step back) is no longer heard while it ends.
    const current = () => this.debuggee === d;
    d.on('stopped', (s) => {
      if (!current()) return;
      this.timeline.stopped(s.reason);
      const e = new StoppedEvent(s.reason, THREAD_ID, s.text) as DebugProtocol.StoppedEvent;
      if (s.hitBreakpointIds) e.body.hitBreakpointIds = s.hitBreakpointIds;
      this.sendEvent(e);
    });
    d.on('output', (o) => {
      if (!current()) return;
      const e = new OutputEvent(o.text, o.category) as DebugProtocol.OutputEvent;
      if (o.place) {
        e.body.source = new Source(path.basename(o.place.file), o.place.file);
        e.body.line = o.place.line;
        e.body.column = o.place.column;
      }
      this.sendEvent(e);
    });
    d.on('breakpoint', (bp) => current() && this.sendEvent(new BreakpointEvent('changed', bp as Breakpoint)));
    d.on('exited', ({ code }) => {
      if (current()) void d.close().then(() => this.end(code));
    });
  }

  private async control(command: 'over' | 'into' | 'out' | 'pause'): Promise<void> {
    const c = this.require().controller;
    this.timeline.record({ kind: 'control', command });
    if (command === 'pause') await c.pause();
    else await c.step(command);
  }

  /**
   * Step back and reverse continue: the session runs again from its start in a new worker, with
   * the same launch (the same clock start), and what was done is done again, silently, up to stop
   * number `target`; there the new debuggee replaces the old one.
   */
  private async travel(target: number | undefined, reason: StopReason | undefined, none: string): Promise<void> {
    const old = this.require();
    if (old instanceof RemoteDebuggee) throw new Error(`stepping back needs a launched session on a virtual clock: an app attached to on ${old.target.thingId} runs on the Thing's real clock, which cannot be replayed`);
    if (old.launch.clock !== 'virtual') throw new Error('stepping back needs a session on a virtual clock ("clock": "virtual"): on a real clock a run cannot be replayed');
    if (target === undefined) throw new Error(none);
    const fresh = this.takeStandby(old.launch) ?? new AppDebugger(old.launch, this.breakpointIds);
    this.timeline.replaying = true;
    try {
      await this.timeline.replay(fresh, target);
    } catch (e) {
      await fresh.close();
      throw e;
    } finally {
      this.timeline.replaying = false;
    }
    // Only now does the client hear from it: the replay's stops and output were the past. The
    // old debuggee ends meanwhile, unheard (its events are no longer wired).
    this.debuggee = undefined;
    void old.close();
    this.wire(fresh);
    this.readyStandby(fresh.launch);
    // Its breakpoints were set (and verified) while nobody listened.
    for (const bp of fresh.controller.breakpointStates()) this.sendEvent(new BreakpointEvent('changed', bp as Breakpoint));
    const e = new StoppedEvent(reason ?? this.timeline.reasonOf(target), THREAD_ID) as DebugProtocol.StoppedEvent;
    this.sendEvent(e);
  }

  private end(code: number): void {
    if (this.ended) return;
    this.ended = true;
    this.sendEvent(new ExitedEvent(code));
    this.sendEvent(new TerminatedEvent());
  }

  private require(): Debuggee {
    if (!this.debuggee) throw new Error('no app is running in this session');
    return this.debuggee;
  }

  /** Runs a request's work and answers with its body, or with its error's message. */
  private async answer<R extends DebugProtocol.Response>(response: R, work: () => Promise<R['body'] | void>): Promise<void> {
    try {
      const body = await work();
      if (body) response.body = body;
      this.sendResponse(response);
    } catch (e) {
      this.sendErrorResponse(response, { id: 1000, format: (e as Error).message.replace(/[{}]/g, (c) => (c === '{' ? '(' : ')')), showUser: false });
    }
  }
}
