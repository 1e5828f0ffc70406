import assert from 'node:assert/strict';
import { deepEqual, diffLines, partialMatch, unifiedDiff } from '../../../runtime/scenario';

describe('scenario/match', () => {
  it('matches objects partially and arrays element by element', () => {
    assert.deepEqual(partialMatch({ a: 1 }, { a: 1, b: 2 }, 'state'), []);
    assert.deepEqual(partialMatch({ a: { b: [1, { c: 2 }] } }, { a: { b: [1, { c: 2, d: 3 }], e: 0 } }, 'state'), []);
    assert.deepEqual(partialMatch({ a: 2, b: 1 }, { a: 1 }, 'state'), [
      { path: 'state.a', expected: 2, actual: 1 },
      { path: 'state.b', expected: 1, actual: undefined, missing: true },
    ]);
    assert.deepEqual(partialMatch([1, 2], [1, 2, 3], 'body'), [{ path: 'body', expected: [1, 2], actual: [1, 2, 3] }]);
    assert.deepEqual(partialMatch({ 'odd key': 1 }, { 'odd key': '1' }, 'state'), [{ path: 'state["odd key"]', expected: 1, actual: '1' }]);
    assert.deepEqual(partialMatch({ a: null }, { a: {} }, 'state'), [{ path: 'state.a', expected: null, actual: {} }]);
  });

  it('compares deeply and exactly', () => {
    assert.equal(deepEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }), true);
    assert.equal(deepEqual({ a: 1 }, { a: 1, b: undefined }), false);
    assert.equal(deepEqual([], {}), false);
    assert.equal(deepEqual(1, '1'), false);
  });
});

describe('scenario/line-diff', () => {
  it('keeps common lines and marks removed before added', () => {
    assert.deepEqual(diffLines(['{', '  "a": 1', '}'], ['{', '  "a": 2', '}']), [
      { op: ' ', text: '{' },
      { op: '-', text: '  "a": 1' },
      { op: '+', text: '  "a": 2' },
      { op: ' ', text: '}' },
    ]);
    assert.deepEqual(diffLines([], ['x']), [{ op: '+', text: 'x' }]);
    assert.deepEqual(diffLines(['x', 'y'], ['y']), [{ op: '-', text: 'x' }, { op: ' ', text: 'y' }]);
  });

  it('writes a unified-style diff, cutting long unchanged runs', () => {
    const expected = ['[', ...Array.from({ length: 10 }, (_, i) => `  ${i},`), '  "x"', ']'].join('\n');
    const actual = expected.replace('"x"', '"y"');
    assert.equal(unifiedDiff(expected, actual), [
      '--- expected',
      '+++ actual',
      ' … 8 unchanged lines',
      '   7,',
      '   8,',
      '   9,',
      '-  "x"',
      '+  "y"',
      ' ]',
    ].join('\n'));
  });
});
