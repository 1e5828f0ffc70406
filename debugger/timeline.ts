/**
 * Step back: a session on a virtual clock is deterministic (the same app, devices, config, clock
 * start and seeded random, and the same inputs in the same order), so any earlier stop can be
 * reached again by running the session anew and replaying what was done, silently, until that stop.
 * The timeline records what changes the debuggee: breakpoints and exception filters, simulator
 * input, stepping, and evaluations that may change state, each with the number of stops seen
 * before it; and every stop.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { AppDebugger } from './app-debugger';
import type { StopReason } from './inspector-controller';
import type { SimulatorRequest } from './simulator-requests';

export type TimelineAction =
  | { kind: 'breakpoints'; file: string; wanted: DebugProtocol.SourceBreakpoint[] }
  | { kind: 'exceptions'; filters: string[] }
  | { kind: 'control'; command: 'continue' | 'over' | 'into' | 'out' | 'pause' }
  | { kind: 'input'; command: SimulatorRequest; args: Record<string, unknown> }
  /** An evaluation in the paused top frame that may have changed the app (console, watch, set variable). */
  | { kind: 'evaluate'; expression: string; frameId: number | undefined };

interface Recorded {
  action: TimelineAction;
  /** Stops seen before it was done. */
  stopsBefore: number;
  /** Done before the debuggee started (breakpoints set before launch). */
  beforeStart: boolean;
}

export class Timeline {
  private actions: Recorded[] = [];
  private stops: StopReason[] = [];
  private started = false;
  /** While a replay runs, nothing is recorded. */
  replaying = false;

  record(action: TimelineAction): void {
    if (this.replaying) return;
    this.actions.push({ action, stopsBefore: this.stops.length, beforeStart: !this.started });
  }

  markStarted(): void {
    this.started = true;
  }

  stopped(reason: StopReason): void {
    if (!this.replaying) this.stops.push(reason);
  }

  /** The number of the stop the session is at (1 = the first), 0 before any. */
  get position(): number {
    return this.stops.length;
  }

  /** The stop before the current one. */
  previousStop(): number | undefined {
    return this.stops.length >= 2 ? this.stops.length - 1 : undefined;
  }

  /** The last stop before the current one that a breakpoint, an exception or the entry made. */
  previousBreak(): number | undefined {
    for (let n = this.stops.length - 1; n >= 1; n--) if (this.stops[n - 1] !== 'step' && this.stops[n - 1] !== 'pause') return n;
    return undefined;
  }

  reasonOf(stop: number): StopReason {
    return this.stops[stop - 1];
  }

  /** What is done before the debuggee starts. */
  setup(): TimelineAction[] {
    return this.actions.filter((a) => a.beforeStart).map((a) => a.action);
  }

  /**
   * Starts a fresh debuggee (its setup first) and drives it to stop number `target`:
   * performs the recorded actions, each once as many stops have been seen as when it was first
   * done, until the target stop. The timeline then ends there (what follows is a new future).
   */
  async replay(d: AppDebugger, target: number, timeoutMs = 60_000): Promise<void> {
    let stops = 0;
    const onStop = () => stops++;
    d.on('stopped', onStop);
    const deadline = Date.now() + timeoutMs;
    const until = async (check: () => boolean, what: string) => {
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`stepping back did not reach stop ${target}: it waited for ${what}; the session was not deterministic (a real clock, or a pause request?)`);
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    try {
      for (const a of this.setup()) await perform(d, a);
      await d.start();
      let kept = this.actions.filter((a) => a.beforeStart).length;
      const later = this.actions.filter((a) => !a.beforeStart);
      for (let i = 0; i < later.length; ) {
        const rec = later[i];
        if (rec.stopsBefore >= target) break;
        await until(() => stops >= rec.stopsBefore, `stop ${rec.stopsBefore}`);
        if (stops >= target) break;
        // A run of simulator inputs given with no stop between them is sent at once: the worker
        // runs them in the order sent, as it ran them when they were given one by one.
        const run = [rec];
        while (isPipelined(rec) && i + run.length < later.length && isPipelined(later[i + run.length]) && later[i + run.length].stopsBefore === rec.stopsBefore) run.push(later[i + run.length]);
        await Promise.all(run.map((r) => perform(d, r.action)));
        kept += run.length;
        i += run.length;
      }
      await until(() => stops >= target, `stop ${target}`);
      await until(() => d.controller.isPaused, 'the debuggee to pause');
      this.actions = this.actions.slice(0, kept);
      this.stops = this.stops.slice(0, target);
    } finally {
      d.off('stopped', onStop);
    }
  }
}

/**
 * Inputs whose call reaches the worker at once when performed (no question asked of it first, as
 * firing a job or calling an endpoint does): performed back to back, they arrive in their order.
 */
const PIPELINED = new Set<string>(['smartplug/injectEvent', 'smartplug/advanceClock', 'smartplug/setMode']);

function isPipelined(r: Recorded): boolean {
  return r.action.kind === 'input' && PIPELINED.has(r.action.command);
}

/** Does one recorded action again, on a replayed debuggee. */
export async function perform(d: AppDebugger, a: TimelineAction): Promise<void> {
  switch (a.kind) {
    case 'breakpoints':
      await d.controller.setBreakpoints(a.file, a.wanted);
      return;
    case 'exceptions':
      await d.controller.setExceptionFilters(a.filters);
      return;
    case 'control':
      if (a.command === 'continue') await d.controller.resume();
      else if (a.command === 'pause') await d.controller.pause();
      else await d.controller.step(a.command);
      return;
    case 'evaluate':
      await d.controller.evaluate(a.expression, a.frameId, 'repl').catch(() => undefined);
      return;
    case 'input':
      await d.simulate(a.command, a.args).catch(() => undefined);
      return;
  }
}
