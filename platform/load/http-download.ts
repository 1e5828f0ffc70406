/**
 * The fetching of a load action's image over http or https (seed 002): a direct GET of the URL, as
 * WGET would, with HTTP BasicAuth from `user`/`passwd`. The URL must lead to the image itself, so a
 * redirect is an error, and so is an HTML page (a download page) where an image was expected. A
 * download stops at a size limit, at a time limit for the whole transfer, and when the server goes
 * silent: a slow or endless download cannot hold a Thing's load queue.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { LoadFailure } from './load-failure';

export interface DownloadLimits {
  /** the most bytes taken */
  maxBytes: number;
  /** the whole transfer's limit */
  timeoutMs: number;
  /** the longest silence of the server */
  stallMs: number;
}

export const DEFAULT_DOWNLOAD_LIMITS: DownloadLimits = { maxBytes: 64 * 1024 * 1024, timeoutMs: 120_000, stallMs: 30_000 };

export interface Credentials {
  user: string;
  passwd: string;
}

// node:http with keep-alive agents rather than fetch(): a fleet downloads a thousand bundles at once,
// and undici's fetch cost about 1 ms of the event loop each, node:http a fraction of it.
const agents = { 'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }), 'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }) };

/**
 * GETs `url` itself. Fails with a LoadFailure at stage `fetch` (reason `redirect`, `too-large`,
 * `too-slow`, `download-page`, `http-status`, or `transfer` for one that failed on the way and may
 * work when tried again) or `auth` (401, 403).
 */
export function download(url: string, credentials: Credentials | undefined, limits: DownloadLimits = DEFAULT_DOWNLOAD_LIMITS, signal?: AbortSignal): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      reject(new LoadFailure('fetch', `"${url}" is not a URL`, { reason: 'not-a-url', fix: 'write the http or https URL of the image file' }));
      return;
    }
    const get = parsed.protocol === 'https:' ? https.get : parsed.protocol === 'http:' ? http.get : undefined;
    if (!get) {
      reject(new LoadFailure('fetch', `${url}: the agent downloads http and https URLs (and iapmq: images hosted in the broker) only`, { reason: 'scheme' }));
      return;
    }
    // The URL is named without any user:password written into it.
    const shown = `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
    const fail = (e: LoadFailure) => {
      clearTimeout(overall);
      signal?.removeEventListener('abort', onAbort);
      req.destroy();
      reject(e);
    };
    // The Thing stopping: the download ends at once (a load in flight must not outlive its agent).
    const onAbort = () => fail(new LoadFailure('fetch', `the download of ${shown} was stopped: the Thing stopped`, { reason: 'stopped' }));
    const headers: http.OutgoingHttpHeaders = credentials ? { authorization: `Basic ${Buffer.from(`${credentials.user}:${credentials.passwd}`).toString('base64')}` } : {};
    const req = get(parsed, { agent: agents[parsed.protocol as 'http:' | 'https:'], headers, timeout: limits.stallMs }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400) {
        res.resume();
        return fail(new LoadFailure('fetch', `${shown} answered with a redirect (${status}${res.headers.location ? ` to ${res.headers.location}` : ''})`, { reason: 'redirect', fix: "a load action's url must lead to the image itself (seed 002): write the URL the redirect leads to" }));
      }
      if (status === 401 || status === 403) {
        res.resume();
        const why = credentials ? `refused the credentials of user "${credentials.user}"` : 'asks for credentials';
        return fail(new LoadFailure('auth', `${shown} ${why} (HTTP ${status})`, { fix: credentials ? 'check user and passwd' : 'add "user" and "passwd" (HTTP BasicAuth)' }));
      }
      const declared = Number(res.headers['content-length'] ?? 0);
      if (declared > limits.maxBytes) {
        return fail(new LoadFailure('fetch', `${shown} is ${declared} bytes, over the agent's limit of ${limits.maxBytes}`, { reason: 'too-large' }));
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > limits.maxBytes) return fail(new LoadFailure('fetch', `${shown} sent more than the agent's limit of ${limits.maxBytes} bytes`, { reason: 'too-large' }));
        chunks.push(c);
      });
      res.on('end', () => {
        clearTimeout(overall);
        signal?.removeEventListener('abort', onAbort);
        const body = Buffer.concat(chunks);
        if (status !== 200) {
          const reason = status >= 500 ? 'transfer' : 'http-status';
          reject(new LoadFailure('fetch', `could not download ${shown}: HTTP ${status} ${body.toString('utf8', 0, Math.min(body.length, 300))}`.trimEnd(), { reason }));
        } else if (isHtmlPage(res.headers['content-type'], body)) {
          reject(new LoadFailure('fetch', `${shown} is a web page (${res.headers['content-type'] ?? 'HTML'}), not an image`, { reason: 'download-page', fix: "a load action's url must lead to the image file itself, not to a download page (seed 002)" }));
        } else resolve(body);
      });
      res.on('error', (e) => fail(new LoadFailure('fetch', `could not download ${shown}: ${e.message}`, { reason: 'transfer' })));
    });
    const overall = setTimeout(() => fail(new LoadFailure('fetch', `${shown} was not downloaded within ${limits.timeoutMs / 1000} s`, { reason: 'too-slow' })), limits.timeoutMs);
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    req.on('timeout', () => fail(new LoadFailure('fetch', `${shown} sent nothing for ${limits.stallMs / 1000} s`, { reason: 'too-slow' })));
    req.on('error', (e) => {
      clearTimeout(overall);
      signal?.removeEventListener('abort', onAbort);
      reject(new LoadFailure('fetch', `could not download ${shown}: ${e.message}`, { reason: 'transfer' }));
    });
  });
}

/** An HTML document where an image was expected: what file-sharing services answer for a "download link". */
function isHtmlPage(contentType: string | undefined, body: Buffer): boolean {
  if (contentType && /^\s*(text\/html|application\/xhtml\+xml)\b/i.test(contentType)) return true;
  const head = body.toString('latin1', 0, Math.min(body.length, 512)).trimStart().toLowerCase();
  return head.startsWith('<!doctype html') || head.startsWith('<html');
}
