import assert from 'node:assert/strict';
import { checkPosixBre, type BreCheck } from '../../../runtime/load-actions';

/** The error of an invalid pattern, with its range. */
function errorOf(pattern: string): Extract<BreCheck, { ok: false }> {
  const r = checkPosixBre(pattern);
  assert.equal(r.ok, false, `expected ${JSON.stringify(pattern)} to be invalid`);
  return r as Extract<BreCheck, { ok: false }>;
}

describe('checkPosixBre: valid patterns', () => {
  const valid = [
    '',
    'abc',
    '^8000010203040506$',
    '^80000102030405',
    '.',
    'a.c',
    'a*',
    '.*',
    '*a',
    '^*a',
    '\\(*a\\)',
    '^$',
    '^',
    '$',
    '[abc]',
    '[^abc]',
    '[a-z]',
    '[A-Za-z0-9_]',
    '[]a]',
    '[^]a]',
    '[]]',
    '[a-]',
    '[-a]',
    '[^-a]',
    '[%--]',
    '[--/]',
    '[[:alpha:]]',
    '[[:digit:][:upper:]]',
    '[^[:space:]]',
    '[[:alnum:][:blank:][:cntrl:][:graph:][:lower:][:print:][:punct:][:xdigit:]]',
    '[[=a=]]',
    '[[.a.]]',
    '[[. .]]',
    '[[.-.]a]',
    '[[...]]',
    '[[.a.]-z]',
    '[a-[.z.]]',
    '[[]',
    '[a[]',
    '[*.$^]',
    '\\(ab\\)\\1',
    '\\(a\\)\\(b\\)\\2\\1',
    '\\(a\\)*',
    '\\(\\)',
    '\\(a\\(b\\)\\2\\)\\1',
    'a\\{2\\}',
    'a\\{2,\\}',
    'a\\{2,5\\}',
    'a\\{0,255\\}',
    'a\\{0\\}',
    '.\\{3\\}',
    '[0-9]\\{4\\}',
    '\\(ab\\)\\{2\\}',
    '\\(a\\)\\1\\{2\\}',
    '*\\{2\\}',
    '\\.',
    '\\[',
    '\\\\',
    '\\*',
    '\\^',
    '\\$',
    'a\\$b',
    'a{',
    '{}',
    'a}',
    '8000[0-9A-F]\\{2\\}$',
    '^[[:xdigit:]]\\{16\\}$',
    'é',
    '😀*',
    '[😀-😃]',
  ];
  for (const p of valid) {
    it(`accepts ${JSON.stringify(p)} without warnings`, () => {
      assert.deepEqual(checkPosixBre(p), { ok: true, warnings: [] });
    });
  }
});

describe('checkPosixBre: errors with exact ranges', () => {
  const cases: [pattern: string, index: number, length: number, message: RegExp][] = [
    ['a\\', 1, 1, /^trailing backslash/],
    ['\\(a', 0, 2, /^unmatched \\\(/],
    ['x\\(a\\(b\\)', 1, 2, /^unmatched \\\(/],
    ['a\\)', 1, 2, /^unmatched \\\): no group is open/],
    ['\\(a\\)\\)', 5, 2, /^unmatched \\\)/],
    ['[abc', 0, 1, /^unclosed bracket expression/],
    ['ab[', 2, 1, /^unclosed bracket expression/],
    ['[]', 0, 1, /^unclosed bracket expression/],
    ['[^]', 0, 1, /^unclosed bracket expression/],
    ['[z-a]', 1, 3, /^range z-a is out of order: "z" \(U\+007A\) comes after "a" \(U\+0061\)/],
    ['x[09-5]', 3, 3, /^range 9-5 is out of order/],
    ['[[.z.]-a]', 1, 7, /^range z-a is out of order/],
    ['[[:alhpa:]]', 3, 5, /^unknown character class \[:alhpa:\]/],
    ['[[:foo:]]', 3, 3, /^unknown character class \[:foo:\]/],
    ['[[:ALPHA:]]', 3, 5, /^unknown character class/],
    ['[[::]]', 1, 4, /^empty character class/],
    ['[[==]]', 1, 4, /^empty equivalence class/],
    ['[[:alpha]', 1, 2, /^\[: opens a character class that is not closed by :\]/],
    ['[[.a]', 1, 2, /^\[\. opens a collating symbol/],
    ['[[=ab=]]', 3, 2, /^unknown collating element "ab"/],
    ['[[.nope.]]', 3, 4, /^unknown collating element "nope"/],
    ['[[.space.]]', 3, 5, /^unknown collating element "space"/],
    ['[a-[:digit:]]', 3, 9, /^a range cannot end at a character class/],
    ['[a-[=b=]]', 3, 5, /^a range cannot end at a character class or equivalence class/],
    ['[a-c-e]', 4, 1, /^- here is neither a range nor a literal/],
    ['[[:alpha:]-z]', 10, 1, /^- here is neither a range nor a literal/],
    ['a**', 2, 1, /^\* directly after another repetition/],
    ['a*\\{2\\}', 2, 5, /^\\\{2\\\} directly after another repetition/],
    ['a\\{2\\}*', 6, 1, /^\* directly after another repetition/],
    ['\\{1\\}', 0, 5, /^\\\{1\\\} must follow a character/],
    ['^\\{1\\}', 1, 5, /must follow a character/],
    ['\\(\\{1\\}\\)', 2, 5, /must follow a character/],
    ['a\\{3,2\\}', 1, 7, /^interval minimum 3 exceeds maximum 2/],
    ['a\\{256\\}', 3, 3, /^256 exceeds RE_DUP_MAX \(255\)/],
    ['a\\{1,256\\}', 5, 3, /^256 exceeds RE_DUP_MAX/],
    ['a\\{,3\\}', 3, 1, /^an interval needs its minimum/],
    ['a\\{x\\}', 3, 1, /^expected a number after \\\{, found "x"/],
    ['a\\{ 1\\}', 3, 1, /^expected a number/],
    ['a\\{1', 1, 2, /^unclosed interval/],
    ['a\\{1,', 1, 2, /^unclosed interval/],
    ['a\\{1\\', 1, 2, /^unclosed interval/],
    ['a\\{1}', 4, 1, /^close the interval with \\\}/],
    ['a\\{1 \\}', 4, 1, /^unexpected " " in an interval/],
    ['a\\{1,2,3\\}', 6, 1, /^unexpected "," in an interval/],
    ['a\\}', 1, 2, /^unmatched \\\}/],
    ['\\1', 0, 2, /^back-reference \\1 refers to group 1, but there is no group/],
    ['\\(a\\)\\2', 5, 2, /^back-reference \\2 refers to group 2, but only 1 group precedes it/],
    ['\\(a\\)\\(b\\)\\3', 10, 2, /only 2 groups precede it/],
    ['\\(a\\1\\)', 3, 2, /^back-reference \\1 is inside group 1, which is not closed yet/],
    ['\\d', 0, 2, /^\\d \(a digit\) is PCRE\/JavaScript shorthand, not BRE/],
    ['ab\\d\\{3\\}', 2, 2, /^\\d/],
    ['\\D', 0, 2, /^\\D/],
    ['\\w', 0, 2, /^\\w/],
    ['\\W', 0, 2, /^\\W/],
    ['\\s', 0, 2, /^\\s \(white space\)/],
    ['\\S', 0, 2, /^\\S/],
    ['\\b', 0, 2, /word boundary/],
    ['\\B', 0, 2, /word boundaries/],
    ['\\A', 0, 2, /^\\A is PCRE/],
    ['\\Z', 0, 2, /^\\Z is PCRE/],
    ['\\n', 0, 2, /^\\n is not a BRE escape/],
    ['\\t', 0, 2, /^\\t is not a BRE escape/],
    ['\\x41', 0, 2, /^\\x hex escapes/],
    ['\\u0041', 0, 2, /^\\u escapes/],
    ['\\0', 0, 2, /^\\0 is not a BRE escape/],
    ['a\\+', 1, 2, /^\\\+ \("one or more"\) is a GNU extension/],
    ['a\\?', 1, 2, /^\\\? \("optional"\) is a GNU extension/],
    ['a\\|b', 1, 2, /^\\\| \(alternation\) is a GNU extension/],
    ['\\<a', 0, 2, /^\\< \(start of word\)/],
    ['a\\>', 1, 2, /^\\> \(end of word\)/],
    ['\\`a', 0, 2, /GNU extension/],
    ["a\\'", 1, 2, /GNU extension/],
    ['\\q', 0, 2, /^\\q is undefined in POSIX BRE/],
  ];
  for (const [pattern, index, length, message] of cases) {
    it(`rejects ${JSON.stringify(pattern)} at ${index}+${length}`, () => {
      const e = errorOf(pattern);
      assert.deepEqual([e.index, e.length], [index, length], e.message);
      assert.match(e.message, message);
      assert.ok(e.fix.length > 0);
    });
  }

  it('says how to write \\d in BRE and offers a replacement', () => {
    const e = errorOf('^\\d\\{4\\}$');
    assert.equal(e.fix, 'write [0-9] or [[:digit:]]');
    assert.equal(e.replacement, '[0-9]');
  });

  it('offers replacements for out-of-order ranges, intervals, GNU operators and class names', () => {
    assert.equal(errorOf('[z-a]').replacement, 'a-z');
    assert.equal(errorOf('[[.z.]-a]').replacement, 'a-[.z.]');
    assert.equal(errorOf('a\\{3,2\\}').replacement, '\\{2,3\\}');
    assert.equal(errorOf('a\\+').replacement, '\\{1,\\}');
    assert.equal(errorOf('a\\?').replacement, '\\{0,1\\}');
    assert.equal(errorOf('a\\{1}').replacement, '\\}');
    assert.equal(errorOf('\\s').replacement, '[[:space:]]');
    assert.equal(errorOf('\\q').replacement, 'q');
    const cls = errorOf('[[:alhpa:]]');
    assert.equal(cls.replacement, 'alpha');
    assert.match(cls.fix, /^did you mean \[:alpha:\]\? the classes are alnum, alpha, blank/);
    assert.equal(errorOf('[[:foo:]]').replacement, undefined);
    assert.equal(errorOf('\\(a').replacement, undefined);
  });

  it('keeps the warnings found before the error', () => {
    const e = errorOf('a+\\d');
    assert.deepEqual([e.index, e.length], [2, 2]);
    assert.deepEqual(
      e.warnings.map((w) => [w.code, w.index, w.length]),
      [['ere-operator', 1, 1]],
    );
  });
});

describe('checkPosixBre: ERE/PCRE habits and portability warnings', () => {
  const cases: [pattern: string, code: string, index: number, length: number, message: RegExp, replacement?: string][] = [
    ['a+', 'ere-operator', 1, 1, /^\+ is a literal plus sign in a BRE, not "one or more"/, '\\{1,\\}'],
    ['[0-9]+$', 'ere-operator', 5, 1, /^\+ is a literal plus sign/, '\\{1,\\}'],
    ['\\(ab\\)+', 'ere-operator', 6, 1, /^\+ is a literal plus sign/, '\\{1,\\}'],
    ['a?', 'ere-operator', 1, 1, /^\? is a literal question mark in a BRE, not "optional"/, '\\{0,1\\}'],
    ['a*+', 'ere-operator', 2, 1, /^\+ is a literal plus sign/, '\\{1,\\}'],
    ['a*?', 'ere-operator', 2, 1, /^\? after a repetition is not a lazy quantifier/],
    ['a|b', 'ere-operator', 1, 1, /^\| is a literal vertical bar in a BRE, which has no alternation/],
    ['(ab)', 'ere-operator', 0, 1, /^\( is a literal parenthesis in a BRE; a group is written \\\( … \\\)/],
    ['ab)', 'ere-operator', 2, 1, /^\) is a literal parenthesis/],
    ['a{2}', 'ere-operator', 1, 3, /^\{2\} is literal text in a BRE; an interval is written \\\{2\\\}/, '\\{2\\}'],
    ['a{2,3}', 'ere-operator', 1, 5, /^\{2,3\} is literal text/, '\\{2,3\\}'],
    ['a{2,}', 'ere-operator', 1, 4, /^\{2,\} is literal text/, '\\{2,\\}'],
    ['a^b', 'literal-anchor', 1, 1, /^\^ here is a literal circumflex/],
    ['a$b', 'literal-anchor', 1, 1, /^\$ here is a literal dollar sign/],
    ['\\(^a\\)', 'implementation-defined', 2, 1, /^\^ right after \\\( is an anchor in some implementations/],
    ['\\(a$\\)', 'implementation-defined', 3, 1, /^\$ right before \\\) is an anchor in some implementations/],
    ['[:alpha:]', 'class-outside-bracket', 0, 9, /^\[:alpha:\] is a bracket expression matching the characters of "alpha" and ":"/, '[[:alpha:]]'],
    ['x[:digit:]', 'class-outside-bracket', 1, 9, /character class goes inside brackets/, '[[:digit:]]'],
    ['[\\d]', 'backslash-in-bracket', 1, 1, /^inside a bracket expression a backslash is an ordinary character: \[\\d\] matches \\ or d/],
    ['[a\\]]', 'backslash-in-bracket', 2, 1, /backslash is an ordinary character/],
    ['\\-', 'undefined-escape', 0, 2, /^\\- is undefined in POSIX BRE; most implementations read it as a literal -/, '-'],
    ['a\\/b', 'undefined-escape', 1, 2, /^\\\/ is undefined/, '/'],
    ['\\]', 'undefined-escape', 0, 2, /^\\\] is undefined/, ']'],
  ];
  for (const [pattern, code, index, length, message, replacement] of cases) {
    it(`warns about ${JSON.stringify(pattern)} (${code}) at ${index}+${length}`, () => {
      const r = checkPosixBre(pattern);
      assert.equal(r.ok, true);
      assert.equal(r.warnings.length, 1, JSON.stringify(r.warnings));
      const w = r.warnings[0];
      assert.deepEqual([w.code, w.index, w.length], [code, index, length]);
      assert.match(w.message, message);
      assert.equal(w.replacement, replacement);
    });
  }

  it('does not warn about + ? at the start, where nothing could be repeated', () => {
    assert.deepEqual(checkPosixBre('+a').warnings, []);
    assert.deepEqual(checkPosixBre('?a').warnings, []);
  });

  it('warns about ( once per pattern, not again for its )', () => {
    assert.deepEqual(
      checkPosixBre('(a)(b)').warnings.map((w) => w.index),
      [0, 3],
    );
  });

  it('gives the fixes for \\d inside brackets', () => {
    const [w] = checkPosixBre('[\\d]').warnings;
    assert.equal(w.fix, 'write [[:digit:]] or [0-9]');
  });
});
