/**
 * The debugger's side of the engine thread's V8 inspector: attaching to each engine thread,
 * breakpoints and exception filters, stopping and stepping, stack frames mapped to app.js, scopes,
 * variables and evaluation. The runtime's own code (the prelude, the engine) is skipped: stepping
 * goes from handler to handler, and stack traces show the app's frames.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Protocol } from 'devtools-protocol';
import * as path from 'node:path';
import { GUARD_ALIAS } from '../runtime/sandbox/instrument';
import { Breakpoints, type BreakpointIds } from './breakpoints';
import { CdpClient } from './cdp-client';
import { ScriptRegistry } from './script-registry';
import { TryBlocks } from './try-blocks';
import { describe, Variables } from './variables';

export type StopReason = 'breakpoint' | 'step' | 'exception' | 'pause' | 'entry';

export interface StopInfo {
  reason: StopReason;
  /** DAP breakpoint ids, for a breakpoint stop. */
  hitBreakpointIds?: number[];
  /** The exception's text, for an exception stop. */
  text?: string;
}

export interface ControllerEvents {
  stopped(info: StopInfo): void;
  output(category: 'console' | 'stdout' | 'stderr', text: string, place?: { file: string; line: number; column: number }): void;
  breakpoint(bp: DebugProtocol.Breakpoint): void;
}

export type ExceptionFilter = 'all' | 'uncaught';

/** The frame id DAP gets for the collapsed runtime frames between app frames. */
const RUNTIME_FRAME = 'runtime';

export class InspectorController {
  readonly cdp = new CdpClient(() => undefined);
  readonly scripts: ScriptRegistry;
  private readonly breakpoints: Breakpoints;
  private readonly variables: Variables;
  private readonly tryBlocks = new TryBlocks();
  private paused: Protocol.Debugger.PausedEvent | undefined;
  private lastAction: 'step' | 'pause' | undefined;
  private exceptionFilters = new Set<ExceptionFilter>();
  private entry: { cdpId?: string; file: string } | undefined;
  private attached = false;

  /** `runtimeRoot`: where the worker has the app's files, when not at `appRoot` (see ScriptRegistry). */
  constructor(appRoot: string, private readonly events: ControllerEvents, breakpointIds?: BreakpointIds, runtimeRoot?: string) {
    this.scripts = new ScriptRegistry(appRoot, runtimeRoot);
    this.breakpoints = new Breakpoints(this.cdp, this.scripts, (bp) => events.breakpoint(bp), breakpointIds);
    this.variables = new Variables(this.cdp);
    this.cdp.on('Debugger.scriptParsed', (e) => this.scripts.add(e));
    this.cdp.on('Debugger.breakpointResolved', (e) => this.breakpoints.onResolved(e));
    this.cdp.on('Debugger.paused', (e) => void this.onPaused(e));
    this.cdp.on('Debugger.resumed', () => {
      this.paused = undefined;
      this.variables.reset();
    });
  }

  /**
   * A new engine thread (the first, or one started after the last was lost) waits for us: set it
   * up as the session wants it, then let it run.
   */
  async attach(toInspector: (message: string) => void): Promise<void> {
    this.cdp.retarget(toInspector);
    this.scripts.clear();
    this.paused = undefined;
    this.variables.reset();
    await this.cdp.send('Debugger.enable', {});
    await this.cdp.send('Runtime.enable');
    await this.cdp.send('Debugger.setBlackboxPatterns', { patterns: [this.scripts.runtimePattern()] });
    await this.applyExceptionFilters();
    this.attached = true;
    await this.breakpoints.reapply();
    if (this.entry) await this.setEntryBreakpoint();
    await this.cdp.send('Runtime.runIfWaitingForDebugger');
  }

  receive(message: string): void {
    this.cdp.receive(message);
  }

  get isPaused(): boolean {
    return this.paused !== undefined;
  }

  setBreakpoints(file: string, wanted: readonly DebugProtocol.SourceBreakpoint[]): Promise<DebugProtocol.Breakpoint[]> {
    return this.breakpoints.set(path.resolve(file), wanted, this.attached);
  }

  /** Every breakpoint's state (after a step back, the client hears them again). */
  breakpointStates(): DebugProtocol.Breakpoint[] {
    return this.breakpoints.all();
  }

  async setExceptionFilters(filters: readonly string[]): Promise<void> {
    this.exceptionFilters = new Set(filters.filter((f): f is ExceptionFilter => f === 'all' || f === 'uncaught'));
    if (this.attached) await this.applyExceptionFilters();
  }

  /** Stop at the first line of this file when it runs (stopOnEntry). */
  async stopOnEntry(file: string): Promise<void> {
    this.entry = { file };
    if (this.attached) await this.setEntryBreakpoint();
  }

  async resume(): Promise<void> {
    this.lastAction = undefined;
    const from = this.paused;
    await this.cdp.send('Debugger.resume', {});
    this.running(from);
  }

  /**
   * Lets the app go for good (the session ends, or a replay replaced this debuggee): the debugger
   * is turned off in the worker, which drops its breakpoints and resumes a paused app, so the
   * worker can end at once instead of being killed after its grace period.
   */
  async release(): Promise<void> {
    this.lastAction = undefined;
    const from = this.paused;
    if (this.attached) await this.cdp.send('Debugger.disable');
    this.running(from);
  }

  async step(kind: 'over' | 'into' | 'out'): Promise<void> {
    this.lastAction = 'step';
    const from = this.paused;
    if (kind === 'over') await this.cdp.send('Debugger.stepOver', {});
    else if (kind === 'into') await this.cdp.send('Debugger.stepInto', {});
    else await this.cdp.send('Debugger.stepOut');
    this.running(from);
  }

  /**
   * The thread runs again once the command is answered: a request right after it must not find the
   * app paused because Debugger.resumed is still on its way. Only the stop it left is forgotten: a
   * short step's next stop can arrive in the same read as the answer, and is handled before this
   * continuation runs.
   */
  private running(from: Protocol.Debugger.PausedEvent | undefined): void {
    if (this.paused !== from) return;
    this.paused = undefined;
    this.variables.reset();
  }

  /** Stops the app at its next statement (now, if it is running; else when it next runs). */
  async pause(): Promise<void> {
    this.lastAction = 'pause';
    await this.cdp.send('Debugger.pause');
  }

  stackTrace(): DebugProtocol.StackFrame[] {
    const frames: DebugProtocol.StackFrame[] = [];
    if (!this.paused) return frames;
    let collapsed = false;
    this.paused.callFrames.forEach((f, i) => {
      const file = this.scripts.appFileOf(f.location.scriptId);
      if (!file) {
        // The runtime's code between (or under) the app's frames: one line, not its internals.
        if (!collapsed) frames.push({ id: frameId(RUNTIME_FRAME, i), name: '[SmartPlug runtime]', line: 0, column: 0, presentationHint: 'label' });
        collapsed = true;
        return;
      }
      collapsed = false;
      const at = this.scripts.original(f.location);
      frames.push({ id: frameId('app', i), name: f.functionName || '(top level)', source: { name: path.basename(file), path: file }, line: at.line, column: at.column });
    });
    // Nothing below the last app frame is of interest.
    while (frames.length && frames[frames.length - 1].presentationHint === 'label') frames.pop();
    return frames;
  }

  scopes(dapFrameId: number): DebugProtocol.Scope[] {
    const frame = this.frame(dapFrameId);
    return frame ? this.variables.scopes(frame) : [];
  }

  getVariables(reference: number): Promise<DebugProtocol.Variable[]> {
    return this.variables.variables(reference);
  }

  setVariable(reference: number, name: string, value: string, dapFrameId?: number): Promise<DebugProtocol.Variable> {
    const frame = (dapFrameId !== undefined ? this.frame(dapFrameId) : undefined) ?? this.topAppFrame();
    if (!frame) throw new Error('the app is not paused');
    return this.variables.set(reference, name, value, frame.callFrameId);
  }

  /** Evaluates in a paused frame (the top app frame by default); hovers may not change anything. */
  async evaluate(expression: string, dapFrameId: number | undefined, context: string | undefined): Promise<DebugProtocol.Variable> {
    const frame = (dapFrameId !== undefined ? this.frame(dapFrameId) : undefined) ?? this.topAppFrame();
    if (!frame) throw new Error('the app is not paused');
    const r = await this.cdp.send('Debugger.evaluateOnCallFrame', {
      callFrameId: frame.callFrameId, expression, silent: true, generatePreview: true, ...(context === 'hover' ? { throwOnSideEffect: true } : {}),
    });
    if (r.exceptionDetails) throw new Error(r.exceptionDetails.exception?.description?.split('\n')[0] ?? r.exceptionDetails.text);
    return this.variables.variable(expression, r.result, expression);
  }

  /** The exception the app is stopped on. */
  exceptionInfo(): { exceptionId: string; description: string; breakMode: 'always' | 'unhandled'; stack?: string } | undefined {
    const p = this.paused;
    if (!p || (p.reason !== 'exception' && p.reason !== 'promiseRejection')) return undefined;
    const data = p.data as Protocol.Runtime.RemoteObject | undefined;
    const text = data ? describe(data) : 'exception';
    const first = text.split('\n')[0];
    return { exceptionId: data?.className ?? 'Error', description: first, breakMode: this.exceptionFilters.has('all') ? 'always' : 'unhandled', stack: text };
  }

  private async onPaused(e: Protocol.Debugger.PausedEvent): Promise<void> {
    // A new engine thread stops on its first line once told to run: not the user's business.
    if ((e.reason as string) === 'Break on start') {
      await this.cdp.send('Debugger.resume', {}).catch(() => undefined);
      return;
    }
    this.paused = e;
    const action = this.lastAction;
    this.lastAction = undefined;
    if (this.entry?.cdpId && e.hitBreakpoints?.includes(this.entry.cdpId)) {
      await this.cdp.send('Debugger.removeBreakpoint', { breakpointId: this.entry.cdpId }).catch(() => undefined);
      this.entry = undefined;
      return this.events.stopped({ reason: 'entry' });
    }
    if (e.reason === 'exception' || e.reason === 'promiseRejection') {
      if (!this.exceptionFilters.has('all') && this.caughtByApp(e)) return this.goOn();
      return this.events.stopped({ reason: 'exception', text: this.exceptionInfo()?.description });
    }
    if (this.breakpoints.knows(e.hitBreakpoints)) {
      const judged = this.breakpoints.judge(e.hitBreakpoints);
      for (const lp of judged.logpoints) await this.writeLogpoint(lp.logMessage!, e.callFrames[0], lp.file, lp.line);
      if (judged.stop) return this.events.stopped({ reason: 'breakpoint', hitBreakpointIds: judged.ids });
      // A step that lands on a breakpoint that does not stop (a logpoint, a hit count not reached) still ends there.
      if (action === 'step') return this.events.stopped({ reason: 'step' });
      return this.goOn();
    }
    // A step that ends on the execution guard's call (the first thing of every function and loop
    // body) goes on to the author's next statement: the guard is not part of app.js.
    if (action === 'step' && (await this.atGuardCall(e.callFrames[0].location))) {
      this.lastAction = 'step';
      await this.cdp.send('Debugger.stepOver', {}).catch(() => undefined);
      return;
    }
    this.events.stopped({ reason: action ?? 'pause' });
  }

  private async atGuardCall(location: Protocol.Debugger.Location): Promise<boolean> {
    if (!this.scripts.appFileOf(location.scriptId)) return false;
    try {
      const code = await this.scripts.source(location.scriptId, async () => (await this.cdp.send('Debugger.getScriptSource', { scriptId: location.scriptId })).scriptSource);
      const line = code.split('\n')[location.lineNumber] ?? '';
      return line.startsWith(`${GUARD_ALIAS}()`, location.columnNumber ?? 0);
    } catch {
      return false;
    }
  }

  private async goOn(): Promise<void> {
    this.paused = undefined;
    await this.cdp.send('Debugger.resume', {}).catch(() => undefined);
  }

  /** Whether a frame of the app, from the throw outwards, sits in a try block with a catch. */
  private caughtByApp(e: Protocol.Debugger.PausedEvent): boolean {
    for (const f of e.callFrames) {
      const file = this.scripts.appFileOf(f.location.scriptId);
      if (!file) {
        // The runtime's code: past the app's outermost frame, the prelude's own try is not the app's.
        if (e.callFrames.indexOf(f) === 0) continue;
        return false;
      }
      const at = this.scripts.original(f.location);
      if (this.tryBlocks.catches(file, at.line, at.column)) return true;
    }
    return false;
  }

  /** A logpoint's message, with each {expression} evaluated in the frame. */
  private async writeLogpoint(message: string, frame: Protocol.Debugger.CallFrame, file: string, line: number): Promise<void> {
    const parts = message.split(/(\{[^{}]+\})/);
    let text = '';
    for (const part of parts) {
      if (!/^\{[^{}]+\}$/.test(part)) {
        text += part;
        continue;
      }
      const r = await this.cdp.send('Debugger.evaluateOnCallFrame', { callFrameId: frame.callFrameId, expression: part.slice(1, -1), silent: true }).catch((err: Error) => ({ result: { type: 'string', value: `<${err.message}>` } as Protocol.Runtime.RemoteObject, exceptionDetails: undefined }));
      text += r.exceptionDetails ? `<${r.exceptionDetails.exception?.description?.split('\n')[0] ?? 'error'}>` : r.result.type === 'string' ? String(r.result.value) : describe(r.result);
    }
    this.events.output('stdout', `${text}\n`, { file, line, column: 1 });
  }

  private async applyExceptionFilters(): Promise<void> {
    // Both filters need V8 to stop on every exception: the prelude catches each one (see try-blocks.ts).
    await this.cdp.send('Debugger.setPauseOnExceptions', { state: this.exceptionFilters.size ? 'all' : 'none' });
  }

  private async setEntryBreakpoint(): Promise<void> {
    if (!this.entry) return;
    const r = await this.cdp.send('Debugger.setBreakpointByUrl', { url: this.scripts.urlOf(this.entry.file), lineNumber: 0 });
    this.entry.cdpId = r.breakpointId;
  }

  private frame(dapFrameId: number): Protocol.Debugger.CallFrame | undefined {
    return this.paused?.callFrames[dapFrameId % 10_000];
  }

  private topAppFrame(): Protocol.Debugger.CallFrame | undefined {
    return this.paused?.callFrames.find((f) => this.scripts.appFileOf(f.location.scriptId));
  }
}

/** DAP frame ids: the index in V8's call frames (a runtime label gets a distinct range). */
function frameId(kind: 'app' | typeof RUNTIME_FRAME, index: number): number {
  return (kind === 'app' ? 0 : 10_000) + index;
}
