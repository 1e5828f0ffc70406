/**
 * POSIX Basic Regular Expressions (IEEE Std 1003.1, XBD 9.3), the syntax of the load `type`
 * property. The parser is strict where the standard says "undefined" for constructs that GNU or
 * PCRE give a meaning (\d, \+, \|, \<): an edge server's regcomp may reject them or read them
 * differently, so a type that relies on them is a latent mismatch. Operators of ERE and PCRE
 * written unescaped (+ ? | ( {) are valid BRE literals, so they only get a warning saying so.
 * Positions are UTF-16 indexes into the pattern, like String.prototype indexes.
 */
import { suggestName } from '../suggest';
import { collatingElement } from './bre-collating';

/** RE_DUP_MAX: the POSIX minimum, and what glibc defines (0x7fff) is larger; 255 is portable. */
export const RE_DUP_MAX = 255;

export const CHARACTER_CLASSES = ['alnum', 'alpha', 'blank', 'cntrl', 'digit', 'graph', 'lower', 'print', 'punct', 'space', 'upper', 'xdigit'] as const;
export type CharacterClass = (typeof CHARACTER_CLASSES)[number];

export type BreWarningCode =
  /** An ERE/PCRE operator (+ ? | ( ) {m}) that is an ordinary character in a BRE. */
  | 'ere-operator'
  /** A backslash before a character the standard gives no meaning (\], \-, \/ …). */
  | 'undefined-escape'
  /** ^ after \( or $ before \): an anchor in some implementations, a literal in others. */
  | 'implementation-defined'
  /** ^ or $ in the middle of the pattern, where they are ordinary characters. */
  | 'literal-anchor'
  /** [:alpha:] written without the outer brackets. */
  | 'class-outside-bracket'
  /** A backslash inside a bracket expression, where it is an ordinary character. */
  | 'backslash-in-bracket';

export interface BreIssue {
  readonly code: BreWarningCode;
  readonly index: number;
  readonly length: number;
  readonly message: string;
  readonly fix: string;
  /** Pattern text that fixes the issue when it replaces [index, index + length), when there is one. */
  readonly replacement?: string;
}

export type BreCheck =
  | { readonly ok: true; readonly warnings: readonly BreIssue[] }
  | {
      readonly ok: false;
      readonly index: number;
      readonly length: number;
      readonly message: string;
      readonly fix: string;
      readonly replacement?: string;
      readonly warnings: readonly BreIssue[];
    };

export type BreBracketItem =
  | { readonly kind: 'char'; readonly cp: number }
  | { readonly kind: 'range'; readonly from: number; readonly to: number }
  | { readonly kind: 'class'; readonly name: CharacterClass };

export type BreNode =
  | { readonly kind: 'char'; readonly cp: number; readonly index: number }
  | { readonly kind: 'any'; readonly index: number }
  | { readonly kind: 'bracket'; readonly negated: boolean; readonly items: readonly BreBracketItem[]; readonly index: number }
  | { readonly kind: 'open'; readonly group: number; readonly index: number }
  | { readonly kind: 'close'; readonly group: number; readonly index: number }
  | { readonly kind: 'backref'; readonly group: number; readonly index: number }
  /** `*` is { min: 0, max: undefined }; max undefined means unbounded. */
  | { readonly kind: 'repeat'; readonly min: number; readonly max: number | undefined; readonly index: number }
  | { readonly kind: 'bol'; readonly index: number }
  | { readonly kind: 'eol'; readonly index: number };

/** A syntax error at [index, index + length) of the pattern. */
export class BreSyntaxError extends Error {
  constructor(
    readonly index: number,
    readonly length: number,
    message: string,
    readonly fix: string,
    readonly warnings: readonly BreIssue[] = [],
    readonly replacement?: string,
  ) {
    super(message);
    this.name = 'BreSyntaxError';
  }
}

/** Validates a BRE: the first error (with its exact range) or ok, and the warnings either way. */
export function checkPosixBre(pattern: string): BreCheck {
  try {
    return { ok: true, warnings: parseBre(pattern).warnings };
  } catch (e) {
    if (!(e instanceof BreSyntaxError)) throw e;
    return { ok: false, index: e.index, length: e.length, message: e.message, fix: e.fix, ...(e.replacement !== undefined ? { replacement: e.replacement } : {}), warnings: e.warnings };
  }
}

/** The pattern as a flat list of nodes; throws BreSyntaxError. */
export function parseBre(pattern: string): { nodes: BreNode[]; warnings: BreIssue[] } {
  return new BreParser(pattern).parse();
}

const show = (s: string): string => JSON.stringify(s);

/** Fixes for escapes that mean something in PCRE/JS/ERE or GNU but are undefined in POSIX BRE. */
const FOREIGN_ESCAPES: Record<string, [what: string, fix: string, replacement?: string]> = {
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
const ESCAPABLE = new Set(['.', '[', '\\', '*', '^', '$']);

interface OpenGroup {
  readonly group: number;
  readonly index: number;
}

class BreParser {
  private readonly nodes: BreNode[] = [];
  private readonly warnings: BreIssue[] = [];
  private readonly open: OpenGroup[] = [];
  private readonly closed = new Set<number>();
  private groups = 0;
  /** The previous node is an atom a repetition may follow. */
  private canRepeat = false;
  /** The previous node is a repetition (two in a row are undefined). */
  private afterRepeat = false;
  /** No atom yet since the start of the RE or of a subexpression (after its ^): `*` is literal. */
  private atStart = true;
  /** An unescaped ( was seen, so a later ) is its partner, not a stray. */
  private sawLiteralParen = false;

  constructor(private readonly p: string) {}

  parse(): { nodes: BreNode[]; warnings: BreIssue[] } {
    const p = this.p;
    let i = 0;
    if (p[0] === '^') {
      this.nodes.push({ kind: 'bol', index: 0 });
      i = 1;
    }
    while (i < p.length) i = this.step(i);
    const unclosed = this.open[this.open.length - 1];
    if (unclosed) this.fail(unclosed.index, 2, 'unmatched \\(: the group is never closed', 'close the group with \\), or write ( alone for a literal parenthesis');
    return { nodes: this.nodes, warnings: this.warnings };
  }

  private fail(index: number, length: number, message: string, fix: string, replacement?: string): never {
    throw new BreSyntaxError(index, length, message, fix, this.warnings, replacement);
  }

  private warn(code: BreWarningCode, index: number, length: number, message: string, fix: string, replacement?: string): void {
    this.warnings.push({ code, index, length, message, fix, ...(replacement !== undefined ? { replacement } : {}) });
  }

  private atom(node: BreNode): void {
    this.nodes.push(node);
    this.canRepeat = true;
    this.afterRepeat = false;
    this.atStart = false;
  }

  private literal(cp: number, index: number): void {
    this.atom({ kind: 'char', cp, index });
  }

  /** Parses the element at i; returns the index after it. */
  private step(i: number): number {
    const p = this.p;
    const c = p[i];
    switch (c) {
      case '\\':
        return this.escape(i);
      case '[':
        return this.bracketAtTop(i);
      case '.':
        this.atom({ kind: 'any', index: i });
        return i + 1;
      case '*':
        if (this.atStart) {
          // XBD 9.3.3: first in the RE or in a subexpression (after ^), * is an ordinary character.
          this.literal(42, i);
          return i + 1;
        }
        this.repeat(i, 1, 0, undefined);
        return i + 1;
      case '^':
        this.warn('literal-anchor', i, 1, '^ here is a literal circumflex: it anchors only at the start of the pattern', 'move it to the start to anchor the pattern, or write \\^ to make the literal explicit');
        this.literal(94, i);
        return i + 1;
      case '$':
        return this.dollar(i);
      case '+':
      case '?':
        this.ereQuantifier(i, c);
        return i + 1;
      case '|':
        this.warn('ere-operator', i, 1, '| is a literal vertical bar in a BRE, which has no alternation', 'for alternative single characters use a bracket expression such as [ab]; alternatives of longer text cannot be written in a BRE');
        this.literal(124, i);
        return i + 1;
      case '(':
        this.sawLiteralParen = true;
        this.warn('ere-operator', i, 1, '( is a literal parenthesis in a BRE; a group is written \\( … \\)', 'write \\( and \\) for a group, or keep ( for a literal parenthesis');
        this.literal(40, i);
        return i + 1;
      case ')':
        if (!this.sawLiteralParen) {
          this.warn('ere-operator', i, 1, ') is a literal parenthesis in a BRE; a group is closed with \\)', 'write \\) to close a group opened with \\(');
        }
        this.literal(41, i);
        return i + 1;
      case '{': {
        const m = /^\{\d*(?:,\d*)?\}/.exec(p.slice(i));
        if (m && m[0] !== '{}') {
          const inner = m[0].slice(1, -1);
          this.warn('ere-operator', i, m[0].length, `${m[0]} is literal text in a BRE; an interval is written \\{${inner}\\}`, `write \\{${inner}\\}`, `\\{${inner}\\}`);
        }
        this.literal(123, i);
        return i + 1;
      }
      default: {
        const cp = p.codePointAt(i)!;
        this.literal(cp, i);
        return i + (cp > 0xffff ? 2 : 1);
      }
    }
  }

  private ereQuantifier(i: number, c: '+' | '?'): void {
    const prev = this.nodes[this.nodes.length - 1];
    if (c === '?' && prev?.kind === 'repeat') {
      this.warn('ere-operator', i, 1, '? after a repetition is not a lazy quantifier in a BRE; here it is a literal question mark', 'remove the ? (BRE repetitions are always greedy)');
    } else if (this.canRepeat || this.afterRepeat) {
      const interval = c === '+' ? '\\{1,\\}' : '\\{0,1\\}';
      const meaning = c === '+' ? '"one or more"' : '"optional"';
      this.warn('ere-operator', i, 1, `${c} is a literal ${c === '+' ? 'plus sign' : 'question mark'} in a BRE, not ${meaning}`, `for ${meaning} write ${interval} instead of ${c}; as written, ${c} matches itself`, interval);
    }
    this.literal(c.codePointAt(0)!, i);
  }

  private dollar(i: number): number {
    const p = this.p;
    if (i === p.length - 1) {
      this.nodes.push({ kind: 'eol', index: i });
      this.canRepeat = false;
      this.afterRepeat = false;
      return i + 1;
    }
    if (p.startsWith('\\)', i + 1) && this.open.length > 0) {
      // glibc anchors here; the standard leaves it to the implementation.
      this.warn('implementation-defined', i, 1, '$ right before \\) is an anchor in some implementations (glibc) and a literal in others', 'put $ at the end of the whole pattern, or write \\$ for a literal dollar sign');
      this.nodes.push({ kind: 'eol', index: i });
      this.canRepeat = false;
      this.afterRepeat = false;
      return i + 1;
    }
    this.warn('literal-anchor', i, 1, '$ here is a literal dollar sign: it anchors only at the end of the pattern', 'move it to the end to anchor the pattern, or write \\$ to make the literal explicit');
    this.literal(36, i);
    return i + 1;
  }

  private repeat(index: number, length: number, min: number, max: number | undefined): void {
    const what = length === 1 ? '*' : this.p.slice(index, index + length);
    if (this.afterRepeat) {
      this.fail(index, length, `${what} directly after another repetition is undefined in POSIX BRE`, 'group the repeated part with \\( … \\) before repeating it again, or remove one repetition');
    }
    if (!this.canRepeat) {
      this.fail(index, length, `${what} must follow a character, ., a bracket expression, a \\( … \\) group or a back-reference`, 'put what is to be repeated before it, or write { alone for a literal brace');
    }
    this.nodes.push({ kind: 'repeat', min, max, index });
    this.canRepeat = false;
    this.afterRepeat = true;
  }

  private escape(i: number): number {
    const p = this.p;
    if (i + 1 >= p.length) this.fail(i, 1, 'trailing backslash: a backslash must be followed by the character it escapes', 'remove it, or write \\\\ for a literal backslash');
    const n = p[i + 1];
    if (n === '(') {
      this.groups++;
      this.open.push({ group: this.groups, index: i });
      this.nodes.push({ kind: 'open', group: this.groups, index: i });
      this.canRepeat = false;
      this.afterRepeat = false;
      this.atStart = true;
      if (p[i + 2] === '^') {
        this.warn('implementation-defined', i + 2, 1, '^ right after \\( is an anchor in some implementations (glibc) and a literal in others', 'put ^ at the start of the whole pattern, or write \\^ for a literal circumflex');
        this.nodes.push({ kind: 'bol', index: i + 2 });
        return i + 3;
      }
      return i + 2;
    }
    if (n === ')') {
      const g = this.open.pop();
      if (!g) this.fail(i, 2, 'unmatched \\): no group is open', 'remove it, or write ) alone for a literal parenthesis');
      this.closed.add(g.group);
      this.atom({ kind: 'close', group: g.group, index: i });
      return i + 2;
    }
    if (n === '{') return this.interval(i);
    if (n === '}') this.fail(i, 2, 'unmatched \\}: no interval \\{ is open', 'remove it, or write } alone for a literal brace');
    if (n >= '1' && n <= '9') {
      const g = Number(n);
      if (g > this.groups) this.fail(i, 2, `back-reference \\${n} refers to group ${g}, but ${this.groups === 0 ? 'there is no group' : `only ${this.groups} group${this.groups === 1 ? '' : 's'} precede${this.groups === 1 ? 's' : ''} it`}`, this.groups === 0 ? 'define the group with \\( … \\) before referring to it, or write the digit alone' : `refer to a group from \\1 to \\${this.groups}`);
      if (!this.closed.has(g)) this.fail(i, 2, `back-reference \\${n} is inside group ${g}, which is not closed yet`, `move \\${n} after the \\) that closes group ${g}`);
      this.atom({ kind: 'backref', group: g, index: i });
      return i + 2;
    }
    if (ESCAPABLE.has(n)) {
      this.literal(n.codePointAt(0)!, i);
      return i + 2;
    }
    const foreign = FOREIGN_ESCAPES[n];
    if (foreign) this.fail(i, 2, foreign[0], foreign[1], foreign[2]);
    const cp = p.codePointAt(i + 1)!;
    const width = cp > 0xffff ? 2 : 1;
    const ch = String.fromCodePoint(cp);
    if (/[A-Za-z0-9]/.test(ch)) this.fail(i, 2, `\\${ch} is undefined in POSIX BRE`, `write ${ch} without the backslash`, ch);
    this.warn('undefined-escape', i, 1 + width, `\\${ch} is undefined in POSIX BRE; most implementations read it as a literal ${ch}`, `write ${ch} without the backslash`, ch);
    this.literal(cp, i);
    return i + 1 + width;
  }

  /** `\{m\}`, `\{m,\}`, `\{m,n\}` starting at the backslash at i. */
  private interval(i: number): number {
    const p = this.p;
    let j = i + 2;
    const readNumber = (): { text: string; index: number } => {
      const start = j;
      while (j < p.length && p[j] >= '0' && p[j] <= '9') j++;
      return { text: p.slice(start, j), index: start };
    };
    const unclosed = (): never => this.fail(i, 2, 'unclosed interval: \\{ has no matching \\}', 'close it with \\}, as in \\{2\\} or \\{1,3\\}');
    const min = readNumber();
    if (min.text === '') {
      if (j >= p.length) unclosed();
      if (p[j] === ',') this.fail(j, 1, 'an interval needs its minimum: \\{,n\\} is not POSIX', 'write \\{0,n\\}');
      this.fail(j, 1, `expected a number after \\{, found ${show(p[j])}`, 'an interval is \\{m\\}, \\{m,\\} or \\{m,n\\} with decimal numbers');
    }
    const m = Number(min.text);
    if (m > RE_DUP_MAX) this.fail(min.index, min.text.length, `${min.text} exceeds RE_DUP_MAX (${RE_DUP_MAX})`, `use a count of at most ${RE_DUP_MAX}`);
    let max: number | undefined = m;
    let maxText: { text: string; index: number } | undefined;
    if (p[j] === ',') {
      j++;
      maxText = readNumber();
      max = maxText.text === '' ? undefined : Number(maxText.text);
      if (max !== undefined && max > RE_DUP_MAX) this.fail(maxText.index, maxText.text.length, `${maxText.text} exceeds RE_DUP_MAX (${RE_DUP_MAX})`, `use a count of at most ${RE_DUP_MAX}, or \\{${m},\\} for no upper bound`);
    }
    if (j >= p.length) unclosed();
    if (p[j] === '}') this.fail(j, 1, 'close the interval with \\}: a } alone is an ordinary character', 'write \\} instead of }', '\\}');
    if (p[j] !== '\\' || p[j + 1] !== '}') {
      if (p[j] === '\\' && j + 1 >= p.length) unclosed();
      this.fail(j, 1, `unexpected ${show(p[j])} in an interval`, 'an interval is \\{m\\}, \\{m,\\} or \\{m,n\\} with decimal numbers and no spaces');
    }
    const end = j + 2;
    if (max !== undefined && max < m) this.fail(i, end - i, `interval minimum ${m} exceeds maximum ${max}`, `write \\{${max},${m}\\}`, `\\{${max},${m}\\}`);
    this.repeat(i, end - i, m, max);
    return end;
  }

  /** A bracket expression outside of any other bracket, with the [:class:] slip check. */
  private bracketAtTop(i: number): number {
    const { node, end } = this.bracket(i);
    const text = this.p.slice(i, end);
    const slip = /^\[:([a-z]+):\]$/.exec(text);
    if (slip) {
      this.warn('class-outside-bracket', i, end - i, `${text} is a bracket expression matching the characters of "${slip[1]}" and ":"; a character class goes inside brackets`, `write [${text}]`, `[${text}]`);
    }
    this.atom(node);
    return end;
  }

  private bracket(i: number): { node: BreNode; end: number } {
    const p = this.p;
    let j = i + 1;
    const negated = p[j] === '^';
    if (negated) j++;
    const items: BreBracketItem[] = [];
    let first = true;
    let warnedBackslash = false;
    const unclosed = (): never => this.fail(i, 1, 'unclosed bracket expression: [ has no matching ]', 'close it with ], or write \\[ for a literal [');
    for (;;) {
      if (j >= p.length) unclosed();
      const c = p[j];
      if (c === ']' && !first) return { node: { kind: 'bracket', negated, items, index: i }, end: j + 1 };
      if (c === '-' && !first && p[j + 1] !== ']' && j + 1 < p.length) {
        this.fail(j, 1, '- here is neither a range nor a literal: ranges cannot follow one another or start at a class', 'put a literal - first or last in the brackets, or write each range separately');
      }
      if (c === '\\' && !warnedBackslash) {
        warnedBackslash = true;
        this.backslashInBracket(j);
      }
      const start = this.bracketElement(j);
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
        const end = this.bracketElement(j + 1);
        if (end.kind === 'class' || end.kind === 'equiv') {
          this.fail(j + 1, end.end - (j + 1), 'a range cannot end at a character class or equivalence class', 'end the range at a single character, or list the class separately');
        }
        if (end.cp < start.cp) {
          const a = String.fromCodePoint(start.cp);
          const b = String.fromCodePoint(end.cp);
          this.fail(start.index, end.end - start.index, `range ${a}-${b} is out of order: ${show(a)} (U+${hex(start.cp)}) comes after ${show(b)} (U+${hex(end.cp)})`, `write ${b}-${a}`, this.p.slice(end.index, end.end) + '-' + this.p.slice(start.index, start.end));
        }
        items.push({ kind: 'range', from: start.cp, to: end.cp });
        j = end.end;
      } else {
        items.push({ kind: 'char', cp: start.cp });
      }
    }
  }

  private backslashInBracket(j: number): void {
    const n = this.p[j + 1];
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
    this.warn('backslash-in-bracket', j, 1, `inside a bracket expression a backslash is an ordinary character: ${example}`, fix);
  }

  /** One element of a bracket expression at j: a character, [.x.], [=x=] or [:class:]. */
  private bracketElement(
    j: number,
  ):
    | { kind: 'char'; cp: number; index: number; end: number }
    | { kind: 'equiv'; cp: number; index: number; end: number }
    | { kind: 'class'; name: CharacterClass; index: number; end: number } {
    const p = this.p;
    if (p[j] === '[' && (p[j + 1] === ':' || p[j + 1] === '=' || p[j + 1] === '.')) {
      const d = p[j + 1];
      const close = `${d}]`;
      const what = d === ':' ? 'character class' : d === '=' ? 'equivalence class' : 'collating symbol';
      if (p.startsWith(close, j + 2)) this.fail(j, 4, `empty ${what} [${d}${d}]`, d === ':' ? `name a class: ${CHARACTER_CLASSES.join(', ')}` : 'put one character between the delimiters');
      const endAt = p.indexOf(close, j + 3);
      if (endAt < 0) this.fail(j, 2, `[${d} opens a ${what} that is not closed by ${close}`, `close it with ${close}, or write \\[ … as [[] for a literal [`);
      const name = p.slice(j + 2, endAt);
      const end = endAt + 2;
      if (d === ':') {
        if (!(CHARACTER_CLASSES as readonly string[]).includes(name)) {
          const s = suggestName(name, CHARACTER_CLASSES);
          this.fail(j + 2, name.length, `unknown character class [:${name}:]`, `${s ? `did you mean [:${s}:]? ` : ''}the classes are ${CHARACTER_CLASSES.join(', ')}`, s);
        }
        return { kind: 'class', name: name as CharacterClass, index: j, end };
      }
      const cp = collatingElement(name);
      if (cp === undefined) this.fail(j + 2, name.length, `unknown collating element ${show(name)} in [${d}${name}${d}]`, 'put a single character between the delimiters, or a portable character name such as "space" or "hyphen"');
      return { kind: d === '=' ? 'equiv' : 'char', cp, index: j, end };
    }
    const cp = p.codePointAt(j)!;
    return { kind: 'char', cp, index: j, end: j + (cp > 0xffff ? 2 : 1) };
  }
}

function hex(cp: number): string {
  return cp.toString(16).toUpperCase().padStart(4, '0');
}
