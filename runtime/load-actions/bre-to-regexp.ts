/**
 * A valid POSIX BRE as a JavaScript RegExp, so the platform can match a device's reported type
 * against a load's `type`. Semantics follow glibc in the POSIX locale: character classes are
 * ASCII, ranges compare code points, ^ after \( and $ before \) anchor. Matching is a search, as
 * regexec is: `^80000102030405` matches any type starting so. Whether a match exists is the same
 * under POSIX leftmost-longest and JavaScript backtracking; which text a group captured may differ.
 */
import { BreBracketItem, BreNode, CharacterClass, parseBre } from './posix-bre';

type Ranges = readonly (readonly [number, number])[];

const CLASS_RANGES: Readonly<Record<CharacterClass, Ranges>> = {
  alnum: [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]],
  alpha: [[0x41, 0x5a], [0x61, 0x7a]],
  blank: [[0x09, 0x09], [0x20, 0x20]],
  cntrl: [[0x00, 0x1f], [0x7f, 0x7f]],
  digit: [[0x30, 0x39]],
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]],
  space: [[0x09, 0x0d], [0x20, 0x20]],
  upper: [[0x41, 0x5a]],
  xdigit: [[0x30, 0x39], [0x41, 0x46], [0x61, 0x66]],
};

const SYNTAX = new Set('\\^$.*+?()[]{}|/');
const CLASS_SYNTAX = new Set('\\]^-[');

function isPrintable(cp: number): boolean {
  return cp >= 0x20 && cp !== 0x7f;
}

function literal(cp: number): string {
  const ch = String.fromCodePoint(cp);
  if (SYNTAX.has(ch)) return `\\${ch}`;
  return isPrintable(cp) ? ch : `\\u{${cp.toString(16)}}`;
}

function classChar(cp: number): string {
  const ch = String.fromCodePoint(cp);
  if (CLASS_SYNTAX.has(ch)) return `\\${ch}`;
  return isPrintable(cp) ? ch : `\\u{${cp.toString(16)}}`;
}

function bracketItem(item: BreBracketItem): string {
  switch (item.kind) {
    case 'char':
      return classChar(item.cp);
    case 'range':
      return `${classChar(item.from)}-${classChar(item.to)}`;
    case 'class':
      return CLASS_RANGES[item.name].map(([a, b]) => (a === b ? classChar(a) : `${classChar(a)}-${classChar(b)}`)).join('');
  }
}

function source(node: BreNode): string {
  switch (node.kind) {
    case 'char':
      return literal(node.cp);
    case 'any':
      return '.';
    case 'bracket':
      return `[${node.negated ? '^' : ''}${node.items.map(bracketItem).join('')}]`;
    case 'open':
      return '(';
    case 'close':
      return ')';
    case 'backref':
      // Grouped so a following digit is not read as part of the reference (\1 then 0, not \10).
      return `(?:\\${node.group})`;
    case 'repeat':
      if (node.min === 0 && node.max === undefined) return '*';
      return node.max === node.min ? `{${node.min}}` : `{${node.min},${node.max ?? ''}}`;
    case 'bol':
      return '^';
    case 'eol':
      return '$';
  }
}

/** The JavaScript source equivalent to a BRE; throws BreSyntaxError when it is not valid. */
export function breToRegExpSource(pattern: string): string {
  return parseBre(pattern).nodes.map(source).join('');
}

/**
 * A RegExp equivalent to a valid BRE (flags `su`: `.` matches any character, as in POSIX, and
 * astral characters are single characters). Throws BreSyntaxError when the BRE is not valid.
 */
export function breToRegExp(pattern: string): RegExp {
  return new RegExp(breToRegExpSource(pattern), 'su');
}
