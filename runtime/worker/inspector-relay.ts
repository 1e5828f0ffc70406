/**
 * A debug session's link to the engine thread's V8 inspector, held by the warden (worker-main.ts).
 * The warden's own inspector session attaches to each engine thread through Node's NodeWorker
 * domain, so the debugger reaches the thread where the apps run without any network port: the
 * messages travel on the worker's IPC channel, which only the host holds.
 *
 * It also keeps the pause counter (execution-clock.ts): while the thread is paused in the
 * debugger, CPU limits do not count, and the warden does not stop an execution for running late.
 *
 * Node's permission model turns the inspector off, so a worker with this relay runs without it
 * (the vm sandbox stays); the host says so when it starts a debug session.
 */
import * as inspector from 'node:inspector';
import type { InspectorAttachedMessage, InspectorMessage } from '../host/protocol';
import { PAUSE_COUNTER_BYTES } from '../sandbox/execution-clock';

export class InspectorRelay {
  /** Shared with each engine thread: total ms spent paused (see execution-clock.ts). */
  readonly pauseCounter = new SharedArrayBuffer(PAUSE_COUNTER_BYTES);
  private readonly pausedMs = new Float64Array(this.pauseCounter, 0, 1);
  private readonly session = new inspector.Session();
  /** The NodeWorker session of the current engine thread. */
  private threadSession: string | undefined;
  /** performance.now() when the thread paused, and the counter's value then. */
  private pause: { at: number; base: number } | undefined;

  constructor(private readonly send: (m: InspectorMessage | InspectorAttachedMessage) => void) {
    this.session.connect();
    this.session.on('NodeWorker.attachedToWorker', ({ params }) => {
      this.endPause();
      this.threadSession = params.sessionId;
      this.send({ kind: 'inspector-attached' });
    });
    this.session.on('NodeWorker.detachedFromWorker', ({ params }) => {
      if (params.sessionId !== this.threadSession) return;
      this.threadSession = undefined;
      this.endPause();
    });
    this.session.on('NodeWorker.receivedMessageFromWorker', ({ params }) => {
      if (params.sessionId !== this.threadSession) return;
      this.observe(params.message);
      this.send({ kind: 'inspector', message: params.message });
    });
    // Each engine thread waits, before it runs anything, for the debugger to set its breakpoints.
    this.session.post('NodeWorker.enable', { waitForDebuggerOnStart: true });
  }

  /** A command from the host's debugger to the current engine thread (dropped when there is none). */
  toThread(message: string): void {
    if (this.threadSession === undefined) return;
    this.session.post('NodeWorker.sendMessageToWorker', { sessionId: this.threadSession, message });
  }

  get paused(): boolean {
    return this.pause !== undefined;
  }

  /** Total ms the engine thread has spent paused, the current pause included. */
  pausedTotal(): number {
    return this.pause ? this.pause.base + (performance.now() - this.pause.at) : this.pausedMs[0];
  }

  /**
   * Called on the warden's watch tick: while paused, the shared counter follows the clock, so the
   * thread, once resumed, never reads a counter that misses most of the pause (the resumed event
   * reaches the warden a little after the thread runs again).
   */
  tick(): void {
    if (this.pause) this.pausedMs[0] = this.pausedTotal();
  }

  private observe(message: string): void {
    // Only two events matter here; most messages are responses and other events.
    if (!message.includes('"Debugger.paused"') && !message.includes('"Debugger.resumed"')) return;
    let method: unknown;
    try {
      method = (JSON.parse(message) as { method?: unknown }).method;
    } catch {
      return;
    }
    if (method === 'Debugger.paused' && !this.pause) this.pause = { at: performance.now(), base: this.pausedMs[0] };
    else if (method === 'Debugger.resumed') this.endPause();
  }

  private endPause(): void {
    if (!this.pause) return;
    this.pausedMs[0] = this.pausedTotal();
    this.pause = undefined;
  }
}
