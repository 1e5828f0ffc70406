/**
 * The fast path of diagnostics (server/service/clean-app-json.ts) may only ever say "no problem"
 * where the full check on the tree finds none: over every rule's documents, the examples, and
 * hundreds of seeded variations of them. And it must say it for valid documents, or it saves nothing.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { mulberry32 } from '../../runtime/engine/seeded-random';
import { isCleanAppJson, propertiesWritten } from '../../server/service/clean-app-json';
import { parseDocument } from '../../server/service/parsed-document';
import { problemsFromTree, validateDocument } from '../../server/service/validation';
import { CASES } from './rule-cases';

const ROOT = path.resolve(__dirname, '..', '..');
const noFiles = () => undefined;

function verdicts(text: string): { fast: boolean; full: string[] } {
  const parsed = parseDocument('file:///t/app.json', '/t/app.json', 1, 'app', text);
  const full = problemsFromTree(parseDocument('file:///t/app.json', '/t/app.json', 1, 'app', text), noFiles).map((p) => `${p.code} ${p.message}`);
  const fast = parsed.strictValue !== undefined && isCleanAppJson(text, parsed.strictValue);
  return { fast, full };
}

/** Well-formed variations: values replaced, properties dropped or added, in objects anywhere. */
function variations(value: unknown, count: number, seed: number): unknown[] {
  const random = mulberry32(seed);
  const replacements: unknown[] = ['10', 10, -1, 0, true, 'text', 'repeat', 'option', 'number', 'slider', '[a-', '[a-z]+', 'abc', null, [], {}, ['a'], ['nope'], { a: 'A' }, { type: 'switch' }, { capability: 'switch' }];
  const keys = ['type', 'default', 'min', 'max', 'validator', 'input_fields', 'values', 'filter', 'id', 'required', 'value', 'on_error'];
  const out: unknown[] = [];
  for (let i = 0; i < count; i++) {
    const copy = structuredClone(value);
    const containers: Record<string, unknown>[] = [];
    const collect = (v: unknown): void => {
      if (v && typeof v === 'object') {
        if (!Array.isArray(v)) containers.push(v as Record<string, unknown>);
        for (const x of Object.values(v as object)) collect(x);
      }
    };
    collect(copy);
    for (let edits = 1 + Math.floor(random() * 2); edits > 0 && containers.length > 0; edits--) {
      const target = containers[Math.floor(random() * containers.length)];
      const own = Object.keys(target);
      const choice = random();
      if (choice < 0.5 && own.length > 0) target[own[Math.floor(random() * own.length)]] = replacements[Math.floor(random() * replacements.length)];
      else if (choice < 0.7 && own.length > 0) delete target[own[Math.floor(random() * own.length)]];
      else target[keys[Math.floor(random() * keys.length)]] = replacements[Math.floor(random() * replacements.length)];
    }
    out.push(copy);
  }
  return out;
}

const apps = readdirSync(path.join(ROOT, 'test/fixtures/apps')).map((d) => path.join(ROOT, 'test/fixtures/apps', d, 'app.json')).concat(
  ['door-light', 'mode-lights', 'motion-light'].map((d) => path.join(ROOT, 'examples', d, 'app.json')),
  path.join(ROOT, 'test/fixtures/seed003/app.json'),
);
const documents = [
  ...CASES.filter((c) => c.file === 'app.json').flatMap((c) => [c.bad, c.good]),
  ...apps.flatMap((file) => {
    try {
      return [JSON.parse(readFileSync(file, 'utf8')) as unknown];
    } catch {
      return [];
    }
  }),
];

describe('language server: the fast path of app.json diagnostics', function () {
  this.timeout(60_000);

  it('vouches only for documents the full check finds nothing in: every rule\'s documents, the apps, and 600 variations', () => {
    let vouched = 0;
    const all = [...documents, ...documents.flatMap((d, i) => variations(d, 20, 1000 + i))];
    assert.ok(all.length > 600, String(all.length));
    for (const doc of all) {
      for (const text of [JSON.stringify(doc, null, 2), JSON.stringify(doc)]) {
        const { fast, full } = verdicts(text);
        if (fast) {
          vouched++;
          assert.deepEqual(full, [], `the fast path vouched for a document with problems:\n${text}`);
        }
      }
    }
    // It saves work: a good share of the documents are vouched for.
    assert.ok(vouched > 40, `vouched for ${vouched}`);
  });

  it('vouches for the valid example apps, and never for a rule\'s broken document', () => {
    for (const file of ['door-light', 'mode-lights', 'motion-light']) {
      const text = readFileSync(path.join(ROOT, 'examples', file, 'app.json'), 'utf8');
      assert.equal(verdicts(text).fast, true, file);
    }
    for (const c of CASES.filter((x) => x.file === 'app.json')) assert.equal(verdicts(JSON.stringify(c.bad, null, 2)).fast, false, c.rule);
  });

  it('finds a key written twice, which JSON.parse drops silently, also beside colons inside strings', () => {
    const twice = '{ "name": "a", "name": "b", "input": {}, "guide": [] }';
    assert.equal(verdicts(twice).fast, false);
    assert.deepEqual(validateDocument(parseDocument('file:///t/app.json', '/t/app.json', 1, 'app', twice)).map((p) => p.code), ['json-duplicate-key']);
    const colons = '{ "description": "at 12:00 \\"a:b\\" \\\\", "input": {}, "guide": [] }';
    assert.equal(propertiesWritten(colons), 3);
    assert.equal(verdicts(colons).fast, true);
    assert.equal(verdicts(colons.replace('"input"', '"description": "x", "input"')).fast, false);
  });
});
