/**
 * The SmartPlug agent of one Thing: its MQTT connection (with a last will that says it went
 * offline), its Bundle Sync, and its reports. On connect and on every change of its desired state it
 * performs the load action of each bundle it lacks, and only when every one is downloaded, checked
 * and read does it switch: the Thing is re-spawned with the new app set (seed 000), each kept app
 * with its state. A failed sync changes nothing: the Thing keeps running what it had and says why.
 * Replayed, stale or duplicate desired states are harmless: a revision already reached is only
 * reported again. Beside it: the Thing's JS Shell (with recordings and a debugger), its load actions
 * (seed 002, load/), and its apps' web-service routes called through the platform.
 */
import mqtt, { type MqttClient } from 'mqtt';
import type { Socket } from 'node:net';
import type { Thing } from '../../runtime/host/thing';
import type { WorkerPool } from '../../runtime/host/worker-pool';
import type { AppSource } from '../../runtime/engine/installed-app';
import type { LogLevel } from '../../runtime/engine/records';
import { loadCompletion, completionPublishOptions } from '../../runtime/load-actions/completion';
import type { BundleContents } from '../bundle';
import { iapEvent, iapNow, parsePayload, topics, type AboutMessage, type DevicesMessage, type DesiredApp, type DesiredStateMessage, type IapError, type ImagesMessage, type StatusMessage } from '../protocol';
import type { SavedApps } from '../fleet/app-state-files';
import { BundleFetcher, LoadError } from './bundle-fetch';
import { ShellService } from './shell-service';
import { EndpointService } from './endpoint-service';
import { SyncRetry } from './sync-retry';
import { ThingApps } from './thing-apps';
import { LoadService } from './load/load-service';
import type { ThingImages } from './load/thing-images';
import type { DeclaredMethod } from './load/prepare-image';
import type { DownloadLimits } from '../load/http-download';

export interface AgentOptions {
  thingId: string;
  /** the Thing's broker credential (also its download credential) */
  secret: string;
  /** the Thing's JS Shell credential: callers must present it (no shell answers without one) */
  shell?: string;
  model: string;
  brokerUrl: string;
  brokerCa?: Buffer;
  /** the Thing in the runtime, with its devices */
  thing: Thing;
  pool: WorkerPool;
  fetcher: BundleFetcher;
  /** what the Thing's apps kept from an earlier run (by installation_id): they come back with it */
  savedApps?: SavedApps;
  log?: (line: string) => void;
  /** a debugger attached through the JS Shell and silent this long is detached (default DEBUG_LEASE_MS) */
  debugLeaseMs?: number;
  /** what load actions installed on the Thing (issue 19) */
  images: ThingImages;
  /** the non-standard load methods the Thing supports */
  loadMethods?: ReadonlyMap<string, DeclaredMethod>;
  /** limits of a load action's downloads (default: 64 MiB, 120 s, 30 s of silence) */
  loadLimits?: DownloadLimits;
}

/** How a sync ended: switched, refused (a bad bundle: not tried again), or failed on the way (tried again later). */
type SyncOutcome = 'done' | 'refused' | 'failed on the way';

/** The type of a simulated device whose devices.json entry names none (matched by a load action's `type`). */
const SIMULATED_DEVICE_TYPE = 'simulated';
/** Load errors worth trying again: the download failed on the way (bundle-fetch.ts already tried three times). */
const TRANSIENT_LOAD_ERRORS = new Set(['fetch']);
/**
 * A sync still running after this long (a slow download) is reported as syncing. The platform
 * already knows a Thing is behind (its desired revision is past the one reached): the report is for
 * syncs that take long, and a fleet-wide rollout of a few seconds should not double its feedback.
 */
const SYNCING_REPORT_AFTER_MS = 5000;

export class ThingAgent {
  private client: MqttClient | undefined;
  /** What the Thing runs, and the switch to a new desired state. */
  private readonly apps: ThingApps;
  private reached = 0;
  private lastError: IapError | null = null;
  /** Whether the agent tries the sync that ended in lastError again by itself (said in the status, so a rollout waits for it). */
  private retrying = false;
  private latest: DesiredStateMessage | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  /** The next try of a sync that failed on the way. */
  private readonly retry = new SyncRetry();
  private readonly shell: ShellService;
  private readonly loads: LoadService;
  private readonly endpoints: EndpointService;

  constructor(private readonly options: AgentOptions) {
    const { thing } = options;
    this.apps = new ThingApps({ thingId: options.thingId, thing, pool: options.pool, ...(options.savedApps ? { savedApps: options.savedApps } : {}), ...(options.log ? { log: options.log } : {}) });
    this.shell = new ShellService({
      thingId: options.thingId, credential: options.shell, thing, pool: options.pool, idle: () => this.idle(),
      installations: () => this.apps.installations(),
      publish: (topic, payload) => this.client?.publish(topic, payload, { qos: 1, retain: false }),
      event: (cat, message, code) => this.publishEvent(cat, message, 'shell', code),
      instanceOf: (installationId) => {
        const a = this.latest?.apps.find((x) => x.installation_id === installationId);
        return a ? { app_id: a.app_id, installation_id: a.installation_id, version: a.version, name: a.name, config: a.config } : undefined;
      },
    }, options.debugLeaseMs);
    this.endpoints = new EndpointService({
      thingId: options.thingId, thing,
      appOf: (installationId) => this.apps.appOf(installationId),
      publish: (topic, payload) => this.client?.publish(topic, payload, { qos: 1, retain: false }),
      event: (message, code) => this.publishEvent('error', message, 'endpoint', code),
      onCall: (...call) => this.shell.recordings.call(...call),
    });
    this.loads = new LoadService({
      thingId: options.thingId, model: options.model, images: options.images,
      deviceType: (handle) => {
        const d = thing.journal.devices.get(handle);
        return d ? (d.type ?? SIMULATED_DEVICE_TYPE) : undefined;
      },
      broker: () => this.client,
      publish: (topic, payload, o) => this.client?.publish(topic, payload, o),
      event: (cat, message, code) => this.publishEvent(cat, message, 'agent', code),
      reboot: () => this.reboot(),
      announce: () => this.publishImages(true),
      ...(options.loadMethods ? { declared: options.loadMethods } : {}),
      ...(options.loadLimits ? { limits: options.loadLimits } : {}),
    });
    thing.on('log', (r) => {
      // An app's log during its own install (installed()) comes before its id is known here.
      if (r.appId && this.apps.installationOf(r.appId) === undefined && !this.apps.installingNow) return;
      const source = r.appId ? `app:${r.appLabel}` : 'agent';
      this.publishEvent(levelOf(r.level), r.message, source);
    });
    thing.on('app', (r) => {
      if (r.change === 'quarantined' && this.apps.quarantined(r.appId, r.reason ?? 'quarantined')) this.publishStatus();
    });
  }

  get thingId(): string {
    return this.options.thingId;
  }

  get thing(): Thing {
    return this.options.thing;
  }

  get revision(): number {
    return this.reached;
  }

  get connected(): boolean {
    return this.client?.connected === true;
  }

  async start(): Promise<void> {
    this.stopped = false;
    const { thingId, secret, brokerUrl, brokerCa } = this.options;
    const offline = JSON.stringify({ connected: false, mru: iapNow() });
    this.client = await mqtt.connectAsync(brokerUrl, {
      clientId: thingId, username: thingId, password: secret, clean: true, reconnectPeriod: 1000, connectTimeout: 30_000, keepalive: 60,
      will: { topic: topics.connection(thingId), payload: Buffer.from(offline), qos: 1, retain: true },
      ...(brokerCa ? { ca: brokerCa } : {}),
    });
    const client = this.client;
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
    client.on('connect', () => void this.onConnect());
    await this.onConnect();
  }

  /** Ends the connection cleanly, saying it is offline (a clean disconnect sends no last will). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.retry.cancel();
    this.shell.close();
    // Before the connection ends: a load cut short still sends its completion.
    await this.loads.close();
    const client = this.client;
    if (!client) return;
    if (client.connected) await client.publishAsync(topics.connection(this.thingId), JSON.stringify({ connected: false, mru: iapNow() }), { qos: 1, retain: true }).catch(() => undefined);
    await client.endAsync().catch(() => undefined);
  }

  /** Whether the Thing runs the newest desired state it received. */
  get synced(): boolean {
    return this.latest !== undefined && this.reached >= this.latest.revision && !this.running;
  }

  /** Whether a sync is running or waiting. */
  get syncing(): boolean {
    return this.running !== undefined;
  }

  /** Resolves once no sync is running or waiting. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async onConnect(): Promise<void> {
    const client = this.client!;
    (client.stream as Socket | undefined)?.setNoDelay?.(true);
    const { thingId } = this.options;
    // What tools offer in the configuration guide's selectors: the devices as devices.json says
    // them, with the values the host last saw (the journal keeps them to bring a lost worker back).
    const devices: DevicesMessage = { devices: [...this.thing.journal.devices.values()].map((d) => ({ ...d, capabilities: [...d.capabilities] })), mru: iapNow() };
    await Promise.all([
      client.publishAsync(topics.connection(thingId), JSON.stringify({ connected: true, mru: iapNow() }), { qos: 1, retain: true }),
      client.publishAsync(topics.devices(thingId), JSON.stringify(devices), { qos: 1, retain: true }),
      this.publishImages(true),
      client.subscribeAsync([topics.desired(thingId), topics.shellRequest(thingId), topics.endpointRequest(thingId), ...this.loads.subscriptions], { qos: 1 }),
    ]).catch((e: Error) => this.options.log?.(`${thingId}: could not announce itself: ${e.message}`));
  }

  private onMessage(topic: string, payload: Buffer): void {
    if (topic === topics.shellRequest(this.thingId) && !this.stopped) return this.shell.receive(payload);
    if (this.loads.handles(topic) && !this.stopped) return this.loads.receive(topic, payload);
    if (topic === topics.endpointRequest(this.thingId) && !this.stopped) return void this.endpoints.receive(payload, topic);
    if (topic !== topics.desired(this.thingId) || this.stopped) return;
    if (payload.length === 0) return; // the Thing was removed: nothing is desired any more
    const parsed = parsePayload('desired', payload, topic);
    if (!parsed.ok) {
      this.publishEvent('error', `refused a desired state: ${parsed.error}`, 'agent', 'malformed');
      return;
    }
    if (parsed.value.revision !== this.latest?.revision) this.retry.reset();
    this.latest = parsed.value;
    this.startSync();
  }

  private startSync(): void {
    this.retry.cancel();
    if (this.running) this.again = true;
    else this.running = this.syncLoop();
  }

  private async syncLoop(): Promise<void> {
    let outcome: SyncOutcome = 'done';
    try {
      do {
        this.again = false;
        outcome = await this.sync(this.latest!).catch((e: Error) => {
          this.lastError = iapEvent('error', `the Bundle Sync failed: ${e.message}`, 'agent', topics.desired(this.thingId), { code: 'sync' });
          this.retrying = !this.stopped;
          this.publishStatus();
          return 'failed on the way' as const;
        });
      } while (this.again && !this.stopped);
    } finally {
      this.running = undefined;
    }
    if (outcome === 'failed on the way' && !this.stopped) this.retry.schedule(() => this.stopped || this.startSync());
    if (outcome === 'done') this.retry.reset();
  }

  private async sync(desired: DesiredStateMessage): Promise<SyncOutcome> {
    if (desired.revision <= this.reached && this.reached > 0) {
      this.publishStatus();
      return 'done';
    }
    // A new sync: the last one's error no longer says anything about this revision. That it is
    // syncing is said only if it takes a while: a quick sync reports once, when it is done (a
    // thousand Things syncing at once send a thousand messages fewer).
    this.lastError = null;
    this.retrying = false;
    const syncing = setTimeout(() => this.publishStatus(desired.revision), SYNCING_REPORT_AFTER_MS);
    try {
      // 1. Load every bundle the Thing lacks; switch only if all of them load.
      const needed = this.apps.needed(desired);
      const loads = await Promise.all(needed.map((a) => this.load(a)));
      const failed = loads.find((l): l is { app: DesiredApp; error: LoadError } => 'error' in l);
      if (failed) {
        const transient = TRANSIENT_LOAD_ERRORS.has(failed.error.code);
        const next = transient ? `; it tries again in about ${this.retry.nextMs() / 1000} s` : '';
        this.lastError = iapEvent('error', `${failed.app.app}@${failed.app.version}: ${failed.error.message}; the Thing keeps running revision ${this.reached}${next}`, 'agent', failed.app.load.url, { code: failed.error.code });
        this.retrying = transient && !this.stopped;
        return transient ? 'failed on the way' : 'refused';
      }
      const sources = new Map<number, AppSource>();
      for (const l of loads) if ('contents' in l) sources.set(l.app.installation_id, toSource(l.contents));
      await this.apps.switchTo(desired, sources);
      this.reached = desired.revision;
      this.lastError = null;
      return 'done';
    } finally {
      clearTimeout(syncing);
      this.publishStatus();
    }
  }

  private async load(app: DesiredApp): Promise<{ app: DesiredApp; contents: BundleContents } | { app: DesiredApp; error: LoadError }> {
    const respond = (error: IapError | null) => {
      const completion = loadCompletion(app.load as unknown as Record<string, unknown>, error);
      this.client?.publish(app.load.response, JSON.stringify(completion), completionPublishOptions(app.load.response));
    };
    try {
      const contents = await this.options.fetcher.fetch(app.load, this.options.secret, `${app.app}@${app.version}`);
      if (contents.name !== app.app) throw new LoadError('bad-bundle', `the bundle at ${app.load.url} holds the app "${contents.name}", not "${app.app}"`);
      respond(null);
      return { app, contents };
    } catch (e) {
      const error = e instanceof LoadError ? e : new LoadError('load', (e as Error).message);
      respond(iapEvent('error', error.message, 'agent', app.load.url, { code: error.code }));
      return { app, error };
    }
  }

  /** Each app's newest snapshot, by installation (and what is kept for apps not installed again yet): what the fleet keeps across its restarts. */
  savedApps(): SavedApps {
    return this.apps.savedApps();
  }

  /** Resolves once no load action is being performed. */
  loadsIdle(): Promise<void> {
    return this.loads.idle();
  }

  /**
   * The Thing's simulated reboot (a system image's switchover): it goes offline, its apps are
   * re-created from their journal in a fresh engine (their state kept, as after a power cycle),
   * and it comes back online with the new system version in its About. Returns the apps that failed.
   */
  private async reboot(): Promise<string[]> {
    const { pool, thingId } = this.options;
    const client = this.client;
    if (client?.connected) await client.publishAsync(topics.connection(thingId), JSON.stringify({ connected: false, mru: iapNow() }), { qos: 1, retain: true }).catch(() => undefined);
    await client?.endAsync().catch(() => undefined);
    this.client = undefined;
    const failures = await pool.respawnThing(thingId, () => undefined);
    if (!this.stopped) await this.start();
    return failures.map((f) => `${f.appId} could not start (${f.error})`);
  }

  /** What load actions installed, and the loads waiting for their switchover (retained). */
  private publishImages(withAbout: boolean): Promise<unknown> {
    const { thingId, model } = this.options;
    const images: ImagesMessage = { ...this.options.images.installed, scheduled: this.loads.pending, mru: iapNow() };
    const client = this.client;
    if (!client) return Promise.resolve();
    const about: AboutMessage = { manufacturer: 'SmartPlug', product: 'SmartPlug simulated Thing', model, version: images.system.version, glpVersion: 0, mru: iapNow() };
    return Promise.all([
      client.publishAsync(topics.images(thingId), JSON.stringify(images), { qos: 1, retain: true }),
      withAbout ? client.publishAsync(topics.about(thingId), JSON.stringify(about), { qos: 1, retain: true }) : undefined,
    ]).catch(() => undefined);
  }

  private publishStatus(syncing?: number): void {
    const status: StatusMessage = {
      revision: this.reached, apps: this.apps.statusRecord(), error: this.lastError, mru: iapNow(),
      ...(syncing !== undefined ? { syncing } : {}), ...(this.lastError && this.retrying ? { retrying: true } : {}),
    };
    this.client?.publish(topics.status(this.thingId), JSON.stringify(status), { qos: 1, retain: true });
  }

  private publishEvent(cat: IapError['cat'], message: string, source: string, code?: string): void {
    const topic = topics.event(this.thingId, cat);
    this.client?.publish(topic, JSON.stringify(iapEvent(cat, message, source, topic, code ? { code } : {})), { qos: 1, retain: false });
  }

}

const sources = new WeakMap<BundleContents, AppSource>();

/** One AppSource object per bundle read, shared by the Things of a fleet (the runtime sends a source it knows by reference). */
function toSource(c: BundleContents): AppSource {
  let source = sources.get(c);
  if (!source) sources.set(c, (source = { name: c.name, version: c.version, appJson: c.appJson, scriptFile: c.scriptFile, script: c.script }));
  return source;
}

function levelOf(level: LogLevel): IapError['cat'] {
  return level === 'warn' ? 'warning' : level === 'trace' ? 'debug' : level;
}
