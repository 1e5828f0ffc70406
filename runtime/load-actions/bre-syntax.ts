/**
 * The shapes shared by the POSIX BRE parser, its checker and the RegExp converter: the parsed
 * nodes, the warnings, and the syntax error with its exact range in the pattern.
 */

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
