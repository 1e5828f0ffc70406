/**
 * What a backslash means in a POSIX BRE (XBD 9.3.2-9.3.3), and, for the escapes other dialects
 * define but POSIX leaves undefined, what to write instead.
 */

/** Fixes for escapes that mean something in PCRE/JS/ERE or GNU but are undefined in POSIX BRE. */
export const FOREIGN_ESCAPES: Record<string, [what: string, fix: string, replacement?: string]> = {
  d: ['\\d (a digit) is PCRE/JavaScript shorthand, not BRE', 'write [0-9] or [[:digit:]]', '[0-9]'],
  D: ['\\D (a non-digit) is PCRE/JavaScript shorthand, not BRE', 'write [^0-9] or [^[:digit:]]', '[^0-9]'],
  w: ['\\w (a word character) is PCRE/GNU shorthand, not POSIX BRE', 'write [[:alnum:]_]', '[[:alnum:]_]'],
  W: ['\\W is PCRE/GNU shorthand, not POSIX BRE', 'write [^[:alnum:]_]', '[^[:alnum:]_]'],
  s: ['\\s (white space) is PCRE/GNU shorthand, not POSIX BRE', 'write [[:space:]]', '[[:space:]]'],
  S: ['\\S is PCRE/GNU shorthand, not POSIX BRE', 'write [^[:space:]]', '[^[:space:]]'],
  b: ['\\b (a word boundary) is PCRE/GNU syntax; POSIX BRE has no word boundaries', 'remove it; anchor the pattern with ^ and $ instead'],
  B: ['\\B is PCRE/GNU syntax; POSIX BRE has no word boundaries', 'remove it'],
  A: ['\\A is PCRE syntax, not BRE', 'write ^ at the start of the pattern'],
  Z: ['\\Z is PCRE syntax, not BRE', 'write $ at the end of the pattern'],
  z: ['\\z is PCRE syntax, not BRE', 'write $ at the end of the pattern'],
  n: ['\\n is not a BRE escape', 'write the character itself'],
  t: ['\\t is not a BRE escape', 'write the character itself, or [[:blank:]]'],
  r: ['\\r is not a BRE escape', 'write the character itself'],
  f: ['\\f is not a BRE escape', 'write the character itself'],
  v: ['\\v is not a BRE escape', 'write the character itself'],
  x: ['\\x hex escapes are not BRE', 'write the character itself'],
  u: ['\\u escapes are not BRE', 'write the character itself'],
  '0': ['\\0 is not a BRE escape', 'back-references are \\1 to \\9; for a digit 0 write 0'],
  '+': ['\\+ ("one or more") is a GNU extension, not POSIX BRE', 'write \\{1,\\} instead', '\\{1,\\}'],
  '?': ['\\? ("optional") is a GNU extension, not POSIX BRE', 'write \\{0,1\\} instead', '\\{0,1\\}'],
  '|': ['\\| (alternation) is a GNU extension; POSIX BRE has no alternation', 'for alternative single characters use a bracket expression such as [ab]; otherwise widen the pattern'],
  '<': ['\\< (start of word) is a GNU extension, not POSIX BRE', 'remove it; anchor the pattern with ^ instead'],
  '>': ['\\> (end of word) is a GNU extension, not POSIX BRE', 'remove it; anchor the pattern with $ instead'],
  '`': ['\\` is a GNU extension, not POSIX BRE', 'write ^ at the start of the pattern'],
  "'": ["\\' is a GNU extension, not POSIX BRE", 'write $ at the end of the pattern'],
};

/** Characters that keep their literal meaning when escaped (XBD 9.3.3). */
export const ESCAPABLE = new Set(['.', '[', '\\', '*', '^', '$']);
