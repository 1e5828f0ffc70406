/**
 * Collating elements a BRE may name in [.x.] and [=x=]. In the POSIX locale every collating
 * element is a single character; the standard also lets the symbolic names of the portable
 * character set (XBD 6.1) stand for them, which glibc accepts, so `[[.space.]]` is valid.
 */

const PORTABLE_NAMES: Readonly<Record<string, number>> = {
  NUL: 0x00,
  alert: 0x07,
  backspace: 0x08,
  tab: 0x09,
  newline: 0x0a,
  'vertical-tab': 0x0b,
  'form-feed': 0x0c,
  'carriage-return': 0x0d,
  space: 0x20,
  'exclamation-mark': 0x21,
  'quotation-mark': 0x22,
  'number-sign': 0x23,
  'dollar-sign': 0x24,
  'percent-sign': 0x25,
  ampersand: 0x26,
  apostrophe: 0x27,
  'left-parenthesis': 0x28,
  'right-parenthesis': 0x29,
  asterisk: 0x2a,
  'plus-sign': 0x2b,
  comma: 0x2c,
  hyphen: 0x2d,
  'hyphen-minus': 0x2d,
  period: 0x2e,
  'full-stop': 0x2e,
  slash: 0x2f,
  solidus: 0x2f,
  zero: 0x30,
  one: 0x31,
  two: 0x32,
  three: 0x33,
  four: 0x34,
  five: 0x35,
  six: 0x36,
  seven: 0x37,
  eight: 0x38,
  nine: 0x39,
  colon: 0x3a,
  semicolon: 0x3b,
  'less-than-sign': 0x3c,
  'equals-sign': 0x3d,
  'greater-than-sign': 0x3e,
  'question-mark': 0x3f,
  'commercial-at': 0x40,
  'left-square-bracket': 0x5b,
  backslash: 0x5c,
  'reverse-solidus': 0x5c,
  'right-square-bracket': 0x5d,
  circumflex: 0x5e,
  'circumflex-accent': 0x5e,
  underscore: 0x5f,
  'low-line': 0x5f,
  'grave-accent': 0x60,
  'left-brace': 0x7b,
  'left-curly-bracket': 0x7b,
  'vertical-line': 0x7c,
  'right-brace': 0x7d,
  'right-curly-bracket': 0x7d,
  tilde: 0x7e,
};

/** The code point a collating element stands for, or undefined when it names none. */
export function collatingElement(name: string): number | undefined {
  const cp = name.codePointAt(0);
  if (cp !== undefined && name.length === (cp > 0xffff ? 2 : 1)) return cp;
  return Object.prototype.hasOwnProperty.call(PORTABLE_NAMES, name) ? PORTABLE_NAMES[name] : undefined;
}
