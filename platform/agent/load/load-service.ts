/**
 * The load actions of one Thing (seed 002, issue 19): a `do load` on `glp/0/{SID}/rq/do` (the Thing
 * itself) or `glp/0/{SID}/rq/dev/{protocol}/{handle}/do` (one of its devices) is checked, its image
 * retrieved and checked, prepared by its method, and applied at its switchover: at once when
 * `switchover` is absent or past, later otherwise. Loads run one at a time, in arrival order, as IAP
 * queues do actions. A load that fails at any stage changes nothing: the Thing runs what it had, and
 * the completion object's error names the stage. A system image reboots the Thing and is rolled back
 * when its confirmation fails.
 */
import type { MqttClient } from 'mqtt';
import { formatIapTimestamp, loadCompletion, completionPublishOptions } from '../../../runtime/load-actions';
import { iapEvent, type IapError, type ScheduledLoad } from '../../protocol';
import { DEFAULT_DOWNLOAD_LIMITS, type DownloadLimits } from '../../load/http-download';
import { asLoadFailure, LoadFailure } from '../../load/load-failure';
import { checkType, parseDoEnvelope, parseLoadRequest, switchoverAt, targetLabel, targetOf, type LoadRequest } from '../../load/load-request';
import { prepareImage, removeDirs, type DeclaredMethod, type PreparedLoad } from './prepare-image';
import { retrieveImage } from '../../load/retrieve-image';
import { runConfinedScript } from './confined-script';
import type { InstalledImages, ThingImages } from './thing-images';

export interface LoadServiceOptions {
  thingId: string;
  /** the Thing's type (its About model), matched by `type` */
  model: string;
  images: ThingImages;
  /** a device's type, or undefined when the Thing has no such device */
  deviceType: (handle: string) => string | undefined;
  broker: () => MqttClient | undefined;
  publish: (topic: string, payload: string, options: { qos: 1; retain: boolean }) => void;
  event: (cat: IapError['cat'], message: string, code?: string) => void;
  /** the Thing's simulated reboot: apps re-created from their journal; what failed to start */
  reboot: () => Promise<string[]>;
  /** say what is installed now (the images state and the About version) */
  announce: () => void;
  declared?: ReadonlyMap<string, DeclaredMethod>;
  limits?: DownloadLimits;
  scriptTimeoutMs?: number;
  tmpDir?: string;
}

const SCRIPT_TIMEOUT_MS = 60_000;
/** setTimeout's longest delay; a later switchover is waited for in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class LoadService {
  private queue: Promise<void> = Promise.resolve();
  private readonly scheduled = new Map<LoadRequest, { timer: NodeJS.Timeout; at: number; prepared: PreparedLoad }>();
  /** Aborted when the Thing stops: the load in flight ends where it is (a new one for each start). */
  private stopping = new AbortController();

  constructor(private readonly options: LoadServiceOptions) {}

  /** Whether `topic` is a do topic of this Thing (the agent subscribes to these). */
  handles(topic: string): boolean {
    return targetOf(this.options.thingId, topic) !== undefined;
  }

  /** The do topics to subscribe to. */
  get subscriptions(): string[] {
    const id = this.options.thingId;
    return [`glp/0/${id}/rq/do`, `glp/0/${id}/rq/dev/+/+/do`];
  }

  /** Loads waiting for their switchover. */
  get pending(): ScheduledLoad[] {
    return [...this.scheduled].map(([r, s]) => ({ url: r.args.url, method: r.args.method, target: targetLabel(r.target), switchover: formatIapTimestamp(s.at) }));
  }

  /** Resolves when no load is being performed (scheduled ones may still wait for their switchover). */
  async idle(): Promise<void> {
    let q;
    do {
      q = this.queue;
      await q;
    } while (q !== this.queue);
  }

  receive(topic: string, payload: Buffer): void {
    const target = targetOf(this.options.thingId, topic);
    if (!target) return;
    let request: LoadRequest;
    try {
      const envelope = parseDoEnvelope(payload, topic);
      if (envelope.action !== 'load') {
        this.options.event('error', `the do action "${envelope.action}" on ${topic} is not supported by this Thing; it performs "load"`, 'request');
        return;
      }
      request = parseLoadRequest(envelope.text, envelope.args, topic, target);
    } catch (e) {
      const failure = asLoadFailure(e, 'request');
      // The response topic, when the args got that far, still gets the completion.
      const args = argsOf(payload);
      this.fail(args, topic, failure);
      return;
    }
    this.enqueue(() => this.perform(request));
  }

  /**
   * The Thing stops: the load in flight ends where it is (its download, or its setup script, is
   * stopped; a switchover already under way completes, as it is one change) and fails with a
   * completion, and the loads waiting for their switchover are cancelled. Nothing is half-installed.
   * Resolves once no load runs, so the agent can still publish the completions before it goes.
   */
  async close(): Promise<void> {
    this.stopping.abort();
    for (const [request, s] of this.scheduled) {
      clearTimeout(s.timer);
      void removeDirs(s.prepared.dirs);
      this.fail(request.received, request.topic, new LoadFailure('method', `the Thing stopped before the switchover of ${request.args.url}`), false);
    }
    this.scheduled.clear();
    await this.idle();
    this.stopping = new AbortController();
  }

  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue.then(work).catch((e: Error) => this.options.event('error', `a load failed unexpectedly: ${e.message}`, 'load'));
  }

  private async perform(request: LoadRequest): Promise<void> {
    const { args, target } = request;
    const o = this.options;
    const signal = this.stopping.signal;
    let prepared: PreparedLoad | undefined;
    try {
      if (signal.aborted) throw stoppedDuring(args.url, 'request');
      requireOwnResponseTopic(o.thingId, args.response);
      const type = target.kind === 'thing' ? o.model : o.deviceType(target.handle);
      if (type === undefined) throw new LoadFailure('request', `this Thing has no device "${target.kind === 'device' ? target.handle : ''}"`, { fix: 'send the load action to one of the Thing\'s devices, or to glp/0/{SID}/rq/do for the Thing itself' });
      checkType(args.type, type, 'the load action', target);
      const at = switchoverAt(args.switchover);
      const image = await retrieveImage(args, { thingId: o.thingId, broker: o.broker(), limits: o.limits ?? DEFAULT_DOWNLOAD_LIMITS, signal });
      if (signal.aborted) throw stoppedDuring(args.url, 'fetch');
      if (image.manifest) checkType(image.manifest.type, type, `the manifest of ${image.name}`, target);
      prepared = await prepareImage(args.method, image.bytes, image.name, {
        target,
        ...(image.imgpwd !== undefined ? { imgpwd: image.imgpwd } : {}),
        ...(image.manifest ? { manifest: image.manifest } : {}),
        declared: o.declared ?? new Map(),
        setup: { scriptTimeoutMs: o.scriptTimeoutMs ?? SCRIPT_TIMEOUT_MS, ...(o.tmpDir ? { tmpDir: o.tmpDir } : {}), signal },
        now: () => formatIapTimestamp(Date.now()),
      });
      // Stopped while it was prepared: nothing is applied (a switchover is the one step not cut short).
      if (signal.aborted) throw stoppedDuring(args.url, 'method');
      if (at > Date.now() + 50) {
        this.schedule(request, prepared, at);
        prepared = undefined; // kept for the switchover
        return;
      }
      await this.switchOver(request, prepared);
    } catch (e) {
      // A stop cut short ends with reason "stopped" (the download, the script, or the checks here).
      this.fail(request.received, request.topic, asLoadFailure(e, 'method'));
    } finally {
      if (prepared) await removeDirs(prepared.dirs);
    }
  }

  private schedule(request: LoadRequest, prepared: PreparedLoad, at: number): void {
    const arm = () => {
      const wait = at - Date.now();
      const timer = setTimeout(() => {
        if (at > Date.now()) return arm();
        this.scheduled.delete(request);
        this.enqueue(async () => {
          try {
            await this.switchOver(request, prepared);
          } catch (e) {
            this.fail(request.received, request.topic, asLoadFailure(e, 'method'));
          } finally {
            await removeDirs(prepared.dirs);
            this.options.announce();
          }
        });
      }, Math.min(Math.max(wait, 0), MAX_TIMER_MS));
      timer.unref();
      this.scheduled.set(request, { timer, at, prepared });
    };
    arm();
    this.options.event('info', `${request.args.url} is ready for ${targetLabel(request.target)}; it switches over at ${formatIapTimestamp(at)}`);
    this.options.announce();
  }

  /** Applies a prepared load; a system image reboots, is confirmed, or is rolled back. */
  private async switchOver(request: LoadRequest, prepared: PreparedLoad): Promise<void> {
    const o = this.options;
    const before = await o.images.apply(prepared.change, formatIapTimestamp(Date.now()));
    if (prepared.system) await this.confirmSystem(prepared, before);
    await o.images.prune();
    o.announce();
    o.event('info', `loaded ${request.args.url}: ${prepared.summary.join('; ')}`);
    this.complete(request.received, null);
  }

  private async confirmSystem(prepared: PreparedLoad, before: InstalledImages): Promise<void> {
    const o = this.options;
    const system = prepared.system!;
    o.event('info', `system ${system.version} installed; the Thing reboots`);
    o.announce();
    let why: string | undefined;
    const failures = await o.reboot().catch((e: Error) => [e.message]);
    if (failures.length) why = `after the reboot, ${failures.join('; ')}`;
    else if (system.confirm) {
      // A stop kills the confirm script: unconfirmed, the system is rolled back (nothing half-installed).
      const result = await runConfinedScript(system.confirm.dir, 'confirm', { timeoutMs: o.scriptTimeoutMs ?? SCRIPT_TIMEOUT_MS, label: system.confirm.label, signal: this.stopping.signal }).catch((e: LoadFailure) => ({ code: -1, stderr: e.message, stdout: '' }));
      if (result.code !== 0) why = `${system.confirm.label} exited with code ${result.code}${result.stderr.trim() ? `: ${result.stderr.trim().slice(-2000)}` : ''}`;
    }
    if (why === undefined) return;
    // Rollback: the record before the image, and a reboot into it.
    await o.images.restore(before);
    o.announce();
    await o.reboot().catch(() => []);
    throw new LoadFailure('method', `system ${system.version} was not confirmed (${why}); the Thing was rolled back to system ${before.system.version}`, { reason: 'rollback' });
  }

  private complete(received: Record<string, unknown> | undefined, error: IapError | null): void {
    const response = typeof received?.response === 'string' ? received.response : undefined;
    if (!response || !isOwnTopic(this.options.thingId, response)) return;
    this.options.publish(response, JSON.stringify(loadCompletion(received ?? {}, error)), completionPublishOptions(response));
  }

  private fail(received: Record<string, unknown> | undefined, topic: string, failure: LoadFailure, report = true): void {
    const error = iapEvent('error', `load failed at ${failure.stage}: ${failure.text}`, 'agent', topic, { code: failure.stage, data: { stage: failure.stage, ...(failure.reason ? { reason: failure.reason } : {}) } });
    if (report) this.options.event('error', error.message, failure.stage);
    this.complete(received, error);
  }
}

/** The failure of a load the Thing's stop cut short, at the stage it had reached. */
function stoppedDuring(url: string, stage: LoadFailure['stage']): LoadFailure {
  return new LoadFailure(stage, `the Thing stopped during the load of ${url}; nothing was installed`, { reason: 'stopped' });
}

/** Whether this Thing may publish on `topic` (its own feedback and event channels). */
function isOwnTopic(thingId: string, topic: string): boolean {
  return /^(ev|fb)\//.test(topic.slice(`glp/0/${thingId}/`.length)) && topic.startsWith(`glp/0/${thingId}/`) && !/[+#\u0000]/.test(topic);
}

/** Fails at stage `request` unless the completion can go where the load action asks (runtime/load-actions' checkResponseTopic checks the topic itself). */
function requireOwnResponseTopic(thingId: string, response: string | undefined): void {
  if (response === undefined || isOwnTopic(thingId, response)) return;
  throw new LoadFailure('request', `this Thing cannot publish its completion on ${response}: it publishes under glp/0/${thingId}/ev/ and glp/0/${thingId}/fb/ only`, { fix: `write "response": "glp/0/${thingId}/ev/=cms/response/load"` });
}

/** The args object of a payload, as far as it can be read. */
function argsOf(payload: Buffer): Record<string, unknown> | undefined {
  try {
    const args = (JSON.parse(payload.toString('utf8')) as { args?: unknown }).args;
    return args && typeof args === 'object' && !Array.isArray(args) ? (args as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
