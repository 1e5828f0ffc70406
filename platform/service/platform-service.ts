/**
 * The platform service (`smartplug platform`): the HTTP API and bundle downloads, and the MQTT side
 * that publishes each Thing's desired state and takes in what Things report. It keeps nothing of
 * its own: everything is in the store, so replicas can share one store and one broker.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { openStore, type DesiredState, type PlatformStore } from '../store';
import { topics } from '../protocol';
import type { BrokerAccounts } from '../broker/broker-accounts';
import { addAppRoutes } from './app-routes';
import { Authenticator } from './auth';
import { DesiredStates } from './desired-states';
import { FeedbackIngest } from './feedback';
import { FeedbackReconciler } from './feedback-reconcile';
import { Router, send, sendError } from './http-kit';
import { addLoadRoutes } from './load-routes';
import { addEndpointRoutes } from './endpoint-routes';
import { EndpointReplies } from './endpoint-replies';
import { LoadRequests } from './load-requests';
import { addThingRoutes } from './thing-routes';
import { ChangeNotices, changeOfRoute } from './change-notices';
import { addRolloutRoutes } from './rollout-routes';
import { RolloutDriver } from './rollout-driver';
import type { ServiceContext } from './service-context';

export interface PlatformServiceOptions {
  /** a store already open, or where to open one (a folder, or a postgres:// URL) */
  store: PlatformStore | string;
  brokerUrl: string;
  /** the platform's own broker account */
  brokerUsername: string;
  brokerPassword: string;
  /** CA certificates for an mqtts:// broker with its own CA */
  brokerCa?: Buffer;
  /** HTTP port (0: any free one) */
  port: number;
  /** default 127.0.0.1 */
  host?: string;
  /** the URL Things download bundles from (default: http://host:port) */
  publicUrl?: string;
  /** the bootstrap token; it holds every scope */
  adminToken: string;
  /** MQTT 5 shared-subscription group for replicas (undefined: one replica, plain subscriptions) */
  sharedGroup?: string;
  /** How often Things long behind their desired revision have their retained status read again (default 30 s; feedback-reconcile.ts). */
  reconcileEveryMs?: number;
  log?: (line: string) => void;
  /**
   * The callers' checks, when this process already has them (smartplug up's embedded broker checks
   * the same Things connecting as the service does downloading: one cache of what was verified).
   */
  authenticator?: Authenticator;
  /** for a broker that keeps its own accounts: makes them from the platform's MQTT connection */
  brokerAccounts?: (mqtt: MqttClient) => BrokerAccounts;
}

export class PlatformService {
  private constructor(
    readonly store: PlatformStore,
    private readonly ownsStore: boolean,
    readonly mqtt: MqttClient,
    private readonly server: Server,
    readonly url: string,
    readonly feedback: FeedbackIngest,
    readonly reconciler: FeedbackReconciler,
    readonly rollouts: RolloutDriver,
    readonly routes: Array<{ method: string; pattern: string }>,
    private readonly notices: ChangeNotices,
  ) {}

  static async start(options: PlatformServiceOptions): Promise<PlatformService> {
    const log = options.log ?? (() => undefined);
    const ownsStore = typeof options.store === 'string';
    const store = typeof options.store === 'string' ? await openStore(options.store) : options.store;
    let client: MqttClient | undefined;
    let server: Server | undefined;
    try {
      client = await mqtt.connectAsync(options.brokerUrl, {
        username: options.brokerUsername, password: options.brokerPassword, clientId: `smartplug-platform-${randomUUID().slice(0, 8)}`,
        protocolVersion: options.sharedGroup ? 5 : 4, reconnectPeriod: 1000, connectTimeout: 10_000, ...(options.brokerCa ? { ca: options.brokerCa } : {}),
      });
      const mq = client;
      noDelay(mq);
      mq.on('connect', () => noDelay(mq));
      const host = options.host ?? '127.0.0.1';
      server = createServer();
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(options.port, host, () => resolve());
      });
      const port = (server.address() as AddressInfo).port;
      const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
      const desired = new DesiredStates(store, (options.publicUrl ?? url).replace(/\/$/, ''));
      const feedback = new FeedbackIngest(store, mq, { sharedGroup: options.sharedGroup, log });
      const auth = options.authenticator ?? new Authenticator(store, options.adminToken);
      const notices = new ChangeNotices(mq, log);
      const publish = async (states: DesiredState[]) => {
        if (states.length > 0) notices.changed('things', states.map((s) => s.thingId));
        await Promise.all(states.map(async (s) => mq.publishAsync(topics.desired(s.thingId), JSON.stringify(await desired.message(s)), { qos: 1, retain: true })));
      };
      const driver = new RolloutDriver(store, publish, {
        log,
        changed: (rolloutId, also) => {
          notices.changed('rollouts', [rolloutId]);
          if (also) notices.changed('templates', [also.templateId]);
        },
      });
      // Every change publishes, except to Things a Template rollout still holds back.
      const provision = (states: DesiredState[]) => publish(states.filter((s) => !driver.isHeld(s.thingId)));
      const ctx: ServiceContext = {
        store, auth, desired, provision, log,
        unprovision: async (thingId) => {
          desired.forget(thingId);
          notices.changed('things', [thingId]);
          await mq.publishAsync(topics.desired(thingId), '', { qos: 1, retain: true });
        },
        thingsChanged: () => feedback.thingsChanged(),
        brokerAccounts: options.brokerAccounts?.(mq),
      };
      const router = new Router();
      // `replica`: which replica answered (behind a load balancer), as named in the rollout leases it holds.
      router.get('/api/health', async () => ({ status: 200, body: { ok: true, service: 'smartplug-platform', store: store.backend, replica: driver.owner } }));
      addAppRoutes(router, ctx);
      addThingRoutes(router, ctx);
      addRolloutRoutes(router, ctx, driver);
      addLoadRoutes(router, ctx, new LoadRequests(mq));
      const endpointReplies = new EndpointReplies(mq);
      await endpointReplies.start();
      addEndpointRoutes(router, ctx, endpointReplies);
      server.on('request', (req, res) => {
        const url = new URL(req.url ?? '/', 'http://platform');
        let matched;
        try {
          matched = router.match(req.method ?? 'GET', url.pathname);
        } catch (e) {
          sendError(res, e);
          return;
        }
        matched.handler(req, matched.params, url).then(
          (reply) => {
            send(res, reply);
            if (req.method !== 'GET' && reply.status < 300) for (const c of changeOfRoute(matched.pattern, matched.params)) notices.changed(c.kind, c.ids);
          },
          (e: unknown) => {
            if (!(e instanceof Error) || !('status' in e || 'code' in e)) log(`${req.method} ${url.pathname} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
            sendError(res, e);
          },
        );
      });
      await feedback.start();
      const reconciler = new FeedbackReconciler(store, mq, { owner: driver.owner, everyMs: options.reconcileEveryMs, log });
      reconciler.start();
      // The broker may have lost its retained messages (an embedded broker keeps them in memory, a
      // real one may be new): every connection publishes every desired state again. Agents ignore
      // a revision they already run.
      const republish = async () => {
        try {
          await provision(await store.listDesiredStates());
        } catch (e) {
          log(`could not publish the desired states: ${(e as Error).message}`);
        }
      };
      await driver.start();
      await republish();
      mq.on('connect', () => void republish());
      return new PlatformService(store, ownsStore, mq, server, url, feedback, reconciler, driver, router.list(), notices);
    } catch (e) {
      server?.close();
      await client?.endAsync(true).catch(() => undefined);
      if (ownsStore) await store.close();
      throw e;
    }
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    await this.rollouts.stop();
    await this.reconciler.stop();
    await this.feedback.drain();
    this.notices.flush();
    await this.mqtt.endAsync();
    if (this.ownsStore) await this.store.close();
  }
}

function noDelay(client: MqttClient): void {
  (client.stream as Socket | undefined)?.setNoDelay?.(true);
}
