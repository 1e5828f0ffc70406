/**
 * The checks on a zip entry's name and type that keep unpacking inside the app's folder: pure
 * functions of the central directory's fields, so they run before a byte is inflated.
 */

export interface EntryShape {
  /** the name decoded as yauzl would, backslashes kept */
  name: string;
  /** the central directory's external attributes: a Unix mode in the upper 16 bits */
  externalFileAttributes: number;
}

export type EntryKind = 'file' | 'folder';

/** What is wrong with an entry, for a BundleError; undefined when the entry is fine. */
export interface EntryFault {
  code: 'unsafe-path' | 'link';
  reason: string;
  fix: string;
}

const REPACK = 'deploy the app folder again: a deploy zips only plain files at relative paths';

/** Why `name` could write outside the folder it is unpacked in, or undefined when it cannot. */
export function unsafePathReason(name: string): string | undefined {
  if (name === '') return 'the entry has an empty name';
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'the name holds control characters';
  if (name.includes('\\')) return 'the name holds a backslash, which Windows reads as a folder separator';
  if (name.startsWith('/')) return 'the name is an absolute path';
  if (/^[A-Za-z]:/.test(name)) return 'the name starts with a drive letter';
  // A folder entry ends with one "/"; any other empty segment ("a//b") is refused.
  const segments = (name.endsWith('/') ? name.slice(0, -1) : name).split('/');
  if (segments.includes('..')) return 'the name climbs out of its folder with ".."';
  if (segments.includes('.')) return 'the name has a "." segment';
  if (segments.includes('')) return 'the name has an empty segment';
  return undefined;
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

/** The entry's kind, or its fault: a link, another special file, or an unsafe name. */
export function classifyEntry(entry: EntryShape): EntryKind | EntryFault {
  const reason = unsafePathReason(entry.name);
  if (reason) return { code: 'unsafe-path', reason: `${reason}, so it could be written outside the app's folder`, fix: REPACK };
  // Zips made on Windows leave the upper 16 bits 0 (no Unix mode): a plain file or folder.
  const type = (entry.externalFileAttributes >>> 16) & S_IFMT;
  if (type === S_IFLNK) {
    return { code: 'link', reason: 'the entry is a symbolic link, which could point outside the app\'s folder', fix: `replace the link by the file it points to, then ${REPACK}` };
  }
  if (type !== 0 && type !== S_IFREG && type !== S_IFDIR) {
    return { code: 'link', reason: `the entry is a special file (mode 0o${type.toString(8)}), neither a file nor a folder`, fix: REPACK };
  }
  return entry.name.endsWith('/') || type === S_IFDIR ? 'folder' : 'file';
}

/**
 * The key two names collide under: case folded and a folder's "/" dropped, because the file
 * systems a Thing may unpack to (macOS, Windows) do not tell "App.js" from "app.js".
 */
export function collisionKey(name: string): string {
  return (name.endsWith('/') ? name.slice(0, -1) : name).toLowerCase();
}
