/**
 * The image URL of a load action (and a remote `image` of a manifest). Seed 002: a WGET-compatible
 * http/https URL of the image file itself, or the iapmq pseudo-protocol; not a download page or a
 * redirecting link such as file-sharing services hand out. Credentials belong in user/passwd,
 * where they are not copied into logs along with the URL.
 * Decision: `file:` is a warning, not an error, because the Load Do Action page permits local file
 * references "in special cases"; every other scheme is an error.
 */
import type { ValueIssue } from './value-issue';

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;

interface SharingService {
  readonly hosts: RegExp;
  readonly path?: RegExp;
  readonly service: string;
  readonly why: string;
  /** A direct URL for the same file, when it can be derived. */
  readonly direct?: (u: URL) => string | undefined;
}

const SHARING_SERVICES: readonly SharingService[] = [
  { hosts: /^(drive|docs)\.google\.com$/, service: 'Google Drive', why: 'leads to a web page (large files to a virus-scan page), not to the file' },
  { hosts: /^(www\.)?dropbox\.com$/, service: 'Dropbox', why: 'leads to a preview page, or redirects (dl=1)' },
  { hosts: /^(onedrive\.live\.com|1drv\.ms|[a-z0-9-]+\.sharepoint\.com)$/, service: 'OneDrive/SharePoint', why: 'leads to a sharing page or redirects' },
  { hosts: /^((www\.)?wetransfer\.com|we\.tl)$/, service: 'WeTransfer', why: 'leads to a download page' },
  { hosts: /^(www\.)?mega\.(nz|co\.nz|io)$/, service: 'MEGA', why: 'leads to a page that decrypts the file in the browser' },
  { hosts: /^(www\.)?mediafire\.com$/, service: 'MediaFire', why: 'leads to a download page' },
  { hosts: /^([a-z0-9-]+\.)?box\.com$/, path: /^\/s\//, service: 'Box', why: 'leads to a sharing page' },
  {
    hosts: /^(www\.)?github\.com$/,
    path: /^\/[^/]+\/[^/]+\/blob\//,
    service: 'GitHub',
    why: 'leads to the page that shows the file, not the file',
    direct: (u) => {
      const [, owner, repo, , ...rest] = u.pathname.split('/');
      return `https://raw.githubusercontent.com/${owner}/${repo}/${rest.join('/')}`;
    },
  },
  {
    hosts: /^(www\.)?gitlab\.com$/,
    path: /\/-\/blob\//,
    service: 'GitLab',
    why: 'leads to the page that shows the file, not the file',
    direct: (u) => `${u.origin}${u.pathname.replace('/-/blob/', '/-/raw/')}${u.search}`,
  },
  { hosts: /^(www\.)?sourceforge\.net$/, path: /\/files\//, service: 'SourceForge', why: 'leads to a download page that redirects to a mirror' },
  { hosts: /^(bit\.ly|tinyurl\.com|goo\.gl|t\.co|ow\.ly|is\.gd|buff\.ly|rebrand\.ly|cutt\.ly|tiny\.cc)$/, service: 'a URL shortener', why: 'is a redirecting link' },
];

function issue(severity: ValueIssue['severity'], code: string, index: number, length: number, message: string, fix: string, replacement?: string): ValueIssue {
  return { severity, code, index, length, message, fix, ...(replacement !== undefined ? { replacement } : {}) };
}

/**
 * Problems with an image URL, at their ranges in the value. `property` names it in messages
 * (`url`, or `image` for a remote image of a manifest).
 */
export function checkImageUrl(url: string, property = 'url'): ValueIssue[] {
  const out: ValueIssue[] = [];
  if (url.trim() === '') {
    return [issue('error', 'load-url-invalid', 0, url.length, `${property} is empty`, 'write the http or https URL of the image file')];
  }
  const lead = /^\s+/.exec(url);
  if (lead) out.push(issue('error', 'load-url-invalid', 0, lead[0].length, `${property} starts with white space`, 'remove it', ''));
  const trail = /\s+$/.exec(url);
  if (trail && trail.index > 0) out.push(issue('error', 'load-url-invalid', trail.index, trail[0].length, `${property} ends with white space`, 'remove it', ''));
  if (lead || trail) return out;

  const m = SCHEME.exec(url);
  const scheme = m?.[1];
  const afterColon = scheme !== undefined ? url.slice(scheme.length + 1) : '';
  if (scheme === undefined || (/^\d/.test(afterColon) && scheme.includes('.')) || scheme.toLowerCase() === 'localhost') {
    return [missingScheme(url, property)];
  }
  if (scheme.length === 1 && /^[\\/]/.test(afterColon)) {
    return [issue('error', 'load-url-invalid', 0, url.length, `${property} is a Windows file path, not a URL`, 'host the image on an http or https server and write its URL')];
  }
  const lower = scheme.toLowerCase();
  if (lower === 'http' || lower === 'https') {
    if (scheme !== lower) out.push(issue('warning', 'load-url-scheme', 0, scheme.length, `write the scheme in lower case: ${lower}`, `write ${lower}`, lower));
    out.push(...checkHttpUrl(url, scheme.length, property));
    return out;
  }
  if (lower === 'iapmq') {
    if (afterColon.trim() === '') out.push(issue('error', 'load-url-invalid', 0, url.length, 'an iapmq: URL must say which image hosted in the broker to load', 'write iapmq: followed by the reference of the image'));
    const space = /\s/.exec(url);
    if (space) out.push(spaceIssue(url, space.index, property));
    return out;
  }
  if (lower === 'file') {
    return [issue('warning', 'load-url-scheme', 0, scheme.length, 'file: URLs are allowed only in special cases (local references on the edge server); the load action expects a WGET-compatible http or https URL', 'host the image on an http or https server, or use iapmq: for a small image hosted in the broker')];
  }
  const hint = lower === 'ftp' || lower === 'ftps' || lower === 'sftp' ? ' (WGET-compatible here means http or https)' : '';
  return [issue('error', 'load-url-scheme', 0, scheme.length, `${property} uses the scheme "${scheme}"; only http, https and iapmq are allowed${hint}`, 'host the image on an http or https server and write that URL')];
}

function missingScheme(url: string, property: string): ValueIssue {
  if (url.startsWith('//')) {
    return issue('error', 'load-url-invalid', 0, 0, `${property} has no scheme`, 'write https: (or http:) before //', 'https:');
  }
  // A bare file name (top900.bin) also has a dot: a host needs a path after it, or a www.
  const hostLike = /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:\d+)?\//.test(url) || /^www\.[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:\d+)?$/i.test(url);
  if (hostLike || /^localhost(:\d+)?(\/|$)/i.test(url)) {
    return issue('error', 'load-url-invalid', 0, 0, `${property} is not a URL: the scheme is missing`, 'write https:// (or http://) before the host name', 'https://');
  }
  return issue('error', 'load-url-invalid', 0, url.length, `${property} is not a URL`, 'write the full http or https URL of the image file, e.g. https://www.example.com/images/image.bin');
}

function spaceIssue(url: string, index: number, property: string): ValueIssue {
  return issue('error', 'load-url-invalid', index, 1, `${property} contains white space, which a URL cannot contain`, 'write a space as %20', url[index] === ' ' ? '%20' : undefined);
}

function checkHttpUrl(url: string, schemeLength: number, property: string): ValueIssue[] {
  const out: ValueIssue[] = [];
  const slashes = /^[\\/]*/.exec(url.slice(schemeLength + 1))![0];
  if (slashes !== '//') {
    out.push(issue('error', 'load-url-invalid', schemeLength + 1, slashes.length, `expected // after ${url.slice(0, schemeLength)}:`, `write ${url.slice(0, schemeLength)}://`, '//'));
    return out;
  }
  const authStart = schemeLength + 3;
  const authEnd = (() => {
    const i = url.slice(authStart).search(/[/?#]/);
    return i < 0 ? url.length : authStart + i;
  })();
  const authority = url.slice(authStart, authEnd);
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    out.push(issue('warning', 'load-url-credentials', authStart, at + 1, `${property} carries credentials; they end up in logs and in every copy of the load action`, 'remove them from the URL and set the user and passwd properties', ''));
  }
  const hostPort = authority.slice(at + 1);
  const hostStart = authStart + at + 1;
  const portMatch = /:([^:\]]*)$/.exec(hostPort);
  const host = portMatch ? hostPort.slice(0, portMatch.index) : hostPort;
  if (host === '') {
    out.push(issue('error', 'load-url-invalid', hostStart, hostPort.length, `${property} has no host name`, 'write the server name after //, e.g. https://www.example.com/image.bin'));
    return out;
  }
  if (portMatch && (!/^\d+$/.test(portMatch[1]) || Number(portMatch[1]) > 65535)) {
    const portIndex = hostStart + portMatch.index + 1;
    out.push(issue('error', 'load-url-invalid', portIndex, portMatch[1].length, `invalid port ${JSON.stringify(portMatch[1])}`, 'write a port number from 1 to 65535, or none for the default'));
    return out;
  }
  const space = /\s/.exec(url);
  if (space) {
    out.push(spaceIssue(url, space.index, property));
    return out;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    out.push(issue('error', 'load-url-invalid', 0, url.length, `${property} is not a valid URL`, 'check the host name and the characters of the URL; write special characters %-encoded'));
    return out;
  }
  const page = sharingPage(parsed);
  if (page) out.push(issue('warning', 'load-url-download-page', 0, url.length, page.message, page.fix, page.replacement));
  else if (parsed.pathname === '/' || parsed.pathname === '') {
    out.push(issue('warning', 'load-url-download-page', 0, url.length, `${property} names a server but no file`, 'write the URL of the image file itself'));
  }
  return out;
}

function sharingPage(u: URL): { message: string; fix: string; replacement?: string } | undefined {
  const host = u.hostname.toLowerCase();
  for (const s of SHARING_SERVICES) {
    if (!s.hosts.test(host) || (s.path && !s.path.test(u.pathname))) continue;
    const direct = s.direct?.(u);
    return {
      message: `this ${s.service} link ${s.why}; wget of the URL must produce the image file itself`,
      fix: direct ? `use the direct link ${direct}` : 'host the image where a plain HTTP GET returns the file, and write that URL',
      ...(direct ? { replacement: direct } : {}),
    };
  }
  return undefined;
}

/** The last path segment of a URL or file name (`321.zip`), without query or fragment. */
export function urlBasename(reference: string): string {
  const noQuery = reference.replace(/[?#].*$/, '');
  const afterScheme = noQuery.replace(SCHEME, '');
  const parts = afterScheme.split(/[/\\]/);
  const last = parts[parts.length - 1] ?? '';
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/** Whether a reference has a scheme (`https://…`, `iapmq:…`), i.e. is remote rather than an archive member. */
export function hasScheme(reference: string): boolean {
  const m = SCHEME.exec(reference);
  return m !== null && m[1].length > 1;
}
