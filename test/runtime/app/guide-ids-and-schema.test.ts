import assert from 'node:assert/strict';
import { parseAppJson } from '../../../runtime/app/parse-app-json';

describe('app.json: page ids and $schema', () => {
  it('reports a page id used twice, at the second id', () => {
    const text = '{\n  "input": { "a": { "type": "text", "name": "A" } },\n  "guide": [\n    { "id": "p", "input_fields": ["a"] },\n    { "id": "p", "input_fields": [] }\n  ]\n}\n';
    const { problems } = parseAppJson(text, 'app.json');
    const dup = problems.filter((p) => p.code === 'guide-duplicate-id');
    assert.equal(dup.length, 1);
    assert.deepEqual([dup[0].line, dup[0].column], [5, 13]);
    assert.equal(dup[0].message, 'guide page 2 has the id "p" of guide page 1; page ids must differ');
    assert.equal(dup[0].fix, 'give it another id, e.g. "p_2"');
  });

  it('accepts distinct ids and pages without ids', () => {
    const text = JSON.stringify({ input: { a: { type: 'text', name: 'A' } }, guide: [{ id: 'p', input_fields: ['a'] }, { id: 'q', input_fields: [] }, { input_fields: [] }] });
    assert.deepEqual(parseAppJson(text, 'app.json').problems.filter((p) => p.code === 'guide-duplicate-id'), []);
  });

  it('accepts a "$schema" string and rejects any other value', () => {
    const ok = parseAppJson('{ "$schema": "https://smartplug.dev/schemas/app.schema.json", "input": {}, "guide": [] }', 'app.json');
    assert.deepEqual(ok.problems, []);
    const bad = parseAppJson('{ "$schema": 1, "input": {}, "guide": [] }', 'app.json');
    assert.equal(bad.problems[0].code, 'app-json-type');
    assert.match(bad.problems[0].message, /"\$schema" must be a string/);
  });
});
