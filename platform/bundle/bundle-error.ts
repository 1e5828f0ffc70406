/**
 * Why a bundle was refused. Every message names the bundle (its label), the zip entry where there
 * is one, and what to do; the agent puts it in its load completion object (seed 002).
 */
import { formatProblem, type SourceProblem } from '../../runtime/errors';

export type BundleErrorCode =
  /** the bytes' SHA-256 is not the one expected */
  | 'checksum'
  /** not a readable zip (or an entry yauzl cannot decode: encrypted, an unknown compression) */
  | 'not-a-zip'
  /** an entry name that could land outside the app's folder, or names another entry twice */
  | 'unsafe-path'
  /** a symbolic link, or another entry that is neither a file nor a folder */
  | 'link'
  /** more entries, or more inflated bytes, than the limits allow */
  | 'too-large'
  /** no app.json or no app.js at the zip's root */
  | 'no-app'
  /** an app.json the runtime's parser rejects (see `problems`) */
  | 'bad-app';

export class BundleError extends Error {
  constructor(
    readonly code: BundleErrorCode,
    /** the bundle's label, e.g. "door-light@1.2.0" */
    readonly label: string,
    /** what is wrong, without the label (the message adds it) */
    readonly reason: string,
    /** what to do about it */
    readonly fix: string,
    /** the zip entry concerned, where there is one */
    readonly entry?: string,
    /** for `bad-app`: app.json's problems, their file named inside the bundle */
    readonly problems: SourceProblem[] = [],
  ) {
    const where = entry === undefined ? `bundle ${label}` : `bundle ${label}, entry "${printable(entry)}"`;
    const details = problems.length > 0 ? `\n${problems.map(formatProblem).join('\n')}` : '';
    super(`${where}: ${reason}. Fix: ${fix} [${code}]${details}`);
    this.name = 'BundleError';
  }
}

/** An entry name as it can be shown: controls escaped, so a name cannot forge a line of a log. */
export function printable(name: string): string {
  return name.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
