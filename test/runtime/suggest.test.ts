import assert from 'node:assert/strict';
import { didYouMean, didYouMeanName, editDistance, joinSentences, suggest, suggestName } from '../../runtime/suggest';

describe('suggest', () => {
  it('counts insertions, deletions, substitutions and adjacent swaps as one edit each', () => {
    assert.equal(editDistance('switch', 'switch'), 0);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('abc', ''), 3);
    assert.equal(editDistance('swich', 'switch'), 1);
    assert.equal(editDistance('switchh', 'switch'), 1);
    assert.equal(editDistance('swatch', 'switch'), 1);
    assert.equal(editDistance('swtich', 'switch'), 1);
    assert.equal(editDistance('lamp', 'lmap'), 1);
    assert.equal(editDistance('kitten', 'sitting'), 3);
  });

  describe('suggest', () => {
    it('suggests the closest candidate, ignoring case', () => {
      assert.equal(suggest('swtich', ['switchLevel', 'switch', 'lock']), 'switch');
      assert.equal(suggest('Switch', ['switch', 'lock']), 'switch');
      assert.equal(suggest('setLevle', ['setLevel', 'setHue']), 'setLevel');
    });

    it('suggests nothing when no candidate is close enough', () => {
      assert.equal(suggest('xyz', ['switch', 'lock']), undefined);
      assert.equal(suggest('ab', ['cd']), undefined);
      assert.equal(suggest('anything', []), undefined);
      // The exact name is not a suggestion for itself.
      assert.equal(suggest('lock', ['lock']), undefined);
    });

    it('honours an explicit distance limit', () => {
      assert.equal(suggest('temprature', ['temperature'], 0), undefined);
      assert.equal(suggest('temprature', ['temperature'], 1), 'temperature');
    });
  });

  describe('suggestName', () => {
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

  it('formats each hint as its callers append it, and joins sentences without doubled punctuation', () => {
    assert.equal(didYouMean('swtich', ['switch']), "; did you mean 'switch'?");
    assert.equal(didYouMean('zzz', ['switch']), '');
    assert.equal(didYouMeanName('example_text', ['text_example']), ' did you mean "text_example"?');
    assert.equal(didYouMeanName('zzz', ['text_example']), '');
    assert.equal(joinSentences("no 'x'; did you mean 'y'?", 'Known: y'), "no 'x'; did you mean 'y'? Known: y.");
    assert.equal(joinSentences("no 'x'", 'Known: y'), "no 'x'. Known: y.");
  });
});
