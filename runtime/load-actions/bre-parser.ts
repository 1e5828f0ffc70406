/**
 * The POSIX BRE parser (IEEE Std 1003.1, XBD 9.3). It is strict where the standard says
 * "undefined" for constructs that GNU or PCRE give a meaning (\d, \+, \|, \<): an edge server's
 * regcomp may reject them or read them differently, so a type that relies on them is a latent
 * mismatch. Operators of ERE and PCRE written unescaped (+ ? | ( {) are valid BRE literals, so they
 * only get a warning saying so. Positions are UTF-16 indexes into the pattern.
 */
import { parseBracket, type BreReporter } from './bre-bracket';
import { ESCAPABLE, FOREIGN_ESCAPES } from './bre-escapes';
import { BreSyntaxError, RE_DUP_MAX, type BreIssue, type BreNode, type BreWarningCode } from './bre-syntax';

/** The pattern as a flat list of nodes; throws BreSyntaxError. */
export function parseBre(pattern: string): { nodes: BreNode[]; warnings: BreIssue[] } {
  return new BreParser(pattern).parse();
}

const show = (s: string): string => JSON.stringify(s);

interface OpenGroup {
  readonly group: number;
  readonly index: number;
}

class BreParser implements BreReporter {
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

  fail(index: number, length: number, message: string, fix: string, replacement?: string): never {
    throw new BreSyntaxError(index, length, message, fix, this.warnings, replacement);
  }

  warn(code: BreWarningCode, index: number, length: number, message: string, fix: string, replacement?: string): void {
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
    const { node, end } = parseBracket(this.p, i, this);
    const text = this.p.slice(i, end);
    const slip = /^\[:([a-z]+):\]$/.exec(text);
    if (slip) {
      this.warn('class-outside-bracket', i, end - i, `${text} is a bracket expression matching the characters of "${slip[1]}" and ":"; a character class goes inside brackets`, `write [${text}]`, `[${text}]`);
    }
    this.atom(node);
    return end;
  }
}
