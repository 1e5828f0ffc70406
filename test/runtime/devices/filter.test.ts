import assert from 'node:assert/strict';
import { fnmatch, matchesFilter, validateFilter, type FilterSubject } from '../../../runtime/devices/filter';

const temp: FilterSubject = { id: 9, type: 'temperature', meta: { room: 'kitchen', floor: '2', outdoor: 'false', device_id: 'kt', name: 'Kitchen temp' } };
const hum: FilterSubject = { id: 'kt.humidity', type: 'humidity', meta: { room: 'kitchen', device_id: 'kt', name: 'Kitchen temp' } };

describe('devices/filter', () => {
  describe('fnmatch', () => {
    const cases: [string, string, boolean][] = [
      ['temperature', 'temperature', true],
      ['temperature', 'temperatures', false],
      ['*temp*', 'outdoor_temperature', true],
      ['*temp*', 'humidity', false],
      ['temp*', 'temperature', true],
      ['*', '', true],
      ['sensor?', 'sensor1', true],
      ['sensor?', 'sensor12', false],
      ['sensor?', 'sensor', false],
      ['room[abc]', 'roomb', true],
      ['room[abc]', 'roomd', false],
      ['room[!abc]', 'roomd', true],
      ['room[!abc]', 'rooma', false],
      ['floor[0-3]', 'floor2', true],
      ['floor[0-3]', 'floor7', false],
      ['[]]x', ']x', true],
      ['a[b', 'a[b', true],
      ['a.b', 'a.b', true],
      ['a.b', 'axb', false],
      ['1+1', '1+1', true],
      ['(x)|y', '(x)|y', true],
      ['a^b$', 'a^b$', true],
      ['[\\]', '\\', true],
      ['Kitchen', 'kitchen', false],
      ['*', 'line\nbreak', true],
    ];
    for (const [pattern, text, expected] of cases) {
      it(`${JSON.stringify(pattern)} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(text)}`, () => {
        assert.equal(fnmatch(pattern, text), expected);
      });
    }
  });

  describe('matchesFilter', () => {
    it('matches type against the subject type', () => {
      assert.equal(matchesFilter({ type: 'temperature' }, temp), true);
      assert.equal(matchesFilter({ type: 'temperature' }, hum), false);
      assert.equal(matchesFilter({ type: '*temp*' }, temp), true);
    });

    it('matches any element of an array', () => {
      assert.deepEqual([temp, hum].map((s) => matchesFilter({ type: ['temperature', 'humidity'] }, s)), [true, true]);
      assert.equal(matchesFilter({ type: ['power', 'hum*'] }, hum), true);
      assert.equal(matchesFilter({ type: ['power', 'energy'] }, hum), false);
      assert.equal(matchesFilter({ type: [] }, hum), false);
      assert.equal(matchesFilter({ floor: [1, 2] }, temp), true);
    });

    it('matches other keys against meta and requires every key to match', () => {
      assert.equal(matchesFilter({ room: 'kitchen' }, temp), true);
      assert.equal(matchesFilter({ room: 'kit*', type: 'temperature' }, temp), true);
      assert.equal(matchesFilter({ room: 'kitchen', type: 'humidity' }, temp), false);
      assert.equal(matchesFilter({ room: 'hall' }, temp), false);
      assert.equal(matchesFilter({ name: 'Kitchen*' }, temp), true);
      assert.equal(matchesFilter({ device_id: 'kt' }, hum), true);
    });

    it('never matches a meta key the subject lacks, not even with *', () => {
      assert.equal(matchesFilter({ floor: '*' }, hum), false);
      assert.equal(matchesFilter({ toString: '*' }, hum), false);
    });

    it('compares numbers and booleans as strings', () => {
      assert.equal(matchesFilter({ floor: 2 }, temp), true);
      assert.equal(matchesFilter({ floor: 3 }, temp), false);
      assert.equal(matchesFilter({ outdoor: false }, temp), true);
      assert.equal(matchesFilter({ outdoor: true }, temp), false);
    });

    it('matches id against the subject id, numeric or not', () => {
      assert.equal(matchesFilter({ id: 9 }, temp), true);
      assert.equal(matchesFilter({ id: '9' }, temp), true);
      assert.equal(matchesFilter({ id: 'kt.*' }, hum), true);
      assert.equal(matchesFilter({ id: 'kt.*' }, temp), false);
    });

    it('matches everything with an empty filter and nothing with unsupported values', () => {
      assert.equal(matchesFilter({}, temp), true);
      assert.equal(matchesFilter({ room: null }, temp), false);
      assert.equal(matchesFilter({ room: { eq: 'kitchen' } }, temp), false);
      assert.equal(matchesFilter({ room: [['kitchen']] }, temp), false);
    });
  });

  describe('validateFilter', () => {
    it('accepts strings, numbers, booleans and arrays of them', () => {
      assert.deepEqual(validateFilter({ type: ['a', 1, true], room: 'k*', floor: 2, outdoor: false }), []);
      assert.deepEqual(validateFilter({}), []);
    });

    it('rejects a filter that is not an object', () => {
      assert.deepEqual(validateFilter('temperature'), [{ message: 'filter must be an object of key: pattern pairs, got string' }]);
      assert.deepEqual(validateFilter(null), [{ message: 'filter must be an object of key: pattern pairs, got null' }]);
      assert.deepEqual(validateFilter(['temperature']), [{ message: 'filter must be an object of key: pattern pairs, got an array' }]);
    });

    it('reports every unsupported value with its key and index', () => {
      assert.deepEqual(validateFilter({ type: 'ok', room: { eq: 'k' }, floor: null, tags: ['a', { b: 1 }, ['c']], none: [] }), [
        { key: 'room', message: "filter value for 'room' must be a string, number, boolean or array of them, got an object" },
        { key: 'floor', message: "filter value for 'floor' must be a string, number, boolean or array of them, got null" },
        { key: 'tags', index: 1, message: "filter value for 'tags'[1] must be a string, number or boolean, got an object" },
        { key: 'tags', index: 2, message: "filter value for 'tags'[2] must be a string, number or boolean, got an array" },
        { key: 'none', message: "filter value for 'none' is an empty array, which matches nothing" },
      ]);
    });
  });
});
