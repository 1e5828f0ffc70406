/**
 * Retrieving a load action's image (seed 002): the data at `url` (http, https or iapmq), checked
 * against `checksum` by `integrity`. When the data is an outer image archive (a ZIP holding
 * `manifest.json`), the manifest names the image: a member of the archive, or a remote reference
 * fetched with the manifest's own credentials and checked by the manifest's own integrity. The load
 * action's values win over the manifest's, except that both `type`s must match and the `method`s may
 * not disagree.
 */
import { createHash } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import { canonicalIntegrity, urlBasename } from '../../runtime/load-actions';
import { download, type DownloadLimits } from './http-download';
import { downloadFromBroker, iapmqTopic } from './iapmq-download';
import { readImageArchive, zipMemberNames } from './image-zip';
import { LoadFailure } from './load-failure';
import { parseManifest, type LoadArgs, type Manifest } from './load-request';

export interface RetrieveContext {
  thingId: string;
  /** the Thing's broker connection, for iapmq: images */
  broker: MqttClient | undefined;
  limits: DownloadLimits;
  /** aborted when the Thing stops: a download in flight ends at once */
  signal?: AbortSignal;
}

export interface RetrievedImage {
  /** the image's file name */
  name: string;
  bytes: Uint8Array;
  /** the outer archive's manifest, when the url led to one */
  manifest?: Manifest;
  /** the password of the image's own archive */
  imgpwd?: string;
}

export const MANIFEST_NAME = 'manifest.json';

export async function retrieveImage(args: LoadArgs, context: RetrieveContext): Promise<RetrievedImage> {
  const data = await fetchUrl(args.url, args.user !== undefined ? { user: args.user, passwd: args.passwd ?? '' } : undefined, context);
  checkIntegrity(data, args.integrity, args.checksum, `the data at ${shown(args.url)}`);
  const name = urlBasename(args.url) || 'image';
  // An outer archive when it is a ZIP holding a manifest (its directory says so without inflating
  // anything); otherwise the data is the image itself, which its method reads.
  if (!(await zipMemberNames(data))?.includes(MANIFEST_NAME)) return { name, bytes: data, ...(args.imgpwd !== undefined ? { imgpwd: args.imgpwd } : {}) };
  const outer = await readImageArchive(data, name, args.imgpwd).catch((e: unknown) => {
    if (e instanceof LoadFailure && e.reason === 'imgpwd') throw e;
    return undefined;
  });
  const manifestBytes = outer?.files.get(MANIFEST_NAME);
  if (!outer || !manifestBytes) return { name, bytes: data, ...(args.imgpwd !== undefined ? { imgpwd: args.imgpwd } : {}) };
  const manifest = parseManifest(Buffer.from(manifestBytes).toString('utf8'), `${MANIFEST_NAME} of ${name}`);
  if (manifest.method !== undefined && manifest.method !== args.method) {
    throw new LoadFailure('method', `the load action's method "${args.method}" differs from the manifest's "${manifest.method}" in ${name}`, { fix: `send the load action with method "${manifest.method}", as the image's publisher says` });
  }
  const imgpwd = args.imgpwd ?? manifest.imgpwd;
  const member = outer.files.get(manifest.image);
  if (member) {
    checkIntegrity(member, manifest.integrity, manifest.checksum, `${manifest.image} in ${name}`);
    return { name: manifest.image, bytes: member, manifest, ...(imgpwd !== undefined ? { imgpwd } : {}) };
  }
  // Not a member: a reference to a remote image (seed 002), fetched with the manifest's credentials.
  const user = manifest.user ?? args.user;
  const passwd = manifest.user !== undefined ? manifest.passwd : args.passwd;
  const remote = await fetchUrl(manifest.image, user !== undefined ? { user, passwd: passwd ?? '' } : undefined, context);
  checkIntegrity(remote, manifest.integrity, manifest.checksum, `the image at ${shown(manifest.image)}`);
  return { name: urlBasename(manifest.image) || 'image', bytes: remote, manifest, ...(imgpwd !== undefined ? { imgpwd } : {}) };
}

async function fetchUrl(url: string, credentials: { user: string; passwd: string } | undefined, context: RetrieveContext): Promise<Uint8Array> {
  if (iapmqTopic(url) !== undefined) {
    if (!context.broker) throw new LoadFailure('fetch', `${url}: the Thing is not connected to its broker`, { reason: 'transfer' });
    return downloadFromBroker(context.broker, context.thingId, url, undefined, context.signal);
  }
  return download(url, credentials, context.limits, context.signal);
}

/** Fails at stage `integrity` unless `data` has the checksum (no check when integrity is null, absent or "none"). */
export function checkIntegrity(data: Uint8Array, integrity: string | null | undefined, checksum: string | undefined, what: string): void {
  if (integrity === undefined || integrity === null) return;
  const algorithm = canonicalIntegrity(integrity);
  if (algorithm === 'none') return;
  if (algorithm === undefined) throw new LoadFailure('integrity', `integrity "${integrity}" is not an algorithm this Thing knows`, { fix: 'write MD5, SHA256 or SHA512, or null for no check' });
  if (!checksum) throw new LoadFailure('integrity', `integrity is ${algorithm}, but there is no checksum to check ${what} against`, { fix: `add "checksum" with the ${algorithm} of the image, or set integrity to null` });
  const sum = createHash(algorithm.toLowerCase()).update(data).digest('hex');
  if (sum !== checksum.toLowerCase()) throw new LoadFailure('integrity', `${what} has ${algorithm} ${sum}, not the checksum ${checksum}`, { fix: 'the image changed or was damaged on the way: check the url and the checksum' });
}

/** A URL without credentials or query, for messages. */
function shown(url: string): string {
  try {
    const u = new URL(url);
    return u.protocol === 'iapmq:' ? url : `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return url;
  }
}
