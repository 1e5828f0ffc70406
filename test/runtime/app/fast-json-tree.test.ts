import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseTree, type Node } from 'jsonc-parser';
import { parseValidJsonTree } from '../../../runtime/app/fast-json-tree';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** The tree without parent links, for comparison. */
function plain(n: Node | undefined): unknown {
  if (!n) return n;
  return { type: n.type, offset: n.offset, length: n.length, value: n.value, colonOffset: n.colonOffset, children: n.children?.map(plain) };
}

function checkParents(n: Node): void {
  for (const c of n.children ?? []) {
    assert.equal(c.parent, n);
    checkParents(c);
  }
}

describe('the fast JSON tree', () => {
  const samples = [
    'test/fixtures/seed003/app.json',
    'examples/door-light/app.json',
    'examples/mode-lights/app.json',
    'schemas/app.schema.json',
    'schemas/load-common.schema.json',
    'package.json',
  ];
  for (const file of samples) {
    it(`builds the same tree as jsonc-parser for ${file}`, () => {
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      const fast = parseValidJsonTree(text)!;
      assert.ok(fast);
      assert.deepEqual(plain(fast), plain(parseTree(text)));
      checkParents(fast);
    });
  }

  it('handles every JSON value form, escapes and unicode', () => {
    const text = '{"a":[1,-2.5e3,0,0.25,true,false,null,"x\\"y\\u00e9\\n","😀"],"b":{},"c":[],"d":{"e":{"f":[[]]}}}';
    assert.deepEqual(plain(parseValidJsonTree(text)), plain(parseTree(text)));
    assert.deepEqual(JSON.parse(text), JSON.parse(text));
  });

  it('gives up on anything that is not plain valid JSON, so the tolerant parser reports it', () => {
    for (const bad of ['', '{', '{"a":1,}', '[1,]', '{"a" 1}', '{a:1}', '{"a":01}', '{"a":1.}', '{"a":-}', '// c\n{}', '{"a":"\u0001"}', '{"a":"x', 'nul', '{} x', '[1 2]', "{'a':1}", '{"a":1e}']) {
      assert.equal(parseValidJsonTree(bad), undefined, JSON.stringify(bad));
    }
  });
});
