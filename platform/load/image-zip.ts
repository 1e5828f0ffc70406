/**
 * ZIP archives of load actions (seed 002): the outer image with its manifest, setup and system
 * images, hybrid images, a native image wrapped in a zip, each possibly protected by `imgpwd`.
 * Read with @zip.js/zip.js, which opens both ZipCrypto and AES-encrypted entries (yauzl, which reads
 * app bundles, opens neither). Everything is read in memory under limits: a member's name must be a
 * plain relative path, and the members' sizes are counted as they inflate, so a zip bomb stops at
 * the limit whatever its headers claim.
 */
import { ZipReader, Uint8ArrayReader, Writer, configure, type Entry } from '@zip.js/zip.js';
import { LoadFailure } from './load-failure';

// No web workers in Node (and none in the extension host): inflate on this thread.
configure({ useWebWorkers: false });

export interface ZipLimits {
  maxEntries: number;
  /** the most bytes all members inflate to, together */
  maxTotalBytes: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 2000, maxTotalBytes: 256 * 1024 * 1024 };

export interface ImageArchive {
  /** Files by their path inside the archive (folders are implied by the paths). */
  readonly files: ReadonlyMap<string, Uint8Array>;
  /** Whether any member was encrypted. */
  readonly encrypted: boolean;
}

/** Whether the bytes begin like a ZIP archive (a local file header, or an empty archive's end record). */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && ((bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6));
}

/** The names of an archive's members, read from its directory without inflating anything; undefined when it is not a ZIP. */
export async function zipMemberNames(bytes: Uint8Array): Promise<string[] | undefined> {
  if (!looksLikeZip(bytes)) return undefined;
  const reader = new ZipReader(new Uint8ArrayReader(bytes));
  try {
    return (await reader.getEntries()).map((e) => e.filename);
  } catch {
    return undefined;
  } finally {
    await reader.close().catch(() => undefined);
  }
}

/**
 * Every file of the archive `label` (named in errors), opened with `password` when its members are
 * encrypted. Fails at stage `unpack`, naming the archive and the member.
 */
export async function readImageArchive(bytes: Uint8Array, label: string, password: string | undefined, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<ImageArchive> {
  const reader = new ZipReader(new Uint8ArrayReader(bytes));
  let entries: Entry[];
  try {
    entries = await reader.getEntries();
  } catch (e) {
    throw new LoadFailure('unpack', `${label} is not a ZIP archive that can be read (${(e as Error).message})`);
  }
  if (entries.length > limits.maxEntries) throw new LoadFailure('unpack', `${label} has ${entries.length} members, over the agent's limit of ${limits.maxEntries}`);
  const files = new Map<string, Uint8Array>();
  let total = 0;
  let encrypted = false;
  for (const entry of entries) {
    const name = entry.filename;
    const unsafe = unsafeName(name);
    if (unsafe) throw new LoadFailure('unpack', `${label}: the member "${name}" ${unsafe}`, { fix: 'archive members are plain relative paths' });
    if (entry.directory) continue;
    if (entry.encrypted) {
      encrypted = true;
      if (password === undefined) throw new LoadFailure('unpack', `${label}: the member "${name}" is encrypted, and the load action has no imgpwd`, { fix: 'add "imgpwd" with the archive\'s password' });
    }
    const writer = new CappedWriter(limits.maxTotalBytes - total, () => new LoadFailure('unpack', `${label} inflates to more than the agent's limit of ${limits.maxTotalBytes} bytes (at "${name}")`));
    try {
      await entry.getData!(writer, entry.encrypted ? { password } : {});
    } catch (e) {
      if (e instanceof LoadFailure) throw e;
      const message = (e as Error).message;
      if (/invalid password/i.test(message)) throw new LoadFailure('unpack', `${label}: imgpwd does not open the member "${name}"`, { reason: 'imgpwd', fix: 'check imgpwd' });
      throw new LoadFailure('unpack', `${label}: the member "${name}" cannot be read (${message})`);
    }
    const data = await writer.getData();
    total += data.length;
    if (files.has(name)) throw new LoadFailure('unpack', `${label} holds "${name}" twice`);
    files.set(name, data);
  }
  await reader.close();
  return { files, encrypted };
}

/** Why a member name is not a plain relative path, or undefined when it is one. */
function unsafeName(name: string): string | undefined {
  if (name === '' || name.includes('\u0000')) return 'has no usable name';
  if (name.includes('\\')) return 'has a backslash in its name';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'is an absolute path';
  if (name.split('/').some((part) => part === '..' || part === '.')) return 'leads out of the archive (. or .. in its path)';
  return undefined;
}

/** A zip.js writer that keeps the inflated bytes and fails past its budget. */
class CappedWriter extends Writer<Uint8Array> {
  private readonly chunks: Uint8Array[] = [];
  private written = 0;

  constructor(
    private readonly budget: number,
    private readonly overflow: () => LoadFailure,
  ) {
    super();
  }

  override async writeUint8Array(array: Uint8Array): Promise<void> {
    this.written += array.length;
    if (this.written > this.budget) throw this.overflow();
    this.chunks.push(array.slice());
  }

  override async getData(): Promise<Uint8Array> {
    return Buffer.concat(this.chunks);
  }
}
