/**
 * Reads a zip held in memory with yauzl, entry by entry, refusing before it inflates anything what
 * the central directory already shows wrong (names, links, counts, declared sizes), and counting
 * the bytes actually inflated, which it stops at the limit whatever the headers say.
 */
import type { Readable } from 'node:stream';
import * as yauzl from 'yauzl';
import { BundleError } from './bundle-error';
import { classifyEntry, collisionKey } from './entry-checks';

export interface ZipLimits {
  label: string;
  maxUnpackedBytes: number;
  maxEntries: number;
}

export interface ZipRead {
  /** file entries (not folders), in the zip's order */
  files: string[];
  /** the bytes of the files `keep` asked for */
  kept: Map<string, Buffer>;
}

/**
 * Reads every entry of `bytes` (so a bomb anywhere in the zip is found), keeping the bytes of the
 * files `keep` says yes to. Throws BundleError.
 */
export async function readZip(bytes: Buffer, limits: ZipLimits, keep: (name: string) => boolean): Promise<ZipRead> {
  const { label } = limits;
  const zip = await openZip(bytes, label);
  try {
    if (zip.entryCount > limits.maxEntries) {
      throw new BundleError('too-large', label, `the zip has ${zip.entryCount} entries, more than the ${limits.maxEntries} allowed`, 'remove files from the app folder that the app does not need');
    }
    const files: string[] = [];
    const kept = new Map<string, Buffer>();
    const seen = new Set<string>();
    let unpacked = 0;
    for (;;) {
      const entry = await nextEntry(zip, label);
      if (!entry) break;
      // Decoded here rather than by yauzl, whose own check throws plain errors without the entry's
      // name; strict keeps backslashes so that they are refused, not silently turned into "/".
      const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, true);
      const kind = classifyEntry({ name, externalFileAttributes: entry.externalFileAttributes });
      if (typeof kind !== 'string') throw new BundleError(kind.code, label, kind.reason, kind.fix, name);
      const key = collisionKey(name);
      if (seen.has(key)) {
        throw new BundleError('unsafe-path', label, 'the name is given to more than one entry (letter case aside), so one would overwrite the other', 'deploy the app folder again: a deploy zips each file once', name);
      }
      seen.add(key);
      if (kind === 'folder') continue;
      files.push(name);
      const budget = limits.maxUnpackedBytes - unpacked;
      if (entry.uncompressedSize > budget) {
        throw new BundleError('too-large', label, `the entry would unpack to ${entry.uncompressedSize} bytes, over the limit of ${limits.maxUnpackedBytes} bytes for the whole bundle`, 'make the app smaller: a bundle holds only app.json, app.js, manifest.json and README.md', name);
      }
      const data = await inflate(zip, entry, name, budget, limits, keep(name));
      unpacked += data.size;
      if (data.bytes) kept.set(name, data.bytes);
    }
    return { files, kept };
  } finally {
    zip.close();
  }
}

function openZip(bytes: Buffer, label: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true, decodeStrings: false }, (err, zip) => {
      if (err || !zip) reject(new BundleError('not-a-zip', label, `the bytes are not a zip (${err?.message ?? 'no archive'})`, 'deploy the app again; if the download was cut short, fetch it again'));
      else resolve(zip);
    });
  });
}

/** The next entry of the central directory, or undefined at its end. */
function nextEntry(zip: yauzl.ZipFile, label: string): Promise<yauzl.Entry | undefined> {
  return new Promise((resolve, reject) => {
    const done = () => {
      zip.removeListener('entry', onEntry);
      zip.removeListener('end', onEnd);
      zip.removeListener('error', onError);
    };
    const onEntry = (entry: yauzl.Entry) => (done(), resolve(entry));
    const onEnd = () => (done(), resolve(undefined));
    const onError = (err: Error) => (done(), reject(new BundleError('not-a-zip', label, `the zip's central directory is damaged (${err.message})`, 'deploy the app again')));
    zip.on('entry', onEntry);
    zip.on('end', onEnd);
    zip.on('error', onError);
    zip.readEntry();
  });
}

/**
 * Inflates one entry, counting what comes out. yauzl's validateEntrySizes stops a stream the moment
 * it yields more than its header declared (a bomb whose header lied to pass the check above), and
 * the header's size was within `budget`, so that is what fires; the count against `budget` here is
 * a backstop that does not depend on yauzl's option.
 */
async function inflate(zip: yauzl.ZipFile, entry: yauzl.Entry, name: string, budget: number, limits: ZipLimits, keepBytes: boolean): Promise<{ size: number; bytes?: Buffer }> {
  const { label } = limits;
  const tooLarge = (what: string) => new BundleError('too-large', label, `the entry ${what}`, 'make the app smaller: a bundle holds only app.json, app.js, manifest.json and README.md', name);
  let stream: Readable;
  try {
    stream = await zip.openReadStreamPromise(entry);
  } catch (e) {
    throw new BundleError('not-a-zip', label, `the entry cannot be read (${(e as Error).message})`, 'deploy the app again with a plain zip: no encryption, stored or deflated entries', name);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > budget) throw tooLarge(`inflates to more than ${budget} bytes, over the limit of ${limits.maxUnpackedBytes} bytes for the whole bundle`);
      if (keepBytes) chunks.push(chunk);
    }
  } catch (e) {
    if (e instanceof BundleError) throw e;
    const message = (e as Error).message;
    if (/too many bytes/.test(message)) throw tooLarge(`inflates to more than the ${entry.uncompressedSize} bytes its header declares (a zip bomb hides so); inflating stopped there`);
    throw new BundleError('not-a-zip', label, `the entry's data is damaged (${message})`, 'deploy the app again', name);
  } finally {
    stream.destroy();
  }
  return keepBytes ? { size, bytes: Buffer.concat(chunks) } : { size };
}
