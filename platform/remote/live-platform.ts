/**
 * A platform as the IDE sees it, kept live: the App Store, the Things with their live status and
 * the Templates, read over HTTP and then followed over MQTT with no polling. Things' status and
 * connection feedback arrives from the broker as it happens; the platform's change notices
 * (glp/0/=platform/ev/changed) say what to read again. A plain event emitter (the VS Code views
 * listen to it), with no VS Code in it, so tests and the CLI can use it as they are.
 */
import { EventEmitter } from 'node:events';
import mqtt, { type MqttClient } from 'mqtt';
import { randomBytes } from 'node:crypto';
import type { AppListing, Template, ThingView } from '../protocol/api-types';
import type { ConnectionMessage, StatusMessage } from '../protocol/messages';
import { parsePayload } from '../protocol/validate';
import { platformSubscriptions, thingOfTopic, topics } from '../protocol/topics';
import { TOOL_USER } from '../broker/access';
import { PlatformApi, PlatformApiError } from './platform-api';
import { classifyFailure } from './network-failure';
import { LiveRollouts } from './live-rollouts';
import { readThingDevices, type ThingDevices } from './thing-devices';

export interface LivePlatformOptions {
  platformUrl: string;
  brokerUrl: string;
  /** an API token with the read scope; the broker takes it as the password of the tool account */
  token: string;
  /** CA certificates for an mqtts:// broker with its own CA */
  brokerCa?: Buffer;
  /** a dropped broker connection is tried again after this (default 2 s) */
  reconnectMs?: number;
}

/** Where the connection stands; `degraded` means the views show what was last read. */
export type LiveState =
  | { state: 'connecting' }
  | { state: 'connected' }
  | { state: 'degraded'; part: 'broker' | 'platform'; message: string }
  | { state: 'closed' };

export interface LivePlatformEvents {
  state: [LiveState];
  apps: [];
  templates: [];
  /** these Things changed (undefined: any may have) */
  things: [thingIds: string[] | undefined];
  /** these rollouts changed (undefined: the list did) */
  rollouts: [rolloutIds: string[] | undefined];
  /** a malformed feedback message was ignored */
  refused: [message: string];
}

/** Past this many Things in one notice, the whole list is read again instead of one by one. */
const READ_ONE_BY_ONE = 20;

export class LivePlatform extends EventEmitter<LivePlatformEvents> {
  readonly api: PlatformApi;
  /** the staged rollouts, and each Thing's acknowledgement of those under way */
  readonly rollouts: LiveRollouts;
  private mqtt: MqttClient | undefined;
  private current: LiveState = { state: 'connecting' };
  private appList: AppListing[] = [];
  private templateList: Template[] = [];
  private readonly thingViews = new Map<string, ThingView>();
  /** the latest feedback from the broker, laid over what the API said (it is newer, or the same) */
  private readonly statusOf = new Map<string, StatusMessage>();
  private readonly connectedOf = new Map<string, boolean>();
  /** reads under way per kind, and whether another is wanted once it ends */
  private readonly reads = new Map<string, { running: Promise<void>; again: boolean }>();
  private platformRetry: NodeJS.Timeout | undefined;
  /** reads of a Thing's devices under way (two askers share one subscription) */
  private readonly deviceReads = new Map<string, Promise<ThingDevices>>();
  private closed = false;

  constructor(private readonly options: LivePlatformOptions) {
    super();
    this.api = new PlatformApi({ url: options.platformUrl, token: options.token });
    this.rollouts = new LiveRollouts(this.api, (ids) => this.emit('rollouts', ids));
  }

  get state(): LiveState {
    return this.current;
  }

  get apps(): readonly AppListing[] {
    return this.appList;
  }

  get templates(): readonly Template[] {
    return this.templateList;
  }

  get things(): ThingView[] {
    return [...this.thingViews.values()];
  }

  thing(thingId: string): ThingView | undefined {
    return this.thingViews.get(thingId);
  }

  /** The Things of a Template, as the Things' own templateId says. */
  thingsOf(templateId: string): ThingView[] {
    return this.things.filter((t) => t.templateId === templateId);
  }

  /**
   * Connects: the first read over HTTP must succeed (a wrong URL or token fails here, with the
   * reason), then the broker is followed. A broker that cannot be reached leaves the state
   * `degraded` and is tried again; the data read is shown meanwhile.
   */
  async start(): Promise<void> {
    await this.readAll();
    const client = mqtt.connect(this.options.brokerUrl, {
      username: TOOL_USER,
      password: this.options.token,
      clientId: `smartplug-ide-${randomBytes(4).toString('hex')}`,
      reconnectPeriod: this.options.reconnectMs ?? 2000,
      connectTimeout: 10_000,
      protocolVersion: 4,
      clean: true,
      ...(this.options.brokerCa ? { ca: this.options.brokerCa } : {}),
    });
    this.mqtt = client;
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
    client.on('connect', () => {
      client.subscribe([platformSubscriptions.status, platformSubscriptions.connection, topics.changes], { qos: 1 }, (err, granted) => {
        const refused = granted?.find((g) => g.qos === 128);
        if (err || refused) {
          this.setState({ state: 'degraded', part: 'broker', message: `${this.options.brokerUrl}: the broker refused the subscription to ${refused?.topic ?? 'the feedback topics'}: the token lacks the read scope` });
          return;
        }
        // Notices sent while disconnected are lost: read everything again.
        if (this.current.state === 'degraded') void this.readAll().catch(() => undefined);
        if (this.current.state !== 'degraded' || this.current.part === 'broker') this.setState({ state: 'connected' });
      });
    });
    client.on('error', (e) => {
      const failure = (e as { code?: number }).code === 4 || (e as { code?: number }).code === 5 || /not authori[sz]ed|bad user/i.test(e.message)
        ? `${this.options.brokerUrl}: the broker refused the token (${e.message})`
        : classifyFailure(e, this.options.brokerUrl).message;
      this.setState({ state: 'degraded', part: 'broker', message: failure });
    });
    client.on('offline', () => {
      if (this.current.state !== 'degraded') this.setState({ state: 'degraded', part: 'broker', message: `${this.options.brokerUrl}: the broker connection was lost; trying again` });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.platformRetry) clearTimeout(this.platformRetry);
    await this.mqtt?.endAsync(true).catch(() => undefined);
    this.setState({ state: 'closed' });
  }

  /**
   * The devices a Thing has, as its agent last said on connecting (retained on the broker), each
   * checked as a devices.json entry. Fails with the reason when the broker is not connected or the
   * Thing has said nothing.
   */
  devicesOf(thingId: string): Promise<ThingDevices> {
    const client = this.mqtt;
    if (!client?.connected) return Promise.reject(new Error(`${this.options.brokerUrl}: the broker is not connected, so ${thingId}'s devices cannot be read; try again once the status bar says connected`));
    const under = this.deviceReads.get(thingId);
    if (under) return under;
    const reading = readThingDevices(client, thingId).finally(() => this.deviceReads.delete(thingId));
    this.deviceReads.set(thingId, reading);
    return reading;
  }

  /** Reads the apps, the Templates and the Things again. */
  async readAll(): Promise<void> {
    await Promise.all([this.read('apps'), this.read('templates'), this.read('things'), this.rollouts.readAll().catch((e: unknown) => this.platformFailed(e))]);
  }

  private onMessage(topic: string, payload: Buffer): void {
    if (topic === topics.changes) {
      const notice = parsePayload('change', payload, topic);
      if (!notice.ok) return void this.emit('refused', notice.error);
      const { kind, ids } = notice.value;
      if (kind === 'things' && ids.length > 0 && ids.length <= READ_ONE_BY_ONE) void this.readThings(ids);
      else if (kind === 'apps' || kind === 'templates' || kind === 'things') void this.read(kind).catch(() => undefined);
      else if (kind === 'rollouts') void this.rollouts.noticed(ids).catch((e: unknown) => this.platformFailed(e));
      return;
    }
    const thingId = thingOfTopic(topic);
    if (!thingId || payload.length === 0) return;
    if (topic === topics.status(thingId)) {
      const status = parsePayload('status', payload, topic);
      if (!status.ok) return void this.emit('refused', status.error);
      this.statusOf.set(thingId, status.value);
    } else if (topic === topics.connection(thingId)) {
      const connection = parsePayload('connection', payload, topic);
      if (!connection.ok) return void this.emit('refused', connection.error);
      this.connectedOf.set(thingId, (connection.value as ConnectionMessage).connected);
    } else return;
    const view = this.thingViews.get(thingId);
    if (view) {
      this.thingViews.set(thingId, this.withFeedback(view));
      this.emit('things', [thingId]);
    }
  }

  /** A Thing's view with the broker's latest feedback laid over it. */
  private withFeedback(view: ThingView): ThingView {
    const status = this.statusOf.get(view.thingId);
    const connected = this.connectedOf.get(view.thingId) ?? view.connected;
    if (!status) return { ...view, connected };
    const withStatus = (a: ThingView['apps'][number]) => ({ ...a, status: status.apps[String(a.installation_id)] ?? a.status });
    return { ...view, connected, reachedRevision: status.revision, inSync: status.revision === view.desiredRevision, apps: view.apps.map(withStatus), inherited: view.inherited.map(withStatus) };
  }

  /** One read of a kind at a time; a notice during a read asks for one more after it. */
  private read(kind: 'apps' | 'templates' | 'things'): Promise<void> {
    const under = this.reads.get(kind);
    if (under) {
      under.again = true;
      return under.running;
    }
    const entry = { running: Promise.resolve(), again: false };
    entry.running = (async () => {
      try {
        do {
          entry.again = false;
          await this.readOnce(kind);
        } while (entry.again && !this.closed);
      } finally {
        this.reads.delete(kind);
      }
    })();
    this.reads.set(kind, entry);
    return entry.running;
  }

  private async readOnce(kind: 'apps' | 'templates' | 'things'): Promise<void> {
    try {
      if (kind === 'apps') {
        this.appList = await this.api.apps();
        this.emit('apps');
      } else if (kind === 'templates') {
        this.templateList = await this.api.templates();
        this.emit('templates');
      } else {
        const views = await this.api.things();
        this.thingViews.clear();
        for (const v of views) this.thingViews.set(v.thingId, this.withFeedback(v));
        this.emit('things', undefined);
      }
      if (this.current.state === 'degraded' && this.current.part === 'platform') this.setState(this.mqtt?.connected ? { state: 'connected' } : { state: 'degraded', part: 'broker', message: `${this.options.brokerUrl}: not connected yet` });
    } catch (e) {
      this.platformFailed(e);
      throw e;
    }
  }

  private async readThings(ids: string[]): Promise<void> {
    try {
      await Promise.all(
        ids.map(async (id) => {
          try {
            this.thingViews.set(id, this.withFeedback(await this.api.thing(id)));
          } catch (e) {
            if (!(e instanceof PlatformApiError && e.status === 404)) throw e;
            this.thingViews.delete(id);
            this.statusOf.delete(id);
            this.connectedOf.delete(id);
          }
        }),
      );
      this.emit('things', ids);
    } catch (e) {
      this.platformFailed(e);
    }
  }

  /** The platform did not answer: say so, and read everything again once it does. */
  private platformFailed(e: unknown): void {
    if (this.closed || !(e instanceof PlatformApiError) || e.status !== 0) return;
    this.setState({ state: 'degraded', part: 'platform', message: e.message });
    this.platformRetry ??= setTimeout(() => {
      this.platformRetry = undefined;
      if (!this.closed) void this.readAll().catch(() => undefined);
    }, 3000);
  }

  private setState(state: LiveState): void {
    if (this.closed && state.state !== 'closed') return;
    if (JSON.stringify(state) === JSON.stringify(this.current)) return;
    this.current = state;
    this.emit('state', state);
  }
}
