/**
 * The setup method (seed 002): the image is a ZIP archive. With a `setup` script at its root, the
 * archive is extracted into a temporary folder and the script installs its content, confined to
 * that folder (confined-script.ts): what it puts in `$SMARTPLUG_INSTALL` is what it installs. Its
 * stderr is the diagnosis and a non-zero exit a failure. Without a script, the generic setup
 * installs the recognised resources (Modbus interface files, LonWorks interface files, device
 * resource files in XML, application metadata files) and fails on anything else. Nothing is
 * installed here: the result is a change the load applies at its switchover.
 */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { runConfinedScript } from './confined-script';
import { readImageArchive, type ImageArchive } from '../../load/image-zip';
import { LoadFailure } from '../../load/load-failure';
import type { ResourceFile, ResourceKind } from './thing-images';

export interface SetupOptions {
  scriptTimeoutMs: number;
  /** where temporary folders are made (default: the system's) */
  tmpDir?: string;
  /** members that are not installed (a system image's confirm script) */
  reserved?: readonly string[];
  /** aborted when the Thing stops: a running setup script is killed */
  signal?: AbortSignal;
}

/** A setup image, extracted and ready to install. */
export interface PreparedSetup {
  files: ResourceFile[];
  /** what it did, for the Thing's events ("the setup script installed 2 files") */
  summary: string;
  /** the extracted folder (a system image's confirm script runs there after the reboot) */
  dir: string;
  archive: ImageArchive;
}

const RESOURCE_KINDS: ReadonlyArray<{ kind: ResourceKind; extension: string; what: string; check?: (text: string) => string | undefined }> = [
  { kind: 'modbus', extension: '.mod', what: 'Modbus interface file', check: (t) => (/^\uFEFF?#filetype,\s*Modbus_xif\b/i.test(t) ? undefined : 'does not begin with "#filetype,Modbus_xif"') },
  { kind: 'xif', extension: '.xif', what: 'LonWorks interface file' },
  { kind: 'drf-xml', extension: '.xml', what: 'device resource file (XML)', check: (t) => (/^\uFEFF?\s*</.test(t) ? undefined : 'is not XML') },
  { kind: 'amd', extension: '.amd', what: 'application metadata file' },
];
/** LonWorks resource file sets in binary form: seed 002 says they are supported "after the beta release". */
const DRF_BIN = new Set(['.typ', '.fmt', '.fpt', '.enu']);

export async function prepareSetup(image: Uint8Array, label: string, imgpwd: string | undefined, options: SetupOptions): Promise<PreparedSetup> {
  const archive = await readImageArchive(image, label, imgpwd);
  const dir = await fs.mkdtemp(path.join(options.tmpDir ?? os.tmpdir(), 'smartplug-load-'));
  try {
    await extract(archive, dir);
    if (archive.files.has('setup')) {
      const files = await runSetupScript(dir, `the setup script of ${label}`, options.scriptTimeoutMs, 'setup', options.signal);
      return { files, summary: `the setup script of ${label} installed ${files.length} file${files.length === 1 ? '' : 's'}`, dir, archive };
    }
    const files = genericSetup(archive, label, options.reserved ?? []);
    return { files, summary: `the generic setup installed ${files.map((f) => f.path).join(', ') || 'nothing'} from ${label}`, dir, archive };
  } catch (e) {
    await fs.rm(dir, { recursive: true, force: true });
    throw e;
  }
}

/** Runs a script of an extracted image and takes what it put in install/; a non-zero exit fails at stage `script` with its stderr. */
export async function runSetupScript(dir: string, label: string, timeoutMs: number, script = 'setup', signal?: AbortSignal): Promise<ResourceFile[]> {
  const install = path.join(dir, 'install');
  await fs.rm(install, { recursive: true, force: true });
  const result = await runConfinedScript(dir, script, { timeoutMs, label, ...(signal ? { signal } : {}) });
  if (result.code !== 0) {
    const stderr = result.stderr.trim();
    throw new LoadFailure('script', `${label} exited with code ${result.code}${stderr ? `: ${tail(stderr)}` : ' and wrote nothing to stderr'}`, { reason: 'exit' });
  }
  const files: ResourceFile[] = [];
  for (const rel of await listFiles(install)) files.push({ path: rel, kind: kindOf(rel) ?? 'file', data: await fs.readFile(path.join(install, rel)) });
  return files;
}

/** The generic setup: every file must be a recognised resource. */
function genericSetup(archive: ImageArchive, label: string, reserved: readonly string[]): ResourceFile[] {
  const names = [...archive.files.keys()];
  if (names.includes('app.json') && names.includes('app.js')) {
    throw new LoadFailure('script', `${label} is a SmartPlug app bundle, which the generic setup does not install`, { fix: 'deploy the app (smartplug deploy) and add it to the Thing: the platform provisions it with the Thing\'s other apps' });
  }
  const files: ResourceFile[] = [];
  for (const [name, data] of archive.files) {
    if (reserved.includes(name)) continue;
    const extension = path.extname(name).toLowerCase();
    if (DRF_BIN.has(extension)) throw new LoadFailure('script', `the generic setup does not install ${name} of ${label}: binary device resource files (DRF/bin) are not supported (seed 002)`, { fix: 'convert the resource file set to XML (DRF/xml)' });
    const known = RESOURCE_KINDS.find((k) => k.extension === extension);
    if (!known) {
      throw new LoadFailure('script', `the generic setup does not know what to do with ${name} of ${label}`, { fix: `a setup image without a setup script may hold only ${RESOURCE_KINDS.map((k) => `${k.what}s (${k.extension})`).join(', ')}; add a setup script for anything else` });
    }
    const wrong = known.check?.(Buffer.from(data.subarray(0, 4096)).toString('utf8'));
    if (wrong) throw new LoadFailure('script', `${name} of ${label} ${wrong}, so it is not a ${known.what}`);
    files.push({ path: name, kind: known.kind, data });
  }
  return files;
}

function kindOf(name: string): ResourceKind | undefined {
  const extension = path.extname(name).toLowerCase();
  return RESOURCE_KINDS.find((k) => k.extension === extension)?.kind;
}

async function extract(archive: ImageArchive, dir: string): Promise<void> {
  for (const [name, data] of archive.files) {
    const file = path.join(dir, name);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, data);
  }
}

async function listFiles(root: string, prefix = ''): Promise<string[]> {
  const entries = await fs.readdir(path.join(root, prefix), { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const e of entries) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(root, rel)));
    else if (e.isFile()) out.push(rel);
    // (a symbolic link the script made is not followed: it could lead outside the folder)
  }
  return out.sort();
}

function tail(text: string): string {
  return text.length > 2000 ? `…${text.slice(-2000)}` : text;
}
