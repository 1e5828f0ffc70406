/**
 * The load methods of seed 002, each turning a retrieved image into a prepared change that the
 * load applies at its switchover:
 * - `native`: the image is handed to the target (the Thing's or a device's firmware). A ZIP holding
 *   exactly one file is that file (the single-file rule); any other ZIP, or data that is not a ZIP,
 *   is the image itself.
 * - `setup`: setup-image.ts.
 * - `system`: a setup for the edge server itself, with a new system version; the reboot and the
 *   confirmation happen at the switchover (load-service.ts). An optional `confirm` script in the
 *   image is run after the reboot; a non-zero exit rolls the system back.
 * - `hybrid`: members `setup.N`, `native.N`, `hybrid.N` (and declared non-standard methods) applied
 *   in the numeric order of N, as one change; `system` members are refused, as the seed allows.
 * - a non-standard method (with a period) only when the agent declares it.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { orderHybridMembers, STANDARD_METHODS } from '../../../runtime/load-actions';
import { readImageArchive, zipMemberNames } from '../../load/image-zip';
import { LoadFailure } from '../../load/load-failure';
import { targetLabel, type LoadTarget, type Manifest } from '../../load/load-request';
import { prepareSetup, type SetupOptions } from './setup-image';
import type { ImageRecord, ImagesChange } from './thing-images';

export interface MethodContext {
  target: LoadTarget;
  imgpwd?: string;
  manifest?: Manifest;
  /** non-standard methods this agent supports */
  declared: ReadonlyMap<string, DeclaredMethod>;
  setup: SetupOptions;
  /** IAP timestamp of now */
  now: () => string;
}

export interface PreparedLoad {
  change: ImagesChange;
  /** what the load does, in words */
  summary: string[];
  /** a system image: its version, and its confirm script (run after the reboot) */
  system?: { version: string; confirm?: { dir: string; label: string } };
  /** temporary folders, removed when the load is over */
  dirs: string[];
}

/** A non-standard load method an agent declares (its name has a period). */
export interface DeclaredMethod {
  description: string;
  prepare(image: Uint8Array, name: string, context: MethodContext): Promise<PreparedLoad>;
}

/** How deep hybrid images may nest. */
const MAX_HYBRID_DEPTH = 4;

export async function prepareImage(method: string, image: Uint8Array, name: string, context: MethodContext, depth = 0): Promise<PreparedLoad> {
  switch (method) {
    case 'native':
      return prepareNative(image, name, context);
    case 'setup': {
      requireThing(context.target, 'setup');
      const setup = await prepareSetup(image, name, context.imgpwd, context.setup);
      return { change: { resources: { files: setup.files, from: name } }, summary: [setup.summary], dirs: [setup.dir] };
    }
    case 'system':
      return prepareSystem(image, name, context);
    case 'hybrid':
      return prepareHybrid(image, name, context, depth);
    default: {
      const declared = context.declared.get(method);
      if (declared) return declared.prepare(image, name, context);
      if (method.includes('.')) {
        const known = [...context.declared.keys()];
        throw new LoadFailure('method', `this Thing does not support the non-standard load method "${method}"`, { fix: `use ${STANDARD_METHODS.join(', ')}${known.length ? `, or one it declares: ${known.join(', ')}` : ''}` });
      }
      throw new LoadFailure('method', `"${method}" is not a load method`, { fix: `use ${STANDARD_METHODS.join(', ')}; non-standard methods contain a period` });
    }
  }
}

function requireThing(target: LoadTarget, method: string): void {
  if (target.kind !== 'thing') throw new LoadFailure('method', `a ${method} image is for the edge server itself, not for ${targetLabel(target)}`, { fix: `send the load action to glp/0/{SID}/rq/do` });
}

function record(image: Uint8Array, name: string, context: MethodContext): ImageRecord {
  const m = context.manifest;
  return { image: name, sha256: createHash('sha256').update(image).digest('hex'), size: image.length, ...(m?.version ? { version: m.version } : {}), ...(m?.issuer ? { issuer: m.issuer } : {}), since: context.now() };
}

async function prepareNative(image: Uint8Array, name: string, context: MethodContext): Promise<PreparedLoad> {
  let inner = image;
  let innerName = name;
  // Only a ZIP of exactly one file is opened (its directory says so without inflating anything).
  if ((await zipMemberNames(image))?.filter((n) => !n.endsWith('/')).length === 1) {
    try {
      const archive = await readImageArchive(image, name, context.imgpwd);
      if (archive.files.size === 1) [[innerName, inner]] = [...archive.files];
    } catch (e) {
      // Not a valid ZIP: the data is the image itself. A wrong imgpwd is still an error.
      if (e instanceof LoadFailure && e.reason === 'imgpwd') throw e;
    }
  }
  const target = context.target.kind === 'thing' ? '' : `${context.target.protocol}/${context.target.handle}`;
  const r = record(inner, innerName, context);
  return { change: { firmware: [{ target, record: r }] }, summary: [`${innerName} (${inner.length} bytes) handed to ${targetLabel(context.target)}`], dirs: [] };
}

async function prepareSystem(image: Uint8Array, name: string, context: MethodContext): Promise<PreparedLoad> {
  requireThing(context.target, 'system');
  // Lead-in: the image is checked and extracted before anything changes.
  const setup = await prepareSetup(image, name, context.imgpwd, { ...context.setup, reserved: ['confirm'] });
  const r = record(image, name, context);
  const version = context.manifest?.version ?? `image-${r.sha256.slice(0, 12)}`;
  const confirm = setup.archive.files.has('confirm') ? { dir: setup.dir, label: `the confirm script of ${name}` } : undefined;
  return {
    change: { system: { version, image: r }, resources: { files: setup.files, from: name } },
    summary: [`system ${version} from ${name}: ${setup.summary}`],
    system: { version, ...(confirm ? { confirm } : {}) },
    dirs: [setup.dir],
  };
}

async function prepareHybrid(image: Uint8Array, name: string, context: MethodContext, depth: number): Promise<PreparedLoad> {
  if (depth >= MAX_HYBRID_DEPTH) throw new LoadFailure('method', `${name}: hybrid images nest deeper than ${MAX_HYBRID_DEPTH}`);
  const archive = await readImageArchive(image, name, context.imgpwd);
  const nested = [...archive.files.keys()].filter((n) => n.includes('/'));
  if (nested.length) throw new LoadFailure('method', `${name}: a hybrid image holds its members at its root; "${nested[0]}" is in a folder`);
  const { members, issues } = orderHybridMembers([...archive.files.keys()]);
  const error = issues.find((i) => i.severity === 'error');
  if (error) throw new LoadFailure('method', `${name}: ${error.message}`, { fix: error.fix });
  if (members.length === 0) throw new LoadFailure('method', `${name}: the hybrid image has no members`, { fix: 'add members named after their method and a number, e.g. setup.1 and native.2' });
  const system = members.find((m) => m.method === 'system');
  if (system) throw new LoadFailure('method', `${name}: the member "${system.name}" is a system image, which this Thing does not apply inside a hybrid image (seed 002)`, { fix: 'load the system image with a load action of its own, method "system"' });
  const out: PreparedLoad = { change: { firmware: [], resources: { files: [], from: name } }, summary: [], dirs: [] };
  try {
    for (const m of members) {
      const step = await prepareImage(m.method, archive.files.get(m.name)!, `${name}:${m.name}`, { ...context, manifest: undefined }, depth + 1);
      out.dirs.push(...step.dirs);
      out.change.firmware!.push(...(step.change.firmware ?? []));
      // A later member's file of the same path replaces an earlier one's, as installing in order would.
      const files = out.change.resources!.files.filter((f) => !step.change.resources?.files.some((g) => g.path === f.path));
      out.change.resources!.files = [...files, ...(step.change.resources?.files ?? [])];
      out.summary.push(`${m.name}: ${step.summary.join('; ')}`);
    }
  } catch (e) {
    await removeDirs(out.dirs);
    throw e;
  }
  return out;
}

export async function removeDirs(dirs: readonly string[]): Promise<void> {
  await Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true })));
}
