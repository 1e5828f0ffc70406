/**
 * Performs the fetching part of a bundle's load action (seed 002): a direct HTTP(S) GET of `url` with
 * BasicAuth, no redirect followed (the URL must lead to the image itself), the SHA256 checksum checked
 * over the bytes retrieved, then the bundle read safely. Bundles already read are shared by checksum
 * across the Things of a process: the bytes are still downloaded and checked by each Thing.
 */
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import { readBundle, type BundleContents } from '../bundle';
import type { BundleLoadAction } from '../protocol';

export class LoadError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The largest bundle an agent downloads. */
export const MAX_DOWNLOAD_BYTES = 8 * 1024 * 1024;

export class BundleFetcher {
  private readonly read = new Map<string, Promise<BundleContents>>();

  async fetch(load: BundleLoadAction, password: string, label: string): Promise<BundleContents> {
    const authorization = `Basic ${Buffer.from(`${load.user}:${password}`).toString('base64')}`;
    const bytes = await withRetries(() => download(load.url, authorization));
    const sum = createHash('sha256').update(bytes).digest('hex');
    if (sum !== load.checksum.toLowerCase()) throw new LoadError('checksum', `the bundle ${label} from ${load.url} has SHA256 ${sum}, not the load action's checksum ${load.checksum}: it was not installed`);
    let contents = this.read.get(sum);
    if (!contents) {
      contents = readBundle(bytes, { label, expectedSha256: sum });
      this.read.set(sum, contents);
      contents.catch(() => this.read.delete(sum));
    }
    try {
      return await contents;
    } catch (e) {
      const code = (e as { code?: string }).code ?? 'bad-bundle';
      throw new LoadError(code, (e as Error).message);
    }
  }
}

// node:http with keep-alive agents rather than fetch(): a fleet downloads a thousand bundles at once,
// and undici's fetch cost about 1 ms of the event loop each, node:http a fraction of it.
const agents = { 'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }), 'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }) };

/** GETs `url` itself: no redirect followed, a size limit, a timeout. */
function download(url: string, authorization: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      reject(new LoadError('fetch', `"${url}" is not a URL`));
      return;
    }
    const get = parsed.protocol === 'https:' ? https.get : parsed.protocol === 'http:' ? http.get : undefined;
    if (!get) {
      reject(new LoadError('fetch', `${url}: the agent downloads http and https URLs only`));
      return;
    }
    const req = get(parsed, { agent: agents[parsed.protocol as 'http:' | 'https:'], headers: { authorization }, timeout: 30_000 }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400) {
        res.resume();
        reject(new LoadError('redirect', `${url} answered with a redirect (${status}): a load action's url must lead to the image itself (seed 002)`));
        return;
      }
      const declared = Number(res.headers['content-length'] ?? 0);
      if (declared > MAX_DOWNLOAD_BYTES) {
        res.destroy();
        reject(new LoadError('too-large', `${url} is ${declared} bytes, over the agent's limit of ${MAX_DOWNLOAD_BYTES}`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_DOWNLOAD_BYTES) {
          res.destroy();
          reject(new LoadError('too-large', `${url} is over the agent's limit of ${MAX_DOWNLOAD_BYTES} bytes`));
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        if (status === 200) resolve(body);
        else reject(new LoadError('fetch', `could not download ${url}: HTTP ${status} ${body.toString('utf8', 0, Math.min(body.length, 300))}`));
      });
      res.on('error', (e) => reject(new LoadError('fetch', `could not download ${url}: ${e.message}`)));
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 30 s')));
    req.on('error', (e) => reject(new LoadError('fetch', `could not download ${url}: ${e.message}`)));
  });
}

/** Delays before the second and third attempt of a download that failed on the way (not one refused for what it is). */
const RETRY_DELAYS_MS = [250, 1000];

async function withRetries(attempt: () => Promise<Buffer>): Promise<Buffer> {
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (e) {
      // Only a failed transfer (refused, reset, timed out, a 5xx) is tried again; a redirect, a
      // 4xx or a size over the limit would fail the same way again.
      const transient = e instanceof LoadError && e.code === 'fetch' && !/HTTP 4\d\d/.test(e.message);
      if (!transient || i >= RETRY_DELAYS_MS.length) throw e;
      await new Promise((r) => setTimeout(r, RETRY_DELAYS_MS[i] * (0.5 + Math.random())));
    }
  }
}
