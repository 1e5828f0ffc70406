import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient } from './lsp-client';
import { covered as coveredRange } from '../support/text-ranges';

const ROOT = path.resolve(__dirname, '..', '..');
const SEED = readFileSync(path.join(ROOT, 'test/fixtures/seed003/app.json'), 'utf8');

/** The diagnostic with this code, failing with the list when there is none. */
function find(ds: Diagnostic[], code: string, index = 0): Diagnostic {
  const found = ds.filter((d) => d.code === code);
  assert.ok(found[index], `no ${code} (#${index}) among: ${ds.map((d) => `${d.code} ${d.message}`).join(' | ')}`);
  return found[index];
}

/** The text a diagnostic's range covers. */
const covered = (text: string, d: Diagnostic): string => coveredRange(text, d.range);

const app = (obj: unknown) => JSON.stringify(obj, null, 2);
const page = (fields: string[], id = 'p1') => ({ id, title: 'Page', input_fields: fields });

describe('language server: diagnostics over LSP', function () {
  this.timeout(30_000);
  let client: LspClient;
  let n = 0;
  const uri = (name: string) => LspClient.uri(path.join(ROOT, 'test/fixtures/lsp', `case-${++n}`, name));
  before(async () => {
    client = await LspClient.start(ROOT);
  });
  after(async () => {
    await client.stop();
  });

  it('finds seed 003\'s own mistakes at their exact places, with the fix in the message', async () => {
    const { diagnostics } = await client.open(uri('app.json'), SEED);
    const unknown = find(diagnostics, 'unknown-input');
    assert.equal(covered(SEED, unknown), '"example_text"');
    assert.equal(unknown.range.start.line + 1, 72);
    assert.match(unknown.message, /did you mean "text_example"\?/);
    assert.equal(unknown.severity, 1);
    assert.deepEqual(unknown.data, { replacement: '"text_example"' });
    const numberDefault = find(diagnostics, 'input-default-type');
    assert.equal(covered(SEED, numberDefault), '"10"');
    assert.match(numberDefault.message, /Fix: use 10 \(a number\)/);
    assert.equal(numberDefault.severity, 2);
    // Every diagnostic has a code, a source and says how to fix it.
    for (const d of diagnostics) {
      assert.ok(d.code, JSON.stringify(d));
      assert.equal(d.source, 'smartplug');
      assert.match(d.message, /Fix: /, d.message);
    }
  });

  it('reports an input on no page, on two pages, duplicate page ids, a repeat min > max and a repeat cycle', async () => {
    const text = app({
      input: {
        a: { type: 'text', name: 'A' },
        b: { type: 'number', name: 'B' },
        lonely: { type: 'text', name: 'Lonely' },
        r: { type: 'repeat', name: 'R', min: 3, max: 1, input_fields: ['s'] },
        s: { type: 'repeat', name: 'S', input_fields: ['r'] },
      },
      guide: [page(['a', 'b', 'r']), page(['a'], 'p1')],
    });
    const { diagnostics } = await client.open(uri('app.json'), text);
    assert.equal(covered(text, find(diagnostics, 'input-unreachable')), '"lonely"');
    assert.equal(covered(text, find(diagnostics, 'input-on-two-pages')), '"a"');
    const lines = text.split('\n');
    assert.equal(find(diagnostics, 'input-on-two-pages').range.start.line, lines.map((l) => l.trim()).lastIndexOf('"a"'));
    assert.match(find(diagnostics, 'guide-duplicate-id').message, /"p1"/);
    assert.equal(covered(text, find(diagnostics, 'repeat-min-max')), '1');
    assert.match(find(diagnostics, 'repeat-cycle').message, /r|s/);
  });

  it('reports a validator that is not a regular expression and defaults that fail it, are not among values, or have the wrong type', async () => {
    const text = app({
      input: {
        t: { type: 'text', name: 'T', validator: '[a-z', default: 'x' },
        u: { type: 'text', name: 'U', validator: '[a-z]+', default: 'ABC' },
        o: { type: 'option', name: 'O', values: { a: 'A', b: 'B' }, default: 'c' },
        n: { type: 'number', name: 'N', default: '10' },
      },
      guide: [page(['t', 'u', 'o', 'n'])],
    });
    const { diagnostics } = await client.open(uri('app.json'), text);
    assert.equal(covered(text, find(diagnostics, 'input-validator-invalid')), '"[a-z"');
    const defaults = diagnostics.filter((d) => d.code === 'input-default-invalid').map((d) => covered(text, d));
    assert.deepEqual(defaults.sort(), ['"ABC"', '"c"']);
    assert.equal(covered(text, find(diagnostics, 'input-default-type')), '"10"');
  });

  it('checks the JSON Schema: a wrong parameter type and an unknown parameter, without repeating a rule\'s message', async () => {
    const text = app({ input: { r: { type: 'repeat', name: 'R', min: 'two', input_fields: [], colour: 'red' } }, guide: [page(['r'])] });
    const { diagnostics } = await client.open(uri('app.json'), text);
    const onMin = diagnostics.filter((d) => covered(text, d) === '"two"');
    assert.equal(onMin.length, 1, JSON.stringify(onMin));
    const onColour = diagnostics.filter((d) => covered(text, d) === '"colour"');
    assert.equal(onColour.length, 1, JSON.stringify(onColour));
  });

  it('keeps checking after a syntax error', async () => {
    const text = '{\n  "input": {\n    "a": { "type": "text", "name": "A" },\n    "b": { "type": "text" "name": "B" }\n  },\n  "guide": [ { "id": "p", "input_fields": ["a", "zz"] } ]\n}\n';
    const { diagnostics } = await client.open(uri('app.json'), text);
    assert.ok(diagnostics.some((d) => d.code === 'json-syntax'), JSON.stringify(diagnostics));
    assert.equal(covered(text, find(diagnostics, 'unknown-input')), '"zz"');
  });

  it('follows edits: a fixed document has no diagnostics, a broken one has them again', async () => {
    const u = uri('app.json');
    const broken = app({ input: { a: { type: 'text', name: 'A' } }, guide: [page(['b'])] });
    assert.equal((await client.open(u, broken)).diagnostics.filter((d) => d.severity === 1).length, 1);
    const fixed = broken.replace('"b"', '"a"');
    assert.deepEqual((await client.change(u, fixed)).diagnostics, []);
    assert.deepEqual((await client.change(u, broken)).diagnostics.map((d) => d.code).sort(), ['input-unreachable', 'unknown-input']);
  });

  it('recognises a file by its $schema', async () => {
    const text = app({ $schema: 'https://smartplug.dev/schemas/app.schema.json', input: {}, guide: [page(['nope'])] });
    const { diagnostics } = await client.open(uri('my-config.json'), text);
    assert.equal(covered(text, find(diagnostics, 'unknown-input')), '"nope"');
  });
});

describe('language server: manifest and load action diagnostics over LSP', function () {
  this.timeout(30_000);
  let client: LspClient;
  let n = 0;
  const uri = (name: string) => LspClient.uri(path.join(ROOT, 'test/fixtures/lsp', `load-${++n}`, name));
  before(async () => {
    client = await LspClient.start(ROOT);
  });
  after(async () => {
    await client.stop();
  });


  it('a correct manifest and a correct load action have no diagnostics', async () => {
    const manifest = app({ version: '1.2', issuer: 'ACME', image: 'top900_v12_2.bin', method: 'native', integrity: 'SHA256', checksum: '708662ee8cc7b7129bdd75b731d61a784608a8067cfb7d26c1c15d4d8dc2863a', type: '^8000010203040506$' });
    assert.deepEqual((await client.open(uri('manifest.json'), manifest)).diagnostics, []);
    const load = app({ url: 'https://www.acme.com/downloads/sc/321.zip', method: 'hybrid', user: 'u', passwd: 'p', switchover: '2016-09-28 12:00:00.000 UTC', response: 'glp/0/seg1/ev/=cms/response/load' });
    const ds = (await client.open(uri('update.load.json'), load)).diagnostics;
    assert.deepEqual(ds.filter((d) => d.severity === 1 || d.severity === 2), [], JSON.stringify(ds));
  });

  it('reports a checksum that does not fit its integrity, a bad BRE, a bad method, a hybrid member name as a method', async () => {
    const text = app({ image: 'x.bin', method: 'natve', integrity: 'MD5', checksum: 'abc123', type: '^80\\(00' });
    const { diagnostics } = await client.open(uri('manifest.json'), text);
    assert.equal(covered(text, find(diagnostics, 'load-checksum-length')), '"abc123"');
    assert.match(find(diagnostics, 'load-checksum-length').message, /32/);
    assert.match(find(diagnostics, 'load-type-regex').message, /\\\(/);
    const method = find(diagnostics, 'load-method-unknown');
    assert.equal(covered(text, method), '"natve"');
    assert.deepEqual(method.data, { replacement: '"native"' });
    // One diagnostic per mistake: the schema's own complaint about the same value is not repeated.
    assert.equal(diagnostics.filter((d) => covered(text, d) === '"natve"').length, 1);
    const member = (await client.open(uri('manifest.json'), app({ image: 'x.bin', method: 'setup.1' }))).diagnostics;
    assert.match(find(member, 'load-method-member-name').message, /hybrid/);
  });

  it('reports a load-action property in a manifest and the reverse, user without passwd, a bad url scheme and switchover', async () => {
    const mText = app({ image: 'x.bin', method: 'native', url: 'https://a/b.bin' });
    const manifest = (await client.open(uri('manifest.json'), mText)).diagnostics;
    assert.equal(covered(mText, find(manifest, 'load-property-load-only')), '"url"');
    assert.equal(manifest.filter((d) => covered(mText, d) === '"url"').length, 1, JSON.stringify(manifest));
    const text = app({ url: 'ftp://host/image.bin', method: 'native', image: 'x.bin', user: 'me', switchover: '2016-13-28 12:00:00.000 UTC' });
    const load = (await client.open(uri('x.load.json'), text)).diagnostics;
    assert.equal(covered(text, find(load, 'load-property-manifest-only')), '"image"');
    assert.match(find(load, 'load-credentials-passwd-missing').message, /passwd/);
    assert.equal(covered(text, find(load, 'load-url-scheme')), 'ftp');
    assert.equal(covered(text, find(load, 'load-switchover-range')), '13');
  });

  it('says a misspelt guide reference once: the error with its did-you-mean, not also "on no page" for the input it meant', async () => {
    const text = app({ input: { timeout: { type: 'number', name: 'Minutes' }, lamp: { type: 'single_device_selector' } }, guide: [page(['timout', 'lamp'])] });
    const { diagnostics } = await client.open(uri('app.json'), text);
    assert.deepEqual(diagnostics.map((d) => d.code), ['unknown-input'], diagnostics.map((d) => d.message).join(' | '));
    assert.match(diagnostics[0].message, /"timout", which is not an input; did you mean "timeout"\?/);
    assert.deepEqual(diagnostics[0].data, { replacement: '"timeout"' });
    // An input on no page with no misspelling that means it is still flagged.
    const other = app({ input: { timeout: { type: 'number' }, spare: { type: 'text' } }, guide: [page(['timout'])] });
    const second = await client.open(uri('app.json'), other);
    assert.deepEqual(second.diagnostics.map((d) => d.code).sort(), ['input-unreachable', 'unknown-input']);
    assert.match(find(second.diagnostics, 'input-unreachable').message, /input "spare" is on no guide page/);
  });

  it('makes an unknown input type the error it is, with the type that was meant and its quick fix; nothing else about that input', async () => {
    const text = app({ input: { level: { type: 'slider', name: 'Level', min: 0, max: 10 } }, guide: [page(['level'])] });
    const { diagnostics } = await client.open(uri('app.json'), text);
    assert.equal(diagnostics.length, 1, diagnostics.map((d) => `${d.code} ${d.message}`).join(' | '));
    const d = find(diagnostics, 'input-type-unknown');
    assert.equal(d.severity, 1);
    assert.equal(d.source, 'smartplug');
    assert.equal(covered(text, d), '"slider"');
    assert.match(d.message, /input "level": unknown input type "slider"; did you mean "number"\? Fix: write "type": "number"/);
    assert.deepEqual(d.data, { replacement: '"number"' });
    // A misspelling is suggested by its spelling, with the same quick fix.
    const typo = await client.open(uri('app.json'), app({ input: { n: { type: 'nubmer' } }, guide: [page(['n'])] }));
    assert.deepEqual(find(typo.diagnostics, 'input-type-unknown').data, { replacement: '"number"' });
  });

  it('gives schema problems a source and a code, as every other problem', async () => {
    const text = app({ input: { n: { type: 'number', name: 'N', description: 3 } }, guide: [page(['n'])] });
    const { diagnostics } = await client.open(uri('app.json'), text);
    assert.ok(diagnostics.length > 0);
    for (const d of diagnostics) {
      assert.equal(d.source, 'smartplug', JSON.stringify(d));
      assert.match(String(d.code), /^[a-z]+(-[a-z]+)+$/, JSON.stringify(d));
    }
  });
});
