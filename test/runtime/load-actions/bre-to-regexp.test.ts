import assert from 'node:assert/strict';
import { BreSyntaxError, breToRegExp, breToRegExpSource } from '../../../runtime/load-actions';

/** [pattern, matching subjects, non-matching subjects] */
const CASES: [string, string[], string[]][] = [
  // Seed 002's examples: one LonWorks program id exactly, then every model number of it.
  ['^8000010203040506$', ['8000010203040506'], ['80000102030405060', 'x8000010203040506', '800001020304050']],
  ['^80000102030405', ['8000010203040506', '80000102030405FF', '80000102030405'], ['90000102030405', 'x80000102030405']],
  ['8000', ['x8000y', '8000'], ['800']],
  ['^[[:xdigit:]]\\{16\\}$', ['0123456789abcDEF'], ['0123456789abcdeg', '0123456789abcde']],
  ['^[0-9A-F]\\{2\\}$', ['0F'], ['0f', '0FF']],
  ['\\(ab\\)\\1', ['abab', 'xababx'], ['abba', 'ab']],
  ['^\\(a\\)\\10$', ['aa0'], ['a10', 'aa']],
  ['*a', ['*a', 'x*a'], ['a']],
  ['^*a', ['*a'], ['a', 'x*a']],
  ['\\(*a\\)', ['*a'], ['a']],
  ['a.c', ['abc', 'a\nc', 'a😀c'], ['ac']],
  ['^a+$', ['a+'], ['aa', 'a']],
  ['^a?$', ['a?'], ['a', '']],
  ['^a|b$', ['a|b'], ['a', 'b']],
  ['^(x)$', ['(x)'], ['x']],
  ['^x{2}$', ['x{2}'], ['xx']],
  ['^[]a]$', [']', 'a'], ['b']],
  ['^[^]a]$', ['b'], [']', 'a']],
  ['^[^[:digit:]]$', ['a', '\n'], ['5']],
  ['^[[:alpha:]_][[:alnum:]_]*$', ['_a1', 'Abc'], ['1a']],
  ['^[[:punct:]]*$', ['!-/:@[`{~'], ['a']],
  ['^[[:space:]]$', [' ', '\t', '\n', '\r', '\f', '\v'], ['a']],
  ['^[[:blank:]]$', [' ', '\t'], ['\n']],
  ['^[[:upper:]][[:lower:]]$', ['Ab'], ['aB']],
  ['^[[:cntrl:]]$', ['\u0000', '\u007f'], [' ']],
  ['^[[:print:]]*$', [' ~'], ['\u007f']],
  ['^[[:graph:]]$', ['!'], [' ']],
  ['^a\\{2,3\\}$', ['aa', 'aaa'], ['a', 'aaaa']],
  ['^a\\{2,\\}$', ['aa', 'aaaaa'], ['a']],
  ['^a\\{0\\}b$', ['b'], ['ab']],
  ['^\\(ab\\)\\{2\\}$', ['abab'], ['ab']],
  ['^[.]$', ['.'], ['a']],
  ['^\\.$', ['.'], ['a']],
  ['^\\*\\[\\\\\\^\\$$', ['*[\\^$'], []],
  ['^[[. .]]$', [' '], ['s']],
  ['^[[=a=]]$', ['a'], ['b']],
  ['^[%--]$', ['%', ',', '-'], ['.']],
  ['^[a-]$', ['a', '-'], ['b']],
  ['^[\\d]$', ['\\', 'd'], ['5']],
  ['^[a\\-]$', ['a', '\\', '-'], ['b']],
  ['^a^b$', ['a^b'], ['ab']],
  ['^a$b$', ['a$b'], ['ab']],
  ['^\\(^a\\)', ['a'], ['^a']],
  ['^😀*$', ['', '😀😀'], ['😀a']],
  ['^[😀-😃]$', ['😁'], ['😄']],
  ['^é$', ['é'], ['e']],
  ['^\\-\\/$', ['-/'], []],
  ['', ['', 'anything'], []],
  ['^$', [''], ['a']],
];

describe('breToRegExp', () => {
  for (const [pattern, matching, notMatching] of CASES) {
    it(`matches ${JSON.stringify(pattern)} as POSIX does`, () => {
      const re = breToRegExp(pattern);
      for (const s of matching) assert.ok(re.test(s), `${JSON.stringify(pattern)} should match ${JSON.stringify(s)} (source ${re.source})`);
      for (const s of notMatching) assert.ok(!re.test(s), `${JSON.stringify(pattern)} should not match ${JSON.stringify(s)} (source ${re.source})`);
    });
  }

  it('translates the BRE syntax to JavaScript syntax', () => {
    assert.equal(breToRegExpSource('^a\\{2\\}$'), '^a{2}$');
    assert.equal(breToRegExpSource('\\(ab\\)*\\1'), '(ab)*(?:\\1)');
    assert.equal(breToRegExpSource('a+?|(){}'), 'a\\+\\?\\|\\(\\)\\{\\}');
    assert.equal(breToRegExpSource('[[:digit:]]'), '[0-9]');
    assert.equal(breToRegExpSource('\ta'), '\\u{9}a');
  });

  it('uses the flags s (. matches any character) and u (astral characters are one)', () => {
    assert.equal(breToRegExp('a').flags, 'su');
  });

  it('throws a BreSyntaxError with the range for an invalid BRE', () => {
    assert.throws(
      () => breToRegExp('[z-a]'),
      (e: unknown) => e instanceof BreSyntaxError && e.index === 1 && e.length === 3,
    );
    assert.throws(() => breToRegExp('\\d'), BreSyntaxError);
  });
});
