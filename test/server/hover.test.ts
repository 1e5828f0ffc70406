/**
 * Hover over the wire: the schema's words for keys and values (the branch of the input's type in
 * app.json, $refs across the bundled schemas for manifest and load action), input types with
 * their config shapes, and input names in input_fields.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { type Hover, HoverRequest, type MarkupContent, type Position } from 'vscode-languageserver-protocol';
import { CONFIG_SHAPES, INPUT_TYPES } from '../../runtime/app/app-json-types';
import appSchema from '../../schemas/app.schema.json';
import loadAction from '../../schemas/load-action.schema.json';
import loadCommon from '../../schemas/load-common.schema.json';
import manifestSchema from '../../schemas/manifest.schema.json';
import { LspClient } from './lsp-client';

function cursor(marked: string): { text: string; position: Position } {
  const offset = marked.indexOf('|');
  assert.ok(offset >= 0, 'no | in the text');
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  const before = text.slice(0, offset).split('\n');
  return { text, position: { line: before.length - 1, character: before[before.length - 1].length } };
}

interface Described {
  title?: string;
  description?: string;
  markdownDescription?: string;
  default?: unknown;
  examples?: unknown[];
}

/** The hover the server should give for a schema node: its words as the schema has them. */
function expected(s: Described): string {
  const parts: string[] = [];
  if (s.title) parts.push(`**${s.title}**`);
  const d = s.markdownDescription ?? s.description;
  if (d) parts.push(d);
  if ('default' in s) parts.push(`Default: \`${JSON.stringify(s.default)}\``);
  const examples = (s.examples ?? []).map((e) => JSON.stringify(e)).filter((e) => e.length <= 80);
  if (examples.length > 0) parts.push(`${examples.length === 1 ? 'Example' : 'Examples'}: ${examples.map((e) => `\`${e}\``).join(', ')}`);
  return parts.join('\n\n');
}

function markdownOf(h: Hover | null): string {
  assert.ok(h, 'expected a hover');
  const c = h.contents as MarkupContent;
  assert.equal(c.kind, 'markdown');
  return c.value;
}

describe('hover (LSP)', function () {
  let client: LspClient;
  let n = 0;

  before(async () => {
    client = await LspClient.start();
  });
  after(async () => {
    await client.stop();
  });

  async function hover(marked: string, name = 'app.json'): Promise<{ hover: Hover | null; text: string }> {
    const { text, position } = cursor(marked);
    const uri = LspClient.uri(path.join('/tmp/smartplug-hover', `doc${n++}`, name));
    await client.open(uri, text);
    const result = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
    await client.close(uri);
    return { hover: result, text };
  }

  /** The range of the first occurrence of `token` in `text` (one line). */
  function rangeOf(text: string, token: string, from = 0): { start: Position; end: Position } {
    const offset = text.indexOf(token, from);
    assert.ok(offset >= 0, token);
    const before = text.slice(0, offset).split('\n');
    const line = before.length - 1;
    const character = before[line].length;
    return { start: { line, character }, end: { line, character: character + token.length } };
  }

  describe('app.json keys', () => {
    it('shows the top-level property\'s title, description and default', async () => {
      const { hover: h, text } = await hover('{\n  "in|put": {}\n}');
      assert.equal(markdownOf(h), expected(appSchema.properties.input));
      assert.deepEqual(h!.range, rangeOf(text, '"input"'));
    });

    it('follows the input\'s type to the parameters of that type', async () => {
      const text = await hover('{"input": {"t": {"type": "text", "multi|line": true}}}');
      assert.equal(markdownOf(text.hover), expected(appSchema.$defs.textParameters.properties.multiline));
      const value = await hover('{"input": {"f": {"type": "single_function_selector", "val|ue": true}}}');
      assert.equal(markdownOf(value.hover), expected(appSchema.$defs.selectorParameters.properties.value));
    });

    it('tells one type\'s "default" from another\'s', async () => {
      const num = await hover('{"input": {"n": {"type": "number", "def|ault": 10}}}');
      assert.equal(markdownOf(num.hover), expected(appSchema.$defs.numberParameters.properties.default));
      const toggle = await hover('{"input": {"n": {"type": "toggle", "def|ault": true}}}');
      assert.equal(markdownOf(toggle.hover), expected(appSchema.$defs.toggleParameters.properties.default));
      assert.notEqual(markdownOf(num.hover), markdownOf(toggle.hover));
    });

    it('shows the common parameters of any input', async () => {
      const { hover: h } = await hover('{"input": {"n": {"type": "number", "requ|ired": true}}}');
      assert.equal(markdownOf(h), expected(appSchema.$defs.input.properties.required));
    });

    it('says nothing of a parameter the input\'s type does not have', async () => {
      const { hover: h } = await hover('{"input": {"t": {"type": "text", "val|ue": true}}}');
      assert.equal(h, null);
    });

    it('summarises an input on its name', async () => {
      const { hover: h, text } = await hover('{"input": {"time|out": {"type": "number", "name": "Light on time", "description": "Minutes the light stays on."}}}');
      assert.equal(markdownOf(h), '**timeout**: number input\n\nDisplay name: Light on time\n\nMinutes the light stays on.\n\nConfig value: `<number>`');
      assert.deepEqual(h!.range, rangeOf(text, '"timeout"'));
    });

    it('shows a guide page property', async () => {
      const { hover: h } = await hover('{"guide": [{"ti|tle": "Functions", "input_fields": []}]}');
      assert.equal(markdownOf(h), expected(appSchema.$defs.guidePage.properties.title));
    });
  });

  describe('app.json values', () => {
    it('shows an input type\'s description and config shape', async () => {
      for (const type of ['text', 'repeat', 'multi_function_selector'] as const) {
        const { hover: h, text } = await hover(`{"input": {"x": {"type": "${type.slice(0, 2)}|${type.slice(2)}"}}}`);
        const description = appSchema.$defs.input.properties.type.markdownEnumDescriptions[INPUT_TYPES.indexOf(type)];
        assert.equal(markdownOf(h), `**Input type** \`${type}\`\n\n${description}`);
        assert.ok(markdownOf(h).includes(`Config value: \`${CONFIG_SHAPES[type]}\``), type);
        assert.deepEqual(h!.range, rangeOf(text, `"${type}"`));
      }
    });

    it('shows the input an entry of input_fields names, on a page and in a repeat', async () => {
      const input = '"input": {"trigger_value": {"type": "single_function_selector", "name": "Function", "description": "Select function", "value": true}, "temp": {"type": "repeat", "input_fields": ["trig|Ager_value"]}}';
      const expectedText = '**trigger_value**: single_function_selector input\n\nDisplay name: Function\n\nSelect function\n\nConfig value: `<function-id>, or with "value": true { "<function-id>": <value> }`';
      const inRepeat = await hover(`{${input.replace('|A', '|')}}`);
      assert.equal(markdownOf(inRepeat.hover), expectedText);
      const onPage = await hover(`{${input.replace('|A', '')}, "guide": [{"input_fields": ["temp", "trigger_v|alue"]}]}`);
      assert.equal(markdownOf(onPage.hover), expectedText);
      assert.deepEqual(onPage.hover!.range, rangeOf(onPage.text, '"trigger_value"', onPage.text.indexOf('"guide"')));
    });

    it('shows the schema\'s words for a name that is not an input', async () => {
      const { hover: h } = await hover('{"input": {}, "guide": [{"input_fields": ["nowh|ere"]}]}');
      assert.equal(markdownOf(h), expected(appSchema.$defs.inputName));
    });

    it('shows the property for a value the schema does not enumerate', async () => {
      const { hover: h } = await hover('{"input": {"t": {"type": "text", "multiline": tr|ue}}}');
      assert.equal(markdownOf(h), expected(appSchema.$defs.textParameters.properties.multiline));
    });

    it('shows nothing between tokens', async () => {
      const { hover: h } = await hover('{"input": {"t": {"type": "text"}  |  }}');
      assert.equal(h, null);
    });
  });

  describe('manifest.json and *.load.json', () => {
    it('follows $ref into load-common.schema.json', async () => {
      const { hover: h, text } = await hover('{"image": "a.bin", "meth|od": "setup"}', 'manifest.json');
      assert.equal(manifestSchema.properties.method.$ref, 'load-common.schema.json#/$defs/method');
      assert.equal(markdownOf(h), expected(loadCommon.$defs.method));
      assert.deepEqual(h!.range, rangeOf(text, '"method"'));
    });

    it('shows a method\'s own description on its value', async () => {
      const { hover: h, text } = await hover('{"url": "http://x/a.zip", "method": "hyb|rid"}', 'a.load.json');
      assert.equal(markdownOf(h), `**${loadCommon.$defs.method.title}** \`"hybrid"\`\n\n${loadCommon.$defs.method.anyOf[0].markdownEnumDescriptions?.[1]}`);
      assert.deepEqual(h!.range, rangeOf(text, '"hybrid"'));
    });

    it('shows an integrity value\'s description, null included', async () => {
      const sha = await hover('{"integrity": "SHA2|56"}', 'manifest.json');
      assert.equal(markdownOf(sha.hover), `**${loadCommon.$defs.integrity.title}** \`"SHA256"\`\n\n${loadCommon.$defs.integrity.anyOf[0].markdownEnumDescriptions![2]}`);
      const none = await hover('{"integrity": nu|ll}', 'manifest.json');
      assert.equal(markdownOf(none.hover), `**${loadCommon.$defs.integrity.title}** \`null\`\n\n${loadCommon.$defs.integrity.anyOf[0].markdownEnumDescriptions![0]}`);
    });

    it('says where a property of the other kind belongs', async () => {
      const { hover: h } = await hover('{"url": "http://x/a.zip", "ima|ge": "a.bin"}', 'a.load.json');
      assert.equal(markdownOf(h), expected(loadAction.properties.image));
      const manifest = await hover('{"ur|l": "http://x/a.zip"}', 'manifest.json');
      assert.equal(markdownOf(manifest.hover), expected(manifestSchema.properties.url));
    });

    it('shows nothing for a property no schema knows', async () => {
      const { hover: h } = await hover('{"colou|r": "red"}', 'manifest.json');
      assert.equal(h, null);
    });
  });
});
