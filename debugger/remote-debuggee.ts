/**
 * A debug session's debuggee when it attaches to an app running on a Thing of a platform: the
 * Thing's agent moves it onto a debug worker of its own and relays that worker's V8 inspector over
 * the broker, through the Thing's JS Shell (platform/agent/debug-attachment.ts). The inspector is
 * driven by the same InspectorController as a launched app's, so breakpoints, stepping, variables
 * and evaluation are the same; the app's files are the workspace folder's, mapped to the name the
 * Thing gives the script. The Thing's own devices and clock drive it: there is no simulator input
 * and no step back (a real clock cannot be replayed).
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { TypedEmitter } from '../runtime/engine/typed-emitter';
import { ShellClient, type ShellCall } from '../platform/shell/shell-client';
import type { ShellResponse } from '../platform/protocol';
import type { AppDebuggerEvents, OutputLine } from './app-debugger';
import type { ResolvedAttach } from './attach-config';
import type { BreakpointIds } from './breakpoints';
import { InspectorController } from './inspector-controller';
import type { SimulatorRequest, SimulatorRequests } from './simulator-requests';

/** A keep-alive this often: the Thing detaches a debugger silent for 30 s (DEBUG_LEASE_MS). */
const KEEPALIVE_MS = 10_000;
/** How long a log follow waits for a Thing's first line (the longest a timer takes: ~24 days). */
const LOG_FOLLOW_WAIT_MS = 2 ** 31 - 1;
/** The Thing's first answer to the attach, at most (it moves the Thing onto a worker of its own). */
const ATTACH_ANSWER_MS = 15_000;

export class RemoteDebuggee extends TypedEmitter<AppDebuggerEvents> {
  readonly controller: InspectorController;
  /** What the session shows: the app's name; a real clock, so no step back. */
  readonly launch: { clock: 'real'; pkg: { name: string } };
  private client: ShellClient | undefined;
  private session: ShellCall | undefined;
  private logs: ShellCall | undefined;
  private outbox: string[] = [];
  private flushing = false;
  private keepalive: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(readonly target: ResolvedAttach, breakpointIds?: BreakpointIds) {
    super();
    this.launch = { clock: 'real', pkg: { name: target.name } };
    this.controller = new InspectorController(target.appDir, {
      stopped: (info) => this.emit('stopped', info),
      output: (category, text, place) => this.emit('output', { category, text, place }),
      breakpoint: (bp: DebugProtocol.Breakpoint) => this.emit('breakpoint', bp),
    }, breakpointIds, `/smartplug/${target.thingId}/${target.installation}`);
  }

  /** Connects, asks the Thing to attach, and resolves once the app runs under the debugger (or has stopped). */
  async start(): Promise<void> {
    const t = this.target;
    this.client = await ShellClient.connect({ brokerUrl: t.brokerUrl, token: t.token, brokerCa: t.brokerCa, timeoutMs: ATTACH_ANSWER_MS }).catch((e: Error) => {
      throw new Error(`attach: could not reach the broker at ${t.brokerUrl}: ${e.message}`);
    });
    this.say('console', `SmartPlug: attaching to ${t.name} (installation ${t.installation}) on ${t.thingId} through ${t.brokerUrl}. While attached, ${t.thingId} runs on a worker of its own without Node's permission model (the apps' vm sandbox and limits stay), and all its apps pause at a breakpoint.`);
    const session = this.client.request(t.thingId, t.credential, 'debug', { app: t.installation });
    this.session = session;
    const firstAttach = new Promise<void>((resolve, reject) => {
      void this.follow(session, resolve).catch(reject);
    });
    await firstAttach;
    this.keepalive = setInterval(() => this.client?.send(t.thingId, t.credential, 'cdp', { session: session.respond, messages: [] }, session.respond), KEEPALIVE_MS);
    this.keepalive.unref();
    void this.followLogs();
  }

  /** The session's stream: the inspector's messages, each new engine thread, and its end. */
  private async follow(session: ShellCall, attached: () => void): Promise<void> {
    for await (const r of session) {
      if (r.done) return this.ended(r);
      for (const feed of r.debug ?? []) {
        if (feed.kind === 'cdp') this.controller.receive(feed.message);
        else {
          // An engine thread ready for the debugger (the first, or one after a lost one): set it up, let it run.
          void this.controller.attach((message) => this.toInspector(message)).then(attached, (e: Error) => this.say('stderr', `the debugger could not attach to the engine thread: ${e.message}`));
        }
      }
    }
  }

  private ended(r: ShellResponse): void {
    if (r.error) {
      const reason = r.error.code === 'busy' ? r.error.message : `${this.target.thingId} refused: ${r.error.message}`;
      if (!this.keepalive) throw new Error(reason);
      this.say('stderr', reason);
    } else this.say('console', `the debug session on ${this.target.thingId} ended: ${(r.result as { ended?: string } | undefined)?.ended ?? 'detached'}`);
    if (!this.closed) this.emit('exited', { code: 0 });
  }

  /** The debugger's inspector messages, sent together once per turn, in order. */
  private toInspector(message: string): void {
    this.outbox.push(message);
    if (this.flushing) return;
    this.flushing = true;
    setImmediate(() => {
      this.flushing = false;
      const messages = this.outbox;
      this.outbox = [];
      const t = this.target;
      if (this.session && messages.length) this.client?.send(t.thingId, t.credential, 'cdp', { session: this.session.respond, messages }, this.session.respond);
    });
  }

  /** The Thing's log lines in the Debug Console, as they come. */
  private async followLogs(): Promise<void> {
    const t = this.target;
    // A quiet Thing says nothing for a long time: that is no reason to stop following it.
    this.logs = this.client?.request(t.thingId, t.credential, 'logs', { follow: true, lines: 0 }, { timeoutMs: LOG_FOLLOW_WAIT_MS });
    if (!this.logs) return;
    try {
      for await (const r of this.logs) {
        for (const line of r.output ?? []) this.emit('output', { category: line.level === 'error' || line.level === 'warn' ? 'stderr' : 'stdout', text: `${line.source === `app:${t.name}` ? '' : `[${line.source}] `}${line.message}\n` });
      }
    } catch {
      /* the session ended */
    }
  }

  simulate<K extends SimulatorRequest>(command: K, _args: SimulatorRequests[K]['args']): Promise<SimulatorRequests[K]['body']> {
    return Promise.reject(new Error(`${command}: the simulator controls are for a launched app; an app attached to on ${this.target.thingId} runs on the Thing's own devices and clock`));
  }

  /** The JS Shell's evaluation in the app's sandbox on the Thing, while the app is not paused. */
  async evaluateRunning(expression: string): Promise<string> {
    const t = this.target;
    const r = await this.client!.eval(t.thingId, t.credential, expression, t.installation);
    if (r.error) throw new Error(r.error.message);
    return String(r.result);
  }

  /** Detaches: the Thing goes back onto a shared worker, its apps running on. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.keepalive);
    const t = this.target;
    if (this.controller.isPaused) await Promise.race([this.controller.release().catch(() => undefined), new Promise((r) => setTimeout(r, 500))]);
    this.controller.cdp.failPending('the session ended');
    if (this.client && this.session) {
      if (this.logs) await this.client.cancel(t.thingId, t.credential, this.logs).catch(() => undefined);
      await this.client.request(t.thingId, t.credential, 'detach', { session: this.session.respond }).final.catch(() => undefined);
    }
    await this.client?.close();
  }

  private say(category: OutputLine['category'], text: string): void {
    this.emit('output', { category, text: `${text}\n` });
  }
}
