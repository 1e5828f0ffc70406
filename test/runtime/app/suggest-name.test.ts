import assert from 'node:assert/strict';
import { levenshtein, suggestName } from '../../../runtime/app';

describe('suggestName', () => {
  it('measures edits, counting a swap of neighbours as one', () => {
    assert.equal(levenshtein('kitten', 'sitting'), 3);
    assert.equal(levenshtein('lamp', 'lmap'), 1);
    assert.equal(levenshtein('', 'abc'), 3);
  });

  it('suggests near misses, swapped words and other capitalisation', () => {
    assert.equal(suggestName('example_text', ['text_example', 'timeout']), 'text_example');
    assert.equal(suggestName('on_eror', ['on_error', 'default']), 'on_error');
    assert.equal(suggestName('Timeout', ['timeout']), 'timeout');
    assert.equal(suggestName('4465', ['9', '12', '4456']), '4456');
  });

  it('stays quiet when nothing is close, and for one-character names', () => {
    assert.equal(suggestName('zzz', ['timeout', 'name']), undefined);
    assert.equal(suggestName('3', ['1', '2']), undefined);
    assert.equal(suggestName('same', ['same']), undefined);
  });
});
