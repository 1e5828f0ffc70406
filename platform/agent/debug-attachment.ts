/**
 * A debugger attached to one app of a Thing, through its JS Shell (the `debug`, `cdp` and `detach`
 * actions; the same credential). The Thing moves onto a worker of its own in debug mode, so a
 * breakpoint pauses its apps and not the other Things of its shared worker; the engine thread's V8
 * inspector is relayed both ways on the broker: its messages on the debug request's respond topic
 * (the session), the debugger's in `cdp` requests. The debugged app's script gets a name of its own
 * there (/smartplug/{SID}/{installation_id}/app.js), so the debugger tells it from the Thing's other
 * apps (every bundle's script is app.js). A debugger that goes silent for DEBUG_LEASE_MS (it
 * crashed, its network went) is detached, and the Thing goes back onto a shared worker: a session
 * can never leave a Thing paused for good.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ThingJournal } from '../../runtime/host/thing-journal';
import type { ShellHost } from './shell-service';
import type { ShellStream } from './shell-stream';
import { CdpGuard } from './cdp-guard';

/** A session without a `cdp` request (a keep-alive is an empty one) for this long is ended. */
export const DEBUG_LEASE_MS = 30_000;
/** The name every bundle's script has on a Thing (platform/bundle: APP_SCRIPT). */
const BUNDLE_SCRIPT = 'app.js';

interface Attachment {
  session: string;
  stream: ShellStream;
  installationId: number;
  appId: string;
  app: string;
  /** where the debugger's messages go: the current engine thread's inspector */
  to: ((message: string) => void) | undefined;
  /** what the debugger may ask of it: the app's realm only */
  guard: CdpGuard;
  lease: NodeJS.Timeout | undefined;
}

/** The script name the debugged app has on the debug worker. */
export function debuggedScriptFile(thingId: string, installationId: number): string {
  return `/smartplug/${thingId}/${installationId}/app.js`;
}

export class DebugAttachments {
  private current: Attachment | undefined;

  constructor(
    private readonly host: ShellHost,
    private readonly leaseMs = DEBUG_LEASE_MS,
  ) {}

  async attach(installationId: number, stream: ShellStream): Promise<void> {
    const { thingId } = this.host;
    if (this.current) return stream.fail('busy', `a debugger is attached to ${thingId} already (to ${this.current.app}); one debugger at a time: detach it first`);
    const installed = this.host.installations();
    const app = installed.find((i) => i.installationId === installationId);
    if (!app) {
      const list = installed.map((i) => `${i.installationId} (${i.app})`).join(', ') || 'none';
      return stream.fail('unknown-app', `${thingId} has no app with installation id ${installationId}; its apps: ${list}`);
    }
    const scriptFile = debuggedScriptFile(thingId, installationId);
    const guard = new CdpGuard(pathToFileURL(path.posix.dirname(scriptFile) + '/').href);
    const attachment: Attachment = { session: stream.respond, stream, installationId, appId: app.appId, app: app.app, to: undefined, guard, lease: undefined };
    this.current = attachment;
    this.renew(attachment);
    // Not while a Bundle Sync re-spawns the Thing.
    await this.host.idle();
    try {
      await this.host.pool.isolate(
        thingId,
        (m, to) => {
          if (this.current !== attachment) return;
          if (m.kind === 'inspector') {
            guard.fromInspector(m.message);
            return stream.debug({ kind: 'cdp', message: m.message });
          }
          guard.reset();
          attachment.to = to;
          stream.debug({ kind: 'attached' });
        },
        (journal) => nameScript(journal, app.appId, scriptFile),
      );
    } catch (e) {
      // Detached meanwhile (its lease ran out before it attached): the detach ends the session and says why.
      if (this.current !== attachment) return;
      this.forget(attachment);
      return stream.fail('failed', `the debugger could not attach to ${app.app} on ${thingId}: ${(e as Error).message}`);
    }
    if (this.current !== attachment) return;
    this.host.event('warning', `a debugger attached to ${app.app} (installation ${installationId}): until it detaches, ${thingId} runs on a worker of its own without Node's permission model (the apps' vm sandbox and limits stay), and its apps pause at the debugger's breakpoints`, 'debug-attached');
  }

  /** The debugger's inspector messages (none: a keep-alive). Messages for another session are dropped. */
  cdp(session: string, messages: string[]): void {
    const a = this.current;
    if (a?.session !== session) return;
    this.renew(a);
    for (const m of messages) {
      const verdict = a.guard.check(m);
      if (verdict.ok) a.to?.(m);
      else {
        // Answered, so the debugger does not wait; said on the Thing's own channel too.
        if (verdict.reply) a.stream.debug({ kind: 'cdp', message: verdict.reply });
        this.host.event('warning', `refused a debugger's request to ${this.host.thingId}'s inspector: ${verdict.reason}`, 'debug-refused');
      }
    }
  }

  /** Ends the session: the Thing goes back onto a shared worker. False when there is no such session. */
  async detach(session: string, why: string): Promise<boolean> {
    const a = this.current;
    if (a?.session !== session) return false;
    this.forget(a);
    try {
      await this.host.pool.reunite(this.host.thingId, (journal) => nameScript(journal, a.appId, BUNDLE_SCRIPT));
    } finally {
      a.stream.done({ ended: why });
      this.host.event('info', `the debugger of ${a.app} detached (${why}); ${this.host.thingId} is back on a shared worker`, 'debug-detached');
    }
    return true;
  }

  /** The agent stops: the session ends with it (its worker goes with the pool). */
  close(): void {
    const a = this.current;
    if (!a) return;
    this.forget(a);
    a.stream.done({ ended: 'the agent stopped' });
  }

  private renew(a: Attachment): void {
    clearTimeout(a.lease);
    a.lease = setTimeout(() => void this.detach(a.session, `no word from the debugger for ${this.leaseMs / 1000} s`).catch(() => undefined), this.leaseMs);
    a.lease.unref();
  }

  private forget(a: Attachment): void {
    clearTimeout(a.lease);
    if (this.current === a) this.current = undefined;
  }
}

/** Gives the app's script another name in the journal (the Thing is created again from it). */
function nameScript(journal: ThingJournal, appId: string, scriptFile: string): void {
  const stored = journal.apps.get(appId);
  if (stored) stored.request = { ...stored.request, source: { ...stored.request.source, scriptFile } };
}
