/**
 * The embedded MQTT broker of `smartplug up`: aedes in this process, on loopback, with TCP_NODELAY
 * (Nagle's algorithm would add ~88 ms to every QoS 1 round trip), authenticating every client and
 * holding each to access.ts's rules.
 */
// aedes is an ES module; this package is CommonJS (the bundle is too): its types come with resolution-mode, the class by import().
import type { Aedes, Client } from 'aedes' with { 'resolution-mode': 'import' };
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { timingSafeEqual, createHash } from 'node:crypto';
import { isThingUser, mayPublish, maySubscribe, mayUseClientId, PLATFORM_USER, TOOL_USER, type Account } from './access';

export interface EmbeddedBrokerOptions {
  /** default 127.0.0.1 */
  host?: string;
  /** 0: any free port */
  port: number;
  /** the platform service's password */
  platformPassword: string;
  verifyThing(thingId: string, secret: string): Promise<boolean>;
  /** the scopes of an API token, or undefined when it is unknown */
  verifyToken(secret: string): Promise<readonly string[] | undefined>;
  /** for mqtts:// */
  tls?: { key: Buffer; cert: Buffer };
  log?: (line: string) => void;
}

const accounts = new WeakMap<Client, Account>();

export class EmbeddedBroker {
  private constructor(
    readonly aedes: Aedes,
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(options: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
    const platformHash = hash(options.platformPassword);
    const { Aedes: AedesClass } = await import('aedes');
    const aedes = await AedesClass.createBroker({
      authenticate: (client, username, password, done) => {
        const refuse = () => done(Object.assign(new Error('bad user name or password'), { returnCode: 4 }), false);
        if (!username || !password) return refuse();
        const secret = password.toString('utf8');
        void (async (): Promise<Account | undefined> => {
          if (username === PLATFORM_USER) return timingSafeEqual(hash(secret), platformHash) ? { kind: 'platform' } : undefined;
          if (username === TOOL_USER) {
            const scopes = await options.verifyToken(secret);
            return scopes ? { kind: 'tool', scopes } : undefined;
          }
          if (isThingUser(username) && (await options.verifyThing(username, secret))) return { kind: 'thing', thingId: username };
          return undefined;
        })().then(
          (account) => {
            if (!account || !mayUseClientId(account, client.id)) return refuse();
            accounts.set(client, account);
            done(null, true);
          },
          () => refuse(),
        );
      },
      authorizePublish: (client, packet, callback) => {
        const account = client ? accounts.get(client) : { kind: 'platform' as const };
        if (account && mayPublish(account, packet.topic)) return callback(null);
        callback(new Error(`not allowed to publish to ${packet.topic}`));
      },
      authorizeSubscribe: (client, subscription, callback) => {
        const account = accounts.get(client);
        // null: refused (SUBACK 0x80), the client stays connected.
        callback(null, account && maySubscribe(account, subscription.topic) ? subscription : null);
      },
    });
    const handler = (socket: import('node:net').Socket) => {
      socket.setNoDelay(true);
      aedes.handle(socket);
    };
    const server: Server = options.tls ? createTlsServer({ key: options.tls.key, cert: options.tls.cert }, handler) : createServer({ noDelay: true }, handler);
    const host = options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, host, () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    return new EmbeddedBroker(aedes, server, `${options.tls ? 'mqtts' : 'mqtt'}://${host.includes(':') ? `[${host}]` : host}:${port}`);
  }

  /**
   * Stops listening and disconnects every client. The clients go first: server.close() waits for
   * open connections to end, and a client that stays (an IDE following the platform, a
   * mosquitto_sub) would hold it for ever.
   */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    await new Promise<void>((resolve) => this.aedes.close(() => resolve()));
    await closed;
  }
}

function hash(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
