/**
 * What the load action tests share: an HTTP server of images (BasicAuth, redirects, web pages,
 * slow and endless bodies), zips made with @zip.js/zip.js (with ZipCrypto or AES passwords), and a
 * client that sends a `do load` to a Thing over the broker and waits for its completion object.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MqttClient } from 'mqtt';
import { ZipWriter, Uint8ArrayReader, Uint8ArrayWriter } from '@zip.js/zip.js';
import { topics, type ImagesMessage, type LoadCompletionMessage } from '../../platform/protocol';

export interface Served {
  status?: number;
  bytes?: Uint8Array;
  headers?: Record<string, string>;
  /** "user:password" BasicAuth the request must carry */
  auth?: string;
  /** send a byte every 300 ms, forever */
  trickle?: boolean;
  /** send 64 KiB chunks, forever */
  endless?: boolean;
}

export class ImageServer {
  readonly served = new Map<string, Served>();
  readonly hits = new Map<string, number>();
  private constructor(
    private readonly server: Server,
    readonly base: string,
  ) {}

  static async start(): Promise<ImageServer> {
    let images: ImageServer | undefined;
    const server = createServer((req, res) => {
      const url = req.url ?? '';
      images!.hits.set(url, (images!.hits.get(url) ?? 0) + 1);
      const s = images!.served.get(url);
      if (!s) return res.writeHead(404).end('not here');
      if (s.auth && req.headers.authorization !== `Basic ${Buffer.from(s.auth).toString('base64')}`) return res.writeHead(401, { 'www-authenticate': 'Basic realm="images"' }).end();
      res.writeHead(s.status ?? 200, { 'content-type': 'application/octet-stream', ...s.headers });
      if (s.trickle) {
        const t = setInterval(() => res.write('x'), 300);
        res.on('close', () => clearInterval(t));
        return;
      }
      if (s.endless) {
        const chunk = Buffer.alloc(64 * 1024, 7);
        const pump = () => {
          while (res.write(chunk)) if (res.destroyed) return;
        };
        res.on('drain', pump);
        pump();
        return;
      }
      res.end(s.bytes);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    images = new ImageServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return images;
  }

  /** Serves `bytes` at /images/NAME; returns its URL. */
  serve(name: string, bytes: Uint8Array, more: Omit<Served, 'bytes'> = {}): string {
    this.served.set(`/images/${name}`, { bytes, ...more });
    return `${this.base}/images/${name}`;
  }

  hitsOf(url: string): number {
    return this.hits.get(new URL(url).pathname) ?? 0;
  }

  close(): void {
    this.server.closeAllConnections();
    this.server.close();
  }
}

export const digest = (algorithm: 'md5' | 'sha256' | 'sha512', b: Uint8Array) => createHash(algorithm).update(b).digest('hex');

export type ZipEntries = Record<string, string | Uint8Array>;

/** A zip of `entries`; with a password, AES-encrypted, or ZipCrypto with `zipCrypto`. */
export async function zipOf(entries: ZipEntries, options: { password?: string; zipCrypto?: boolean } = {}): Promise<Uint8Array> {
  const writer = new ZipWriter(new Uint8ArrayWriter(), options.password ? { password: options.password, zipCrypto: options.zipCrypto ?? false } : {});
  for (const [name, content] of Object.entries(entries)) {
    await writer.add(name, new Uint8ArrayReader(typeof content === 'string' ? new TextEncoder().encode(content) : content));
  }
  return writer.close();
}

/** Sends `do load` actions to a Thing and follows its completions and its images message. */
export class LoadClient {
  private n = 0;
  images: ImagesMessage | undefined;
  readonly events: Array<{ topic: string; message: string; code?: string }> = [];
  readonly connections: boolean[] = [];

  private constructor(
    private readonly mqtt: MqttClient,
    readonly thingId: string,
  ) {}

  static async start(mqtt: MqttClient, thingId: string): Promise<LoadClient> {
    const client = new LoadClient(mqtt, thingId);
    mqtt.on('message', (t, p) => {
      if (t === topics.images(thingId) && p.length) client.images = JSON.parse(p.toString()) as ImagesMessage;
      if (t === topics.event(thingId, 'error') || t === topics.event(thingId, 'info')) client.events.push({ topic: t, ...(JSON.parse(p.toString()) as { message: string; code?: string }) });
      if (t === topics.connection(thingId)) client.connections.push((JSON.parse(p.toString()) as { connected: boolean }).connected);
    });
    await mqtt.subscribeAsync([topics.images(thingId), topics.event(thingId, 'error'), topics.event(thingId, 'info'), topics.connection(thingId)], { qos: 1 });
    return client;
  }

  /** Sends a load action (its args) to `topic` (default: the Thing itself); resolves with its completion object. */
  async load(args: Record<string, unknown>, options: { topic?: string; timeoutMs?: number; envelope?: unknown } = {}): Promise<LoadCompletionMessage> {
    const response = (args.response as string | undefined) ?? `glp/0/${this.thingId}/ev/=cms/response/load/t${++this.n}`;
    const completion = new Promise<LoadCompletionMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.mqtt.off('message', on);
        reject(new Error(`no completion on ${response} within ${options.timeoutMs ?? 30_000} ms; events: ${JSON.stringify(this.events.slice(-3))}`));
      }, options.timeoutMs ?? 30_000);
      const on = (t: string, p: Buffer) => {
        if (t !== response) return;
        clearTimeout(timer);
        this.mqtt.off('message', on);
        resolve(JSON.parse(p.toString()) as LoadCompletionMessage);
      };
      this.mqtt.on('message', on);
    });
    await this.mqtt.subscribeAsync(response, { qos: 1 });
    const envelope = options.envelope ?? { action: 'load', args: { ...args, response } };
    await this.mqtt.publishAsync(options.topic ?? topics.thingDo(this.thingId), JSON.stringify(envelope), { qos: 1 });
    try {
      return await completion;
    } finally {
      await this.mqtt.unsubscribeAsync(response);
    }
  }

  /** The images message once `ready` says it is the one awaited. */
  async imagesWhen(ready: (m: ImagesMessage) => boolean, timeoutMs = 10_000): Promise<ImagesMessage> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (this.images && ready(this.images)) return this.images;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`the images message did not become as expected: ${JSON.stringify(this.images)}`);
  }
}
