/**
 * Performs the fetching part of a bundle's load action (seed 002): a direct HTTP(S) GET of `url` with
 * BasicAuth, no redirect followed (the URL must lead to the image itself), the SHA256 checksum checked
 * over the bytes retrieved, then the bundle read safely. Bundles already read are shared by checksum
 * across the Things of a process: the bytes are still downloaded and checked by each Thing.
 */
import { createHash } from 'node:crypto';
import { readBundle, type BundleContents } from '../bundle';
import type { BundleLoadAction } from '../protocol';
import { download } from '../load/http-download';
import { LoadFailure } from '../load/load-failure';

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
    const bytes = await withRetries(() => download(load.url, { user: load.user, passwd: password }, { maxBytes: MAX_DOWNLOAD_BYTES, timeoutMs: 60_000, stallMs: 30_000 }));
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

/** Delays before the second and third attempt of a download that failed on the way (not one refused for what it is). */
const RETRY_DELAYS_MS = [250, 1000];

async function withRetries(attempt: () => Promise<Buffer>): Promise<Buffer> {
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (e) {
      // Only a failed transfer (refused, reset, a 5xx) is tried again; a redirect, a 4xx or a size
      // over the limit would fail the same way again. The sync's codes stay the finer reasons.
      const failure = e instanceof LoadFailure ? e : undefined;
      const transient = failure?.reason === 'transfer';
      if (!transient || i >= RETRY_DELAYS_MS.length) {
        if (!failure) throw e;
        throw new LoadError(failure.stage === 'auth' ? 'auth' : failure.reason === 'redirect' || failure.reason === 'too-large' ? failure.reason : 'fetch', failure.text);
      }
      await new Promise((r) => setTimeout(r, RETRY_DELAYS_MS[i] * (0.5 + Math.random())));
    }
  }
}
