/**
 * What a CMS shows before it asks to proceed with a load (seed 002: version, issuer, description and
 * readme are there "to display when asking the user for approval"): the data at a load action's
 * url is fetched as the Thing would fetch it, checked by its integrity, and, when it is an outer
 * archive, its manifest is read and checked. Nothing is loaded.
 */
import { createHash } from 'node:crypto';
import { urlBasename } from '../../runtime/load-actions';
import { download, type DownloadLimits } from './http-download';
import { iapmqTopic } from './iapmq-download';
import { readImageArchive, zipMemberNames } from './image-zip';
import { LoadFailure } from './load-failure';
import type { ImageInspection } from '../protocol/api-types';
import { parseManifest, type LoadArgs, type Manifest } from './load-request';
import { checkIntegrity, MANIFEST_NAME } from './retrieve-image';

export async function inspectImage(args: Pick<LoadArgs, 'url' | 'user' | 'passwd' | 'imgpwd' | 'integrity' | 'checksum'>, limits: DownloadLimits): Promise<ImageInspection> {
  if (iapmqTopic(args.url) !== undefined) throw new LoadFailure('fetch', `${args.url} is an image hosted in the broker, which only its Thing reads`, { reason: 'scheme' });
  const data = await download(args.url, args.user !== undefined ? { user: args.user, passwd: args.passwd ?? '' } : undefined, limits);
  checkIntegrity(data, args.integrity, args.checksum, `the data at ${args.url}`);
  const name = urlBasename(args.url) || 'image';
  const facts = { name, size: data.length, sha256: createHash('sha256').update(data).digest('hex'), integrity: args.integrity && args.integrity !== 'none' ? ('checked' as const) : ('unchecked' as const) };
  if (!(await zipMemberNames(data))?.includes(MANIFEST_NAME)) return { ...facts, manifest: null };
  const outer = await readImageArchive(data, name, args.imgpwd).catch((e: unknown) => {
    if (e instanceof LoadFailure && e.reason === 'imgpwd') throw e;
    return undefined;
  });
  const manifestBytes = outer?.files.get(MANIFEST_NAME);
  if (!outer || !manifestBytes) return { ...facts, manifest: null };
  const manifest = parseManifest(Buffer.from(manifestBytes).toString('utf8'), `${MANIFEST_NAME} of ${name}`);
  const member = outer.files.get(manifest.image);
  return { ...facts, manifest: withoutSecrets(manifest), image: { name: manifest.image, inArchive: member !== undefined, ...(member ? { size: member.length } : {}) } };
}

/** The manifest as shown: its passwords are not repeated. */
function withoutSecrets(manifest: Manifest): Manifest {
  const { passwd, imgpwd, ...shown } = manifest;
  return { ...shown, ...(passwd !== undefined ? { passwd: '(set)' } : {}), ...(imgpwd !== undefined ? { imgpwd: '(set)' } : {}) };
}
