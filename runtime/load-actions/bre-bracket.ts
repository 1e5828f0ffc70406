/**
 * Bracket expressions of a POSIX BRE (XBD 9.3.5): `]` first is literal, `-` first or last is
 * literal, ranges compare code points (the POSIX locale's collation order), and [:class:],
 * [=x=] and [.x.] must be closed and name something that exists. A backslash is an ordinary
 * character here, which habits from other dialects get wrong, so it gets a warning.
 */
import { suggestName } from '../suggest';
import { collatingElement } from './bre-collating';
import { CHARACTER_CLASSES, type BreBracketItem, type BreNode, type BreWarningCode, type CharacterClass } from './bre-syntax';

/** How the bracket parser reports to the parser that called it. */
export interface BreReporter {
  fail(index: number, length: number, message: string, fix: string, replacement?: string): never;
  warn(code: BreWarningCode, index: number, length: number, message: string, fix: string, replacement?: string): void;
}

const show = (s: string): string => JSON.stringify(s);

function hex(cp: number): string {
  return cp.toString(16).toUpperCase().padStart(4, '0');
}

export function parseBracket(p: string, i: number, r: BreReporter): { node: BreNode; end: number } {
  let j = i + 1;
  const negated = p[j] === '^';
  if (negated) j++;
  const items: BreBracketItem[] = [];
  let first = true;
  let warnedBackslash = false;
  const unclosed = (): never => r.fail(i, 1, 'unclosed bracket expression: [ has no matching ]', 'close it with ], or write \\[ for a literal [');
  for (;;) {
    if (j >= p.length) unclosed();
    const c = p[j];
    if (c === ']' && !first) return { node: { kind: 'bracket', negated, items, index: i }, end: j + 1 };
    if (c === '-' && !first && p[j + 1] !== ']' && j + 1 < p.length) {
      r.fail(j, 1, '- here is neither a range nor a literal: ranges cannot follow one another or start at a class', 'put a literal - first or last in the brackets, or write each range separately');
    }
    if (c === '\\' && !warnedBackslash) {
      warnedBackslash = true;
      backslashInBracket(p, j, r);
    }
    const start = bracketElement(p, j, r);
    first = false;
    j = start.end;
    if (start.kind === 'class') {
      items.push({ kind: 'class', name: start.name });
      continue;
    }
    if (start.kind === 'equiv') {
      items.push({ kind: 'char', cp: start.cp });
      continue;
    }
    // A range: start-end, unless the - is the last character before ].
    if (p[j] === '-' && j + 1 < p.length && p[j + 1] !== ']') {
      const end = bracketElement(p, j + 1, r);
      if (end.kind === 'class' || end.kind === 'equiv') {
        r.fail(j + 1, end.end - (j + 1), 'a range cannot end at a character class or equivalence class', 'end the range at a single character, or list the class separately');
      }
      if (end.cp < start.cp) {
        const a = String.fromCodePoint(start.cp);
        const b = String.fromCodePoint(end.cp);
        r.fail(start.index, end.end - start.index, `range ${a}-${b} is out of order: ${show(a)} (U+${hex(start.cp)}) comes after ${show(b)} (U+${hex(end.cp)})`, `write ${b}-${a}`, p.slice(end.index, end.end) + '-' + p.slice(start.index, start.end));
      }
      items.push({ kind: 'range', from: start.cp, to: end.cp });
      j = end.end;
    } else {
      items.push({ kind: 'char', cp: start.cp });
    }
  }
}

function backslashInBracket(p: string, j: number, r: BreReporter): void {
  const n = p[j + 1];
  const fixes: Record<string, string> = {
    d: 'write [[:digit:]] or [0-9]',
    w: 'write [[:alnum:]_]',
    s: 'write [[:space:]]',
    ']': 'to include ], put it first: []…]',
    '-': 'to include -, put it first or last',
    '^': 'to include ^, put it anywhere but first',
  };
  const fix = (n !== undefined && fixes[n]) || 'remove the backslash, unless you mean to match a backslash';
  const example = n !== undefined && n !== ']' ? `[\\${n}] matches \\ or ${n}` : 'it matches itself';
  r.warn('backslash-in-bracket', j, 1, `inside a bracket expression a backslash is an ordinary character: ${example}`, fix);
}

/** One element of a bracket expression at j: a character, [.x.], [=x=] or [:class:]. */
function bracketElement(
  p: string,
  j: number,
  r: BreReporter,
):
  | { kind: 'char'; cp: number; index: number; end: number }
  | { kind: 'equiv'; cp: number; index: number; end: number }
  | { kind: 'class'; name: CharacterClass; index: number; end: number } {
  if (p[j] === '[' && (p[j + 1] === ':' || p[j + 1] === '=' || p[j + 1] === '.')) {
    const d = p[j + 1];
    const close = `${d}]`;
    const what = d === ':' ? 'character class' : d === '=' ? 'equivalence class' : 'collating symbol';
    if (p.startsWith(close, j + 2)) r.fail(j, 4, `empty ${what} [${d}${d}]`, d === ':' ? `name a class: ${CHARACTER_CLASSES.join(', ')}` : 'put one character between the delimiters');
    const endAt = p.indexOf(close, j + 3);
    if (endAt < 0) r.fail(j, 2, `[${d} opens a ${what} that is not closed by ${close}`, `close it with ${close}`);
    const name = p.slice(j + 2, endAt);
    const end = endAt + 2;
    if (d === ':') {
      if (!(CHARACTER_CLASSES as readonly string[]).includes(name)) {
        const s = suggestName(name, CHARACTER_CLASSES);
        r.fail(j + 2, name.length, `unknown character class [:${name}:]`, `${s ? `did you mean [:${s}:]? ` : ''}the classes are ${CHARACTER_CLASSES.join(', ')}`, s);
      }
      return { kind: 'class', name: name as CharacterClass, index: j, end };
    }
    const cp = collatingElement(name);
    if (cp === undefined) r.fail(j + 2, name.length, `unknown collating element ${show(name)} in [${d}${name}${d}]`, 'put a single character between the delimiters: in the POSIX locale collating elements are single characters');
    return { kind: d === '=' ? 'equiv' : 'char', cp, index: j, end };
  }
  const cp = p.codePointAt(j)!;
  return { kind: 'char', cp, index: j, end: j + (cp > 0xffff ? 2 : 1) };
}
