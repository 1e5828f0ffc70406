/**
 * Performs the fetching part of a bundle's load action (seed 002): a direct HTTP(S) GET of `url` with
 * BasicAuth, no redirect followed (the URL must lead to the image itself), the SHA256 checksum checked
 * over the bytes retrieved, then the bundle read safely. Bundles already read are shared by checksum
 * across the Things of a process: the bytes are still downloaded and checked by each Thing.
 */
import { createHash } from 'node:crypto';
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
    let response: Response;
    try {
      response = await fetch(load.url, {
        redirect: 'manual',
        headers: { authorization: `Basic ${Buffer.from(`${load.user}:${password}`).toString('base64')}` },
        signal: AbortSignal.timeout(30_000),
      });
    } catch (e) {
      throw new LoadError('fetch', `could not download ${load.url}: ${(e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : (e as Error).message}`);
    }
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      throw new LoadError('redirect', `${load.url} answered with a redirect (${response.status}): a load action's url must lead to the image itself (seed 002)`);
    }
    if (!response.ok) {
      const text = (await response.text().catch(() => '')).slice(0, 300);
      throw new LoadError('fetch', `could not download ${load.url}: HTTP ${response.status} ${text}`);
    }
    const declared = Number(response.headers.get('content-length') ?? 0);
    if (declared > MAX_DOWNLOAD_BYTES) {
      await response.body?.cancel();
      throw new LoadError('too-large', `${load.url} is ${declared} bytes, over the agent's limit of ${MAX_DOWNLOAD_BYTES}`);
    }
    const bytes = Buffer.from(await response.arrayBuffer());
    if (bytes.length > MAX_DOWNLOAD_BYTES) throw new LoadError('too-large', `${load.url} is over the agent's limit of ${MAX_DOWNLOAD_BYTES} bytes`);
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
