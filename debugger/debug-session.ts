/**
 * The `smartplug` debug adapter: DAP requests translated to the debuggee (app-debugger.ts) and its
 * inspector (inspector-controller.ts), and their events back to DAP. It speaks DAP over stdio
 * (adapter-main.ts) and runs inline in VS Code's extension host (client/).
 */
import { Breakpoint, BreakpointEvent, ExitedEvent, InitializedEvent, LoggingDebugSession, OutputEvent, Source, StoppedEvent, TerminatedEvent, Thread } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import * as path from 'node:path';
import { parseDuration } from '../runtime/cli/stdin-commands';
import { AppDebugger } from './app-debugger';
import { LaunchError, resolveLaunch, type SmartPlugLaunchArguments } from './launch-config';
import { SIMULATOR_REQUESTS, type SimulatorRequest, type SimulatorRequests } from './simulator-requests';

const THREAD_ID = 1;

type LaunchRequestArguments = DebugProtocol.LaunchRequestArguments & SmartPlugLaunchArguments;

export class SmartPlugDebugSession extends LoggingDebugSession {
  private debuggee: AppDebugger | undefined;
  private launchArgs: LaunchRequestArguments | undefined;
  private configured!: () => void;
  private readonly configurationDone = new Promise<void>((resolve) => (this.configured = resolve));
  /** Breakpoints and filters as DAP last set them: a restart sets them on the new debuggee. */
  private readonly breakpointsByFile = new Map<string, DebugProtocol.SourceBreakpoint[]>();
  private exceptionFilters: string[] = [];
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

  protected override async launchRequest(response: DebugProtocol.LaunchResponse, args: LaunchRequestArguments): Promise<void> {
    this.launchArgs = args;
    // A client that sends no configurationDone (some do not) still gets its app started.
    await Promise.race([this.configurationDone, new Promise((r) => setTimeout(r, 2000))]);
    try {
      await this.startDebuggee(args);
      this.sendResponse(response);
    } catch (e) {
      this.sendErrorResponse(response, { id: 1001, format: (e as Error).message, showUser: true });
      if (!(e instanceof LaunchError)) this.end(1);
    }
  }

  protected override async restartRequest(response: DebugProtocol.RestartResponse, args: DebugProtocol.RestartArguments): Promise<void> {
    try {
      // VS Code sends the launch configuration again (it may have been edited); other clients send nothing.
      const launchArgs = (args as { arguments?: LaunchRequestArguments } | undefined)?.arguments ?? this.launchArgs;
      if (!launchArgs) throw new Error('there is nothing to restart: the session was not launched');
      this.launchArgs = launchArgs;
      await this.debuggee?.close();
      this.debuggee = undefined;
      await this.startDebuggee(launchArgs);
      this.sendResponse(response);
    } catch (e) {
      this.sendErrorResponse(response, { id: 1002, format: (e as Error).message, showUser: true });
    }
  }

  protected override async disconnectRequest(response: DebugProtocol.DisconnectResponse): Promise<void> {
    this.ended = true;
    await this.debuggee?.close();
    this.sendResponse(response);
  }

  protected override async terminateRequest(response: DebugProtocol.TerminateResponse): Promise<void> {
    await this.debuggee?.close();
    this.sendResponse(response);
    this.end(0);
  }

  protected override async setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): Promise<void> {
    const file = path.resolve(args.source.path ?? '');
    const wanted = args.breakpoints ?? (args.lines ?? []).map((line) => ({ line }));
    this.breakpointsByFile.set(file, wanted);
    const set = this.debuggee ? await this.debuggee.controller.setBreakpoints(file, wanted) : wanted.map((b) => ({ verified: false, line: b.line }));
    response.body = { breakpoints: set.map((b) => ({ ...b, source: new Source(path.basename(file), file) })) };
    this.sendResponse(response);
  }

  protected override async setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): Promise<void> {
    this.exceptionFilters = args.filters;
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
      await this.require().controller.resume();
      return { allThreadsContinued: true };
    });
  }

  protected override async nextRequest(response: DebugProtocol.NextResponse): Promise<void> {
    await this.answer(response, () => this.require().controller.step('over'));
  }

  protected override async stepInRequest(response: DebugProtocol.StepInResponse): Promise<void> {
    await this.answer(response, () => this.require().controller.step('into'));
  }

  protected override async stepOutRequest(response: DebugProtocol.StepOutResponse): Promise<void> {
    await this.answer(response, () => this.require().controller.step('out'));
  }

  protected override async pauseRequest(response: DebugProtocol.PauseResponse): Promise<void> {
    await this.answer(response, () => this.require().controller.pause());
  }

  protected override async customRequest(command: string, response: DebugProtocol.Response, args: unknown): Promise<void> {
    if (!(SIMULATOR_REQUESTS as readonly string[]).includes(command)) return super.customRequest(command, response, args);
    await this.answer(response, () => this.simulate(command as SimulatorRequest, (args ?? {}) as never));
  }

  private async simulate<K extends SimulatorRequest>(command: K, args: SimulatorRequests[K]['args']): Promise<SimulatorRequests[K]['body']> {
    const d = this.require();
    const a = args as Record<string, unknown>;
    switch (command) {
      case 'smartplug/injectEvent':
        if (typeof a.device !== 'string' || typeof a.attribute !== 'string') throw new Error('smartplug/injectEvent needs "device" and "attribute" (strings) and "value"');
        return { outcome: await d.injectEvent(a.device, a.attribute, a.value) };
      case 'smartplug/advanceClock': {
        const ms = typeof a.ms === 'number' ? a.ms : typeof a.duration === 'string' ? parseDuration(a.duration) : undefined;
        if (ms === undefined || !(ms >= 0)) throw new Error('smartplug/advanceClock needs "ms" (a number) or "duration" (like "90s", "5m", "1h30m")');
        return { outcome: await d.advance(ms) };
      }
      case 'smartplug/setMode':
        if (typeof a.mode !== 'string') throw new Error('smartplug/setMode needs "mode" (a string)');
        return { outcome: await d.setMode(a.mode) };
      case 'smartplug/touch':
        return { outcome: await d.touch() };
      case 'smartplug/callEndpoint': {
        if (typeof a.method !== 'string' || typeof a.path !== 'string') throw new Error('smartplug/callEndpoint needs "method" and "path"');
        const r = await d.callEndpoint(a.method, a.path, a.body);
        return r === 'stopped' ? { outcome: 'stopped' } : { outcome: 'done', status: r.status, body: r.body };
      }
      case 'smartplug/pendingJobs':
        return { jobs: await d.pendingJobs() };
      case 'smartplug/fireJob':
        if (typeof a.id !== 'number') throw new Error('smartplug/fireJob needs "id" (a job id from smartplug/pendingJobs)');
        return { outcome: await d.fireJob(a.id) };
      case 'smartplug/subscriptions':
        return { subscriptions: await d.subscriptions() };
    }
    throw new Error(`unknown request ${String(command)}`);
  }

  private async startDebuggee(args: LaunchRequestArguments): Promise<void> {
    const launch = resolveLaunch(args);
    const d = new AppDebugger(launch);
    this.debuggee = d;
    d.on('stopped', (s) => {
      const e = new StoppedEvent(s.reason, THREAD_ID, s.text) as DebugProtocol.StoppedEvent;
      if (s.hitBreakpointIds) e.body.hitBreakpointIds = s.hitBreakpointIds;
      this.sendEvent(e);
    });
    d.on('output', (o) => {
      const e = new OutputEvent(o.text, o.category) as DebugProtocol.OutputEvent;
      if (o.place) {
        e.body.source = new Source(path.basename(o.place.file), o.place.file);
        e.body.line = o.place.line;
        e.body.column = o.place.column;
      }
      this.sendEvent(e);
    });
    d.on('breakpoint', (bp) => this.sendEvent(new BreakpointEvent('changed', bp as Breakpoint)));
    d.on('exited', ({ code }) => {
      if (this.debuggee === d) void d.close().then(() => this.end(code));
    });
    for (const [file, wanted] of this.breakpointsByFile) {
      for (const bp of await d.controller.setBreakpoints(file, wanted)) this.sendEvent(new BreakpointEvent('changed', bp as Breakpoint));
    }
    await d.controller.setExceptionFilters(this.exceptionFilters);
    await d.start();
  }

  private end(code: number): void {
    if (this.ended) return;
    this.ended = true;
    this.sendEvent(new ExitedEvent(code));
    this.sendEvent(new TerminatedEvent());
  }

  private require(): AppDebugger {
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
