/**
 * `smartplug up`: the whole platform on this machine with nothing to set up. An embedded broker on
 * loopback, the platform service on the embedded store in `dir`, and a fleet of simulated Things.
 * On first start it deploys the example app and provisions it through the `home` Template, so apps
 * run and log at once. Everything it keeps (store, secrets, the fleet's credentials) is in `dir`.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { makeBundle } from '../bundle';
import { EmbeddedBroker } from '../broker/embedded-broker';
import { PLATFORM_USER } from '../broker/access';
import { Fleet } from '../fleet/fleet';
import { Authenticator, hasApiScope } from '../service/auth';
import { PlatformService } from '../service/platform-service';
import { openStore, type PlatformStore } from '../store';
import { localSecrets } from './local-secrets';
import { readInstanceFile } from '../deploy/instance-file';
import type { DownloadLimits } from '../load/http-download';

export interface LocalOptions {
  dir: string;
  things: number;
  /** HTTP port of the platform (0: any free one) */
  port?: number;
  brokerPort?: number;
  /** ms between simulated door openings (0: none) */
  activityMs?: number;
  /** the example app deployed on first start */
  exampleApp: string;
  /** a debugger attached to an app of a Thing and silent this long is detached (default 30 s; tests shorten it) */
  debugLeaseMs?: number;
  /** limits of load actions' downloads (tests shorten them) */
  loadLimits?: DownloadLimits;
  log: (line: string) => void;
}

export interface LocalEndpoints {
  platform: string;
  broker: string;
}

export const ENDPOINTS_FILE = 'endpoints.json';
export const EXAMPLE_TEMPLATE = 'home';

export class LocalEnvironment {
  private constructor(
    readonly store: PlatformStore,
    readonly broker: EmbeddedBroker,
    readonly service: PlatformService,
    readonly fleet: Fleet,
    readonly endpoints: LocalEndpoints,
    readonly adminToken: string,
  ) {}

  static async start(options: LocalOptions): Promise<LocalEnvironment> {
    const dir = path.resolve(options.dir);
    mkdirSync(dir, { recursive: true });
    // The folder holds the admin token and the Things' credentials: never for a repository.
    if (!existsSync(path.join(dir, '.gitignore'))) writeFileSync(path.join(dir, '.gitignore'), '# smartplug up: its store and secrets stay on this machine\n*\n');
    const secrets = localSecrets(dir);
    const store = await openStore(dir);
    let broker: EmbeddedBroker | undefined;
    let service: PlatformService | undefined;
    try {
      const auth = new Authenticator(store, secrets.adminToken);
      broker = await EmbeddedBroker.start({
        port: options.brokerPort ?? 0, platformPassword: secrets.platformPassword,
        verifyThing: (id, secret) => auth.thingSecretMatches(id, secret),
        // An endpoint token reaches its app's endpoints only, never the broker.
        verifyToken: async (secret) => {
          const caller = await auth.tokenCaller(secret);
          return caller && hasApiScope(caller.scopes) ? caller.scopes : undefined;
        },
      });
      service = await PlatformService.start({ store, brokerUrl: broker.url, brokerUsername: PLATFORM_USER, brokerPassword: secrets.platformPassword, port: options.port ?? 0, adminToken: secrets.adminToken, authenticator: auth, log: options.log });
      if ((await store.listApps()).length === 0) await provisionExample(store, options.exampleApp, options.log);
      const fleet = await Fleet.start({
        brokerUrl: broker.url, platformUrl: service.url, token: secrets.adminToken, things: options.things, templateId: EXAMPLE_TEMPLATE, model: 'home',
        credentialsFile: path.join(dir, 'fleet-credentials.json'), activityMs: options.activityMs ?? 5000, log: options.log,
        ...(options.debugLeaseMs !== undefined ? { debugLeaseMs: options.debugLeaseMs } : {}),
        ...(options.loadLimits ? { loadLimits: options.loadLimits } : {}),
      });
      const endpoints = { platform: service.url, broker: broker.url };
      writeFileSync(path.join(dir, ENDPOINTS_FILE), JSON.stringify(endpoints, null, 2) + '\n');
      return new LocalEnvironment(store, broker, service, fleet, endpoints, secrets.adminToken);
    } catch (e) {
      await service?.close().catch(() => undefined);
      await broker?.close().catch(() => undefined);
      await store.close().catch(() => undefined);
      throw e;
    }
  }

  async close(): Promise<void> {
    await this.fleet.close();
    await this.service.close();
    await this.broker.close();
    await this.store.close();
  }
}

/** First start: the example app in the App Store, on the `home` Template every local Thing enrols with. */
async function provisionExample(store: PlatformStore, appDir: string, log: (line: string) => void): Promise<void> {
  const bundle = await makeBundle(appDir);
  const version = await store.deployAppVersion({ name: bundle.name, version: bundle.version, bundle: bundle.bytes, scriptNames: bundle.scriptNames });
  const instance = readInstanceFile(path.join(appDir, 'instance.json'));
  await store.saveTemplate({ templateId: EXAMPLE_TEMPLATE, name: 'Home', apps: [{ app_id: version.appId, version: version.version, config: instance.config, name: instance.name }] });
  log(`first start: deployed ${bundle.name} ${bundle.version} and put it on the "${EXAMPLE_TEMPLATE}" Template`);
}
