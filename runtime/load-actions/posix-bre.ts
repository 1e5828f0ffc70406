/**
 * POSIX Basic Regular Expressions (IEEE Std 1003.1, XBD 9.3), the syntax of the load `type`
 * property: a validator that gives the first error with its exact range, and the warnings.
 * The parser is in bre-parser.ts; breToRegExp (bre-to-regexp.ts) turns a valid BRE into a RegExp.
 */
import { parseBre } from './bre-parser';
import { BreSyntaxError, type BreCheck } from './bre-syntax';

export { parseBre } from './bre-parser';
export * from './bre-syntax';

/** Validates a BRE: the first error (with its exact range) or ok, and the warnings either way. */
export function checkPosixBre(pattern: string): BreCheck {
  try {
    return { ok: true, warnings: parseBre(pattern).warnings };
  } catch (e) {
    if (!(e instanceof BreSyntaxError)) throw e;
    return { ok: false, index: e.index, length: e.length, message: e.message, fix: e.fix, ...(e.replacement !== undefined ? { replacement: e.replacement } : {}), warnings: e.warnings };
  }
}
