/**
 * Zips the bundle tests build themselves with yazl: plain ones, and the hostile ones yazl will
 * not write (it refuses unsafe names, and writes true sizes), made by patching bytes it wrote.
 */
import { Readable } from 'node:stream';
import { ZipFile } from 'yazl';

export interface TestEntry {
  name: string;
  /** absent for a folder */
  data?: string | Buffer;
  mode?: number;
}

function collect(zip: ZipFile): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

export function zipOf(entries: TestEntry[]): Promise<Buffer> {
  const zip = new ZipFile();
  for (const e of entries) {
    if (e.data === undefined) zip.addEmptyDirectory(e.name, e.mode === undefined ? {} : { mode: e.mode });
    else zip.addBuffer(Buffer.from(e.data), e.name, e.mode === undefined ? {} : { mode: e.mode });
  }
  zip.end();
  return collect(zip);
}

/** A zip whose entry `name` holds `megabytes` MiB of zeros, deflated as it is read (~1 MB per GB). */
export function zeroBomb(entries: TestEntry[], name: string, megabytes: number): Promise<Buffer> {
  const zip = new ZipFile();
  for (const e of entries) zip.addBuffer(Buffer.from(e.data ?? ''), e.name);
  const mib = Buffer.alloc(1 << 20);
  let left = megabytes;
  zip.addReadStream(new Readable({ read() { this.push(left-- > 0 ? mib : null); } }), name);
  zip.end();
  return collect(zip);
}

/** Replaces every occurrence of the name `from` (local header and central directory) by `to`, of the same length. */
export function renameEntry(zip: Buffer, from: string, to: string): Buffer {
  const a = Buffer.from(from);
  const b = Buffer.from(to);
  if (a.length !== b.length) throw new Error('renameEntry: the names must have the same length in bytes');
  const out = Buffer.from(zip);
  let found = 0;
  for (let i = out.indexOf(a); i >= 0; i = out.indexOf(a, i + 1)) {
    b.copy(out, i);
    found++;
  }
  if (found === 0) throw new Error(`renameEntry: ${from} not found`);
  return out;
}

/** Sets the uncompressed size the central directory declares for `name`: a header that lies. */
export function declareSize(zip: Buffer, name: string, size: number): Buffer {
  const out = Buffer.from(zip);
  const eocd = out.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = out.readUInt16LE(eocd + 10);
  let at = out.readUInt32LE(eocd + 16);
  for (let i = 0; i < count; i++) {
    const nameLength = out.readUInt16LE(at + 28);
    const entryName = out.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    if (entryName === name) {
      out.writeUInt32LE(size, at + 24);
      return out;
    }
    at += 46 + nameLength + out.readUInt16LE(at + 30) + out.readUInt16LE(at + 32);
  }
  throw new Error(`declareSize: ${name} not found`);
}
