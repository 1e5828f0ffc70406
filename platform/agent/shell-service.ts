/**
 * A Thing's JS Shell service (issue 15, "JS Shell service"): requests on glp/0/{SID}/rq/=shell/do,
 * answers on each request's respond topic under the Thing's own glp/0/{SID}/ev/=shell/. It
 * evaluates expressions (in an app's context or the Thing's shell context, output streamed), lists
 * the apps, tails and follows the log lines it keeps, and restarts the Thing's apps (a re-spawn,
 * state kept). Only a caller holding the Thing's shell credential is answered: any other request
 * gets no answer at all (the caller may be probing), and an error event on the Thing's own channel
 * says so, without the credential.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { WorkerPool } from '../../runtime/host/worker-pool';
import type { Thing } from '../../runtime/host/thing';
import { SHELL_CONTEXT_ID } from '../../runtime/engine/app-ids';
import type { EvalTarget } from '../../runtime/engine/shell-eval';
import type { LogRecord } from '../../runtime/engine/records';
import { checkPayload, iapNow, isShellRespondTopic, MAX_PAYLOAD_BYTES, topics, type AppStatus, type IapError, type ShellAppInfo, type ShellLogLine, type ShellRequest, type ShellResults } from '../protocol';
import { LINES_PER_CHUNK, ShellStream } from './shell-stream';
import { DebugAttachments } from './debug-attachment';
import { ShellRecordings } from './shell-recordings';
import type { Recording } from '../../runtime/scenario/from-recording';

/** One app of the Thing as its agent knows it. */
export interface ShellInstallation {
  installationId: number;
  /** its id in the Thing's runtime */
  appId: string;
  /** its name in the App Store */
  app: string;
  version: string;
  status: AppStatus;
}

/** What the shell needs of its Thing's agent. */
export interface ShellHost {
  thingId: string;
  /** the Thing's shell credential; without one, no request is answered */
  credential: string | undefined;
  thing: Thing;
  pool: WorkerPool;
  installations(): ShellInstallation[];
  /** publishes QoS 1, not retained */
  publish(topic: string, payload: string): void;
  /** an event on the Thing's own ev/{category} channel */
  event(cat: IapError['cat'], message: string, code: string): void;
  /** resolves when no Bundle Sync runs (a restart waits for it) */
  idle(): Promise<void>;
  /** the instance object of an installation, as provisioned (a recording's config) */
  instanceOf(installationId: number): Recording['instance'] | undefined;
}

/** Log lines kept for `logs` (a ring: the oldest goes). */
export const SHELL_LOG_LINES = 200;
/** Streams following the log at once, per Thing; one more ends the oldest. */
export const MAX_FOLLOWERS = 8;
/** Evaluations waiting their turn, per Thing. */
export const MAX_QUEUED_EVALS = 16;
const MAX_LINE_CHARS = 8192;
/** The JSON of a request's `meta`, at most. */
export const MAX_META_CHARS = 4096;

export class ShellService {
  private readonly ring: ShellLogLine[] = [];
  private readonly followers = new Map<string, ShellStream>();
  private readonly credentialHash: Buffer | undefined;
  private evalChain: Promise<void> = Promise.resolve();
  private queuedEvals = 0;
  /** The evaluation under way: its log lines go to its stream. */
  private evaluating: { appId: string; stream: ShellStream } | undefined;

  /** A debugger attached to an app of the Thing (the `debug`, `cdp` and `detach` actions). */
  private readonly debugs: DebugAttachments;
  /** Recordings of apps (the `record` action). */
  readonly recordings: ShellRecordings;

  constructor(private readonly host: ShellHost, debugLeaseMs?: number) {
    this.credentialHash = host.credential ? digest(host.credential) : undefined;
    this.debugs = new DebugAttachments(host, debugLeaseMs);
    this.recordings = new ShellRecordings(host, (id) => host.instanceOf(id));
    host.thing.on('log', (r) => this.onLog(r));
  }

  /** One message on the Thing's rq/=shell/do. */
  receive(payload: Buffer): void {
    const { thingId } = this.host;
    const topic = topics.shellRequest(thingId);
    let value: unknown;
    if (payload.length <= MAX_PAYLOAD_BYTES) {
      try {
        value = JSON.parse(payload.toString('utf8'));
      } catch {
        value = undefined;
      }
    }
    const request = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
    const auth = typeof request?.auth === 'string' ? request.auth : undefined;
    if (!this.authorized(auth)) {
      const why = !request ? 'it is not a JSON object' : auth === undefined ? 'it carries no shell credential ("auth")' : 'its shell credential is wrong';
      this.host.event('error', `refused a JS Shell request on ${topic}: ${why}; it was not answered`, 'shell-auth');
      return;
    }
    const respond = request!.respond;
    if (typeof respond !== 'string' || !isShellRespondTopic(thingId, respond)) {
      const shown = typeof respond === 'string' ? JSON.stringify(respond.slice(0, 200)) : 'missing';
      this.host.event('error', `refused a JS Shell request on ${topic}: its respond topic (${shown}) is not a topic under ${topics.shellResponses(thingId).slice(0, -1)}, where this Thing answers; it was not answered`, 'shell-respond');
      return;
    }
    const meta = request!.meta ?? null;
    const metaChars = JSON.stringify(meta).length;
    // meta is echoed in every answer (a follow's too): a large one would multiply.
    if (metaChars > MAX_META_CHARS) {
      new ShellStream(this.host, respond, null).fail('malformed', `${topic}: "meta" is ${metaChars} characters of JSON; the limit is ${MAX_META_CHARS} (it is echoed in every answer)`);
      return;
    }
    const stream = new ShellStream(this.host, respond, meta);
    const checked = checkPayload('shellRequest', value, topic);
    if (!checked.ok) {
      stream.fail('malformed', checked.error);
      return;
    }
    this.handle(checked.value, stream).catch((e: Error) => stream.fail('failed', e.message));
  }

  /** The agent stops: followers end with it. */
  close(): void {
    this.followers.clear();
    this.debugs.close();
    this.recordings.close();
  }

  private async handle(request: ShellRequest, stream: ShellStream): Promise<void> {
    switch (request.action) {
      case 'eval':
        return this.evaluate(request.args.app, request.args.expression, stream);
      case 'apps':
        return stream.done(await this.apps());
      case 'logs':
        return this.logs(request.args?.lines ?? 20, request.args?.follow === true, stream);
      case 'cancel': {
        // A log follow ends; a recording ends, answering what it recorded.
        const follower = this.followers.get(request.args.respond);
        if (follower) {
          this.followers.delete(request.args.respond);
          follower.done({ lines: follower.lines, cancelled: true } satisfies ShellResults['logs']);
        }
        const recording = this.recordings.finish(request.args.respond, 'cancel');
        return stream.done({ cancelled: follower || recording ? 1 : 0 } satisfies ShellResults['cancel']);
      }
      case 'record':
        return this.recordings.start(request.args.app, request.args.seconds ?? 300, stream);
      case 'debug':
        return this.debugs.attach(request.args.app, stream);
      case 'cdp':
        // No answer: the inspector's come on the session.
        return this.debugs.cdp(request.args.session, request.args.messages);
      case 'detach':
        return stream.done({ detached: await this.debugs.detach(request.args.session, 'the debugger detached') } satisfies ShellResults['detach']);
      case 'restart': {
        await this.host.idle();
        const t0 = performance.now();
        const failures = await this.host.pool.respawnThing(this.host.thingId, () => undefined);
        const failed = failures.map((f) => ({ runtimeId: f.appId, error: f.error }));
        return stream.done({ apps: this.host.installations().length, durationMs: Math.round(performance.now() - t0), failed } satisfies ShellResults['restart']);
      }
    }
  }

  private evaluate(installationId: number | undefined, expression: string, stream: ShellStream): Promise<void> {
    let target: EvalTarget = { shell: true };
    if (installationId !== undefined) {
      const installed = this.host.installations();
      const app = installed.find((i) => i.installationId === installationId);
      if (!app) {
        const list = installed.map((i) => `${i.installationId} (${i.app})`).join(', ') || 'none';
        stream.fail('unknown-app', `${this.host.thingId} has no app with installation id ${installationId}; its apps: ${list}. Leave "app" out to evaluate in the Thing's shell context`);
        return Promise.resolve();
      }
      target = { appId: app.appId };
    }
    if (this.queuedEvals >= MAX_QUEUED_EVALS) {
      stream.fail('busy', `${MAX_QUEUED_EVALS} evaluations are waiting on ${this.host.thingId} already; send this one again when they are answered`);
      return Promise.resolve();
    }
    // One at a time, so the log lines under way are this evaluation's.
    this.queuedEvals++;
    const run = async () => {
      this.evaluating = { appId: 'appId' in target ? target.appId : SHELL_CONTEXT_ID, stream };
      try {
        const r = await this.host.thing.evaluate(target, expression);
        if (r.ok) stream.done(r.result satisfies ShellResults['eval']);
        else stream.fail('eval', r.error);
      } catch (e) {
        stream.fail('failed', (e as Error).message);
      } finally {
        this.evaluating = undefined;
        this.queuedEvals--;
      }
    };
    const next = this.evalChain.then(run);
    this.evalChain = next;
    return next;
  }

  private async apps(): Promise<ShellResults['apps']> {
    const { thing } = this.host;
    const running = new Map((await thing.listApps()).map((a) => [a.id, a]));
    return this.host.installations().map((i): ShellAppInfo => ({
      installation_id: i.installationId, app: i.app, version: i.version, name: thing.journal.labelOf(i.appId),
      status: i.status, runtimeId: i.appId, state: running.get(i.appId)?.state ?? null,
    }));
  }

  private logs(lines: number, follow: boolean, stream: ShellStream): void {
    if (follow && !this.followers.has(stream.respond) && this.followers.size >= MAX_FOLLOWERS) {
      // A caller that went away without cancelling must not lock the others out: the oldest follow ends.
      const [oldest, follower] = this.followers.entries().next().value!;
      this.followers.delete(oldest);
      follower.done({ lines: follower.lines, cancelled: true } satisfies ShellResults['logs']);
    }
    const tail = lines > 0 ? this.ring.slice(-lines) : [];
    for (let i = 0; i < tail.length; i += LINES_PER_CHUNK) stream.output(tail.slice(i, i + LINES_PER_CHUNK));
    if (!follow) {
      stream.done({ lines: tail.length, cancelled: false } satisfies ShellResults['logs']);
      return;
    }
    this.followers.get(stream.respond)?.done({ lines: 0, cancelled: true });
    this.followers.set(stream.respond, stream);
  }

  private onLog(r: LogRecord): void {
    const line: ShellLogLine = {
      utc: iapNow(r.time), level: r.level, source: r.appId === SHELL_CONTEXT_ID ? 'shell' : r.appId ? `app:${r.appLabel}` : 'runtime',
      message: r.message.length > MAX_LINE_CHARS ? r.message.slice(0, MAX_LINE_CHARS - 1) + '…' : r.message,
    };
    this.ring.push(line);
    if (this.ring.length > SHELL_LOG_LINES) this.ring.shift();
    if (r.shell && this.evaluating?.appId === r.appId) this.evaluating.stream.output([line]);
    for (const follower of this.followers.values()) follower.output([line]);
  }

  private authorized(auth: string | undefined): boolean {
    if (auth === undefined || !this.credentialHash) return false;
    return timingSafeEqual(digest(auth), this.credentialHash);
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
