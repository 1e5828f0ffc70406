/** Writes a zip whose bytes depend only on the files given: names, contents, nothing else. */
import { ZipFile } from 'yazl';

/**
 * A fixed time, built from local fields: zip stores local date and time fields (yazl reads the
 * Date's local getters), so a Date of fixed UTC would give other bytes in another time zone.
 * 1980-01-01 is the earliest a zip can record.
 */
function fixedMtime(): Date {
  return new Date(1980, 0, 1, 0, 0, 0);
}

/** A regular file, rw-r--r--: the same on every machine whatever the files' modes on disk. */
const FILE_MODE = 0o100644;

/**
 * Zips `files` (name → bytes) in name order, deflated, each with the same time and mode, so the
 * same files always give the same bytes (with the same zlib: Node's own, whose output for a given
 * level has not changed between its releases, but is not promised to).
 */
export function zipFiles(files: ReadonlyMap<string, Buffer>): Promise<Buffer> {
  const zip = new ZipFile();
  const mtime = fixedMtime();
  for (const name of [...files.keys()].sort()) {
    zip.addBuffer(files.get(name) as Buffer, name, { mtime, mode: FILE_MODE, compress: true });
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}
