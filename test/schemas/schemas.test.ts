/**
 * The JSON Schemas in schemas/ (app.json, image manifest, load action): they compile under Ajv's
 * strict mode, document every property, agree with runtime/app/app-json-types.ts, report the
 * right error for each kind of mistake, and behave the same in VS Code's JSON language service
 * (so any JSON tool that associates the files with them gets the same checks).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import { TextDocument, type LanguageService } from 'vscode-json-languageservice';
import {
  APP_JSON_KEYS,
  COMMON_PARAMETERS,
  CONFIG_SHAPES,
  GUIDE_PAGE_KEYS,
  INPUT_PARAMETERS,
  INPUT_TYPES,
  type InputType,
  type ParameterInfo,
} from '../../runtime/app/app-json-types';
import { compileValidator } from '../../runtime/app/input-rules';
import { FOREIGN_KEYS } from '../../server/service/document-kind';
import { positionAfter } from '../support/text-ranges';
import { vscodeJsonService } from '../support/vscode-json-service';

const ROOT = path.resolve(__dirname, '..', '..');

interface Schema {
  $schema?: string;
  $id?: string;
  $ref?: string;
  $defs?: Record<string, Schema>;
  title?: string;
  description?: string;
  markdownDescription?: string;
  markdownEnumDescriptions?: string[];
  errorMessage?: string;
  examples?: unknown[];
  default?: unknown;
  defaultSnippets?: { label?: string; description?: string; body: unknown }[];
  type?: string;
  enum?: unknown[];
  const?: unknown;
  required?: string[];
  properties?: Record<string, Schema | boolean>;
  additionalProperties?: Schema | boolean;
  items?: Schema | boolean;
  allOf?: Schema[];
  anyOf?: Schema[];
  if?: Schema;
  then?: Schema;
  else?: Schema;
  not?: Schema;
  [key: string]: unknown;
}

const FILES = ['app', 'manifest', 'load-action', 'load-common', 'app-by-name', 'manifest-by-name'] as const;
type SchemaFile = (typeof FILES)[number];
const SCHEMAS = Object.fromEntries(
  FILES.map((f) => [f, JSON.parse(readFileSync(path.join(ROOT, 'schemas', `${f}.schema.json`), 'utf8')) as Schema]),
) as Record<SchemaFile, Schema>;
const ID = (f: SchemaFile): string => `https://smartplug.dev/schemas/${f}.schema.json`;

/** The keywords of VS Code's JSON service the schemas use; Ajv's strict mode must be told of them. */
const VSCODE_KEYWORDS = ['markdownDescription', 'markdownEnumDescriptions', 'defaultSnippets', 'errorMessage', 'patternErrorMessage', 'doNotSuggest'];

function makeAjv(files: readonly SchemaFile[] = FILES): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  for (const keyword of VSCODE_KEYWORDS) ajv.addKeyword({ keyword });
  // "format": "regex" means what the runtime means by a validator: compileValidator accepts it.
  ajv.addFormat('regex', { type: 'string', validate: (s: string) => compileValidator(s).error === undefined });
  for (const f of files) ajv.addSchema(SCHEMAS[f]);
  return ajv;
}

const ajv = makeAjv();
const validatorOf = (f: SchemaFile, pointer = ''): ValidateFunction => {
  const v = ajv.getSchema(`${ID(f)}${pointer ? `#${pointer}` : ''}`);
  assert.ok(v, `no schema at ${f}#${pointer}`);
  return v;
};
const validateApp = validatorOf('app');
const validateManifest = validatorOf('manifest');
const validateLoad = validatorOf('load-action');

/** `instancePath keyword` of every error, sorted, for exact comparisons. */
function errorsOf(validate: ValidateFunction, data: unknown): string[] {
  validate(data);
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.keyword}`).sort();
}

function rawErrors(validate: ValidateFunction, data: unknown): ErrorObject[] {
  validate(data);
  return [...(validate.errors ?? [])];
}

/** The schema at a JSON pointer in one of the files. */
function at(file: SchemaFile, pointer: string): Schema {
  let node: unknown = SCHEMAS[file];
  for (const part of pointer.split('/').slice(1)) node = (node as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  assert.ok(node !== undefined, `nothing at ${file}#${pointer}`);
  return node as Schema;
}

interface Located {
  file: SchemaFile;
  pointer: string;
  schema: Schema;
}

/** Follows $ref (into the same file or a sibling file) to the schema that holds the text. */
function resolve(loc: Located): Located {
  let cur = loc;
  for (let i = 0; cur.schema.$ref !== undefined; i++) {
    assert.ok(i < 10, `$ref loop at ${cur.file}#${cur.pointer}`);
    const [target, fragment = ''] = cur.schema.$ref.split('#');
    const file = target ? (target.replace(/\.schema\.json$/, '') as SchemaFile) : cur.file;
    assert.ok(FILES.includes(file), `$ref to unknown file ${target}`);
    cur = { file, pointer: fragment, schema: at(file, fragment) };
  }
  return cur;
}

const isRejection = (s: Schema): boolean => s.not !== undefined && Object.keys(s.not).length === 0;

interface Visit extends Located {
  /** How the schema is reached: as a property's value, as array items, as additionalProperties, or otherwise. */
  role: 'property' | 'items' | 'additionalProperties' | 'other';
  /** Under if/not/propertyNames: a condition, not a description of a value. */
  inCondition: boolean;
}

/** Every subschema of every file, and every boolean property schema (`"name": true`). */
function walkAll(): { visits: Visit[]; booleanProperties: { file: SchemaFile; pointer: string; name: string; value: boolean }[] } {
  const visits: Visit[] = [];
  const booleanProperties: { file: SchemaFile; pointer: string; name: string; value: boolean }[] = [];
  const walk = (file: SchemaFile, schema: Schema, pointer: string, role: Visit['role'], inCondition: boolean): void => {
    visits.push({ file, schema, pointer, role, inCondition });
    for (const mapKey of ['properties', '$defs'] as const) {
      for (const [name, sub] of Object.entries(schema[mapKey] ?? {})) {
        const p = `${pointer}/${mapKey}/${name}`;
        if (typeof sub === 'boolean') booleanProperties.push({ file, pointer: p, name, value: sub });
        else walk(file, sub, p, mapKey === 'properties' ? 'property' : 'other', inCondition);
      }
    }
    for (const key of ['additionalProperties', 'items', 'propertyNames', 'not', 'if', 'then', 'else', 'unevaluatedProperties']) {
      const sub = schema[key];
      if (sub && typeof sub === 'object') {
        const r: Visit['role'] = key === 'items' ? 'items' : key === 'additionalProperties' ? 'additionalProperties' : 'other';
        walk(file, sub as Schema, `${pointer}/${key}`, r, inCondition || key === 'if' || key === 'not' || key === 'propertyNames');
      }
    }
    for (const key of ['allOf', 'anyOf', 'oneOf']) {
      const list = schema[key];
      if (Array.isArray(list)) list.forEach((sub: Schema, i) => walk(file, sub, `${pointer}/${key}/${i}`, 'other', inCondition));
    }
  };
  for (const f of FILES) walk(f, SCHEMAS[f], '', 'other', false);
  return { visits, booleanProperties };
}
const WALK = walkAll();

/** A defaultSnippets body as the user gets it with every placeholder left at its default. */
function expandSnippet(body: unknown): unknown {
  const text = (s: string): string =>
    s
      .replace(/\$\{\d+\|([^,|]*)[^}]*\|\}/g, '$1')
      .replace(/\$\{\d+:([^}]*)\}/g, '$1')
      .replace(/\$\{\d+\}/g, '')
      .replace(/\$\d+/g, '');
  if (typeof body === 'string') return text(body);
  if (Array.isArray(body)) return body.map(expandSnippet);
  if (body && typeof body === 'object') return Object.fromEntries(Object.entries(body).map(([k, v]) => [text(k), expandSnippet(v)]));
  return body;
}

const readJson = (rel: string): unknown => JSON.parse(readFileSync(path.join(ROOT, rel), 'utf8'));

// --- app.json helpers ---------------------------------------------------------------------------

const INPUT = SCHEMAS.app.$defs!.input;

/** The then-branch (parameter set) that applies to an input of this type. */
function parameterSetOf(type: InputType): Located {
  const matches = (INPUT.allOf ?? []).flatMap((branch, i) => {
    const cond = branch.if!.properties!.type as Schema;
    const applies = cond.const === type || (cond.enum ?? []).includes(type);
    return applies ? [resolve({ file: 'app', pointer: `/$defs/input/allOf/${i}/then`, schema: branch.then! })] : [];
  });
  assert.equal(matches.length, 1, `${type}: ${matches.length} parameter sets apply`);
  return matches[0];
}

function parameterSchema(type: InputType, name: string): Located {
  const set = parameterSetOf(type);
  const sub = set.schema.properties![name];
  assert.ok(sub && typeof sub === 'object', `${type} has no parameter schema "${name}"`);
  return resolve({ file: set.file, pointer: `${set.pointer}/properties/${name}`, schema: sub });
}

/** Errors for one input named "x", as `instancePath keyword` relative to app.json. */
const inputErrors = (input: unknown): string[] => errorsOf(validateApp, { input: { x: input } });

// --- tests ----------------------------------------------------------------------------------------

describe('schemas', () => {
  describe('compilation', () => {
    for (const f of FILES) {
      it(`${f}.schema.json is draft 2020-12 with its $id and compiles in Ajv strict mode`, () => {
        const s = SCHEMAS[f];
        assert.equal(s.$schema, 'https://json-schema.org/draft/2020-12/schema');
        assert.equal(s.$id, ID(f));
        // A fresh instance with only what the file needs: the common definitions for the two load files.
        const needs: SchemaFile[] = f === 'manifest' || f === 'load-action' ? ['load-common', f] : f === 'app-by-name' ? ['app', f] : f === 'manifest-by-name' ? ['load-common', 'manifest', f] : [f];
        const fresh = makeAjv(needs);
        assert.equal(typeof fresh.getSchema(ID(f)), 'function');
      });
    }

    it('strict mode rejects a keyword Ajv was not told about (so the list of VS Code keywords is complete)', () => {
      const strict = makeAjv([]);
      assert.throws(() => strict.compile({ type: 'string', enumDescriptions: ['x'] }), /unknown keyword: "enumDescriptions"/);
    });

    it('manifest and load action share the definitions of load-common.schema.json by relative $ref', () => {
      for (const f of ['manifest', 'load-action'] as const) {
        const refs = Object.values(SCHEMAS[f].properties!)
          .filter((p): p is Schema => typeof p === 'object' && p.$ref !== undefined)
          .map((p) => p.$ref!);
        assert.ok(refs.length >= 12, `${f}: ${refs.length} refs`);
        for (const r of refs) assert.match(r, /^load-common\.schema\.json#\/\$defs\/\w+$/);
      }
      const shared = ['user', 'passwd', 'imgpwd', 'integrity', 'method', 'protocol', 'type', 'flags', 'checksum'];
      for (const name of shared) {
        assert.equal((SCHEMAS.manifest.properties![name] as Schema).$ref, `load-common.schema.json#/$defs/${name}`);
        assert.equal((SCHEMAS['load-action'].properties![name] as Schema).$ref, `load-common.schema.json#/$defs/${name}`);
      }
    });
  });

  describe('documentation', () => {
    const propertySchemas = WALK.visits.filter((v) => v.role !== 'other' && !v.inCondition);

    /**
     * Values that must name something of the same document (an input, a key of "values") have no
     * examples: editors offer examples as completions (VS Code does), and these would name inputs
     * and values the document does not have. The language server offers the document's own there.
     */
    const NAMES_OF_THE_DOCUMENT = [
      'app#/properties/guide/items',
      'app#/$defs/guidePage/properties/input_fields/items',
      'app#/$defs/repeatParameters/properties/input_fields/items',
      'app#/$defs/optionParameters/properties/default',
      'app#/$defs/checkboxParameters/properties/default',
      'app#/$defs/checkboxParameters/properties/default/anyOf/0/items',
    ];

    it('every property (nested ones too) has a title, a description and examples, unless it names what the document defines', () => {
      const missing: string[] = [];
      const unwanted: string[] = [];
      for (const v of propertySchemas) {
        const r = resolve(v);
        const where = `${v.file}#${v.pointer}`;
        if (typeof r.schema.title !== 'string' || !r.schema.title) missing.push(`${where}: title`);
        if (typeof r.schema.description !== 'string' || r.schema.description.length < 15) missing.push(`${where}: description`);
        if (isRejection(r.schema)) continue;
        const hasExamples = Array.isArray(r.schema.examples) && r.schema.examples.length > 0;
        if (NAMES_OF_THE_DOCUMENT.includes(where)) {
          if (hasExamples) unwanted.push(`${where} (resolved to ${r.file}#${r.pointer}): examples`);
        } else if (!hasExamples) missing.push(`${where}: examples`);
      }
      assert.deepEqual(missing, []);
      assert.deepEqual(unwanted, []);
      assert.ok(propertySchemas.length > 60, `only ${propertySchemas.length} property schemas walked`);
    });

    it('boolean property schemas are only the common input parameters re-declared in each parameter set', () => {
      const common = COMMON_PARAMETERS.map((p) => p.name);
      for (const b of WALK.booleanProperties) {
        assert.equal(b.value, true, `${b.file}#${b.pointer}`);
        assert.equal(b.file, 'app');
        assert.match(b.pointer, /^\/\$defs\/\w+Parameters\/properties\/\w+$/);
        assert.ok(common.includes(b.name), b.pointer);
      }
      assert.equal(WALK.booleanProperties.length, 8 * common.length);
    });

    it('every examples value validates against the schema it is written on', () => {
      let count = 0;
      for (const v of WALK.visits) {
        if (v.inCondition || !Array.isArray(v.schema.examples)) continue;
        const validate = validatorOf(v.file, v.pointer);
        for (const example of v.schema.examples) {
          count++;
          assert.ok(validate(example), `${v.file}#${v.pointer} example ${JSON.stringify(example)}: ${JSON.stringify(validate.errors)}`);
        }
      }
      assert.ok(count > 70, `only ${count} examples`);
    });

    it('every default validates against the schema it is written on', () => {
      for (const v of WALK.visits) {
        if (v.inCondition || !('default' in v.schema)) continue;
        const validate = validatorOf(v.file, v.pointer);
        assert.ok(validate(v.schema.default), `${v.file}#${v.pointer} default ${JSON.stringify(v.schema.default)}`);
      }
    });

    it('every defaultSnippets body, with its placeholders at their defaults, validates', () => {
      let count = 0;
      for (const v of WALK.visits) {
        for (const snippet of v.schema.defaultSnippets ?? []) {
          count++;
          assert.ok(snippet.label, `${v.file}#${v.pointer}: snippet without label`);
          const body = expandSnippet(snippet.body);
          const validate = validatorOf(v.file, v.pointer);
          assert.ok(validate(body), `${v.file}#${v.pointer} snippet "${snippet.label}" ${JSON.stringify(body)}: ${JSON.stringify(validate.errors)}`);
        }
      }
      assert.ok(count >= 20, `only ${count} snippets`);
    });

    it('there is a new-input snippet for each input type, a new-page snippet, and a new-file snippet for each file', () => {
      const inputSnippets = (INPUT.defaultSnippets ?? []).map((s) => (expandSnippet(s.body) as { type: string }).type);
      assert.deepEqual(inputSnippets, [...INPUT_TYPES]);
      assert.equal(SCHEMAS.app.$defs!.guidePage.defaultSnippets?.length, 1);
      for (const f of ['app', 'manifest', 'load-action'] as const) assert.equal(SCHEMAS[f].defaultSnippets?.length, 1, f);
    });

    it('rejected (misplaced) properties say where they belong', () => {
      const rejections = WALK.visits.filter((v) => v.role === 'property' && isRejection(v.schema));
      const byFile = (f: SchemaFile) => rejections.filter((r) => r.file === f).map((r) => r.pointer.split('/').pop());
      assert.deepEqual(byFile('manifest'), ['url', 'switchover', 'response']);
      assert.deepEqual(byFile('load-action'), ['version', 'issuer', 'description', 'readme', 'image']);
      for (const r of rejections) {
        const belongs = r.file === 'manifest' ? /load action \(\*\.load\.json\)/ : /manifest \(manifest\.json\)|manifest\.json/;
        assert.match(r.schema.description!, belongs, r.pointer);
        assert.match(r.schema.errorMessage!, belongs, r.pointer);
      }
    });

    it('explains the if/then choice and the misplaced-property technique in $comment', () => {
      assert.match(SCHEMAS.app.$comment as string, /if\/then.*oneOf/s);
      assert.match(SCHEMAS.manifest.$comment as string, /not: \{\}/);
      assert.match(SCHEMAS['load-action'].$comment as string, /not: \{\}/);
    });
  });

  describe('app.schema.json agrees with runtime/app/app-json-types.ts', () => {
    it('the input types are exactly INPUT_TYPES, and each has exactly one parameter set', () => {
      assert.deepEqual((INPUT.properties!.type as Schema).enum, [...INPUT_TYPES]);
      for (const type of INPUT_TYPES) parameterSetOf(type);
      const covered = (INPUT.allOf ?? []).flatMap((b) => {
        const c = b.if!.properties!.type as Schema;
        return c.const !== undefined ? [c.const] : (c.enum ?? []);
      });
      assert.deepEqual([...covered].sort(), [...INPUT_TYPES].sort());
    });

    it('each type’s hover text gives its config shape from CONFIG_SHAPES', () => {
      const texts = (INPUT.properties!.type as Schema).markdownEnumDescriptions!;
      assert.equal(texts.length, INPUT_TYPES.length);
      INPUT_TYPES.forEach((type, i) => assert.ok(texts[i].includes(`\`${CONFIG_SHAPES[type]}\``), `${type}: ${texts[i]}`));
    });

    it('the common parameters are COMMON_PARAMETERS, with their defaults, descriptions and mandatory ones', () => {
      assert.deepEqual(Object.keys(INPUT.properties!), COMMON_PARAMETERS.map((p) => p.name));
      for (const p of COMMON_PARAMETERS) {
        const s = INPUT.properties![p.name] as Schema;
        assert.deepEqual(s.default, p.default, p.name);
        assert.ok(s.description!.startsWith(p.description), `${p.name}: "${s.description}" does not start with "${p.description}"`);
      }
      assert.deepEqual(INPUT.required, COMMON_PARAMETERS.filter((p) => p.mandatory).map((p) => p.name));
    });

    it('the top-level and guide page keys are APP_JSON_KEYS and GUIDE_PAGE_KEYS', () => {
      assert.deepEqual(Object.keys(SCHEMAS.app.properties!), [...APP_JSON_KEYS]);
      assert.deepEqual(Object.keys(SCHEMAS.app.$defs!.guidePage.properties!), [...GUIDE_PAGE_KEYS]);
    });

    /** Values a parameter of this kind must accept and reject (for `default`, per input type). */
    function kindSamples(type: InputType, p: ParameterInfo): { good: unknown[]; bad: unknown[] } {
      switch (p.kind) {
        case 'boolean':
          return { good: [true, false], bad: ['true', 0, null] };
        case 'string':
          return { good: ['x', ''], bad: [1, null] };
        case 'number':
          return { good: [1.5, -2], bad: ['1'] };
        case 'count':
          return { good: [0, 3], bad: [-1, 1.5, '1'] };
        case 'object':
          return { good: [{}, { type: 'temperature' }, { type: ['temperature', 'humidity'] }], bad: [[], 'x', null] };
        case 'value-map':
          return { good: [{}, { a: 'A', 1: 'One' }], bad: [{ a: 1 }, [], 'a'] };
        case 'input-names':
          return { good: [[], ['a_b', 'C1']], bad: ['a', [1], ['bad-name'], ['1a']] };
        case 'regexp':
          return { good: ['[a-zA-Z]*', '', '\\d{4}'], bad: ['[', '(', 1] };
        case 'any':
          return { good: [1, 'x', null, true, {}, []], bad: [] };
        case 'default':
          switch (type) {
            case 'text':
              return { good: ['x', ''], bad: [1, null, ['x']] };
            case 'number':
              // The parser only warns about a numeric string; the schema holds to "a number".
              return { good: [10, 2.5, -1], bad: ['10', null, true] };
            case 'option':
              return { good: ['low', 1], bad: [true, null, ['low'], {}] };
            case 'checkbox':
              return { good: [['mon', 'tue'], [], [1], 'mon', 1], bad: [[true], {}, null, true] };
            case 'toggle':
              return { good: [true, false], bad: ['false', 0, null] };
            default:
              throw new Error(`${type} has no default`);
          }
      }
    }

    for (const type of INPUT_TYPES) {
      it(`${type}: exactly its INPUT_PARAMETERS, in order, with the same defaults, descriptions, mandatory ones and value kinds`, () => {
        const set = parameterSetOf(type);
        const props = set.schema.properties!;
        const own = Object.keys(props).filter((k) => typeof props[k] === 'object');
        const redeclared = Object.keys(props).filter((k) => props[k] === true);
        assert.deepEqual(own, INPUT_PARAMETERS[type].map((p) => p.name));
        assert.deepEqual(redeclared, COMMON_PARAMETERS.map((p) => p.name));
        assert.equal(set.schema.additionalProperties, false);
        assert.deepEqual(set.schema.required ?? [], INPUT_PARAMETERS[type].filter((p) => p.mandatory).map((p) => p.name));
        for (const p of INPUT_PARAMETERS[type]) {
          const s = parameterSchema(type, p.name);
          assert.deepEqual(s.schema.default, p.default, `${type}.${p.name} default`);
          assert.ok(s.schema.description!.startsWith(p.description), `${type}.${p.name}: "${s.schema.description}" does not start with "${p.description}"`);
          if (p.defaultText) assert.match(s.schema.description!, new RegExp(p.defaultText, 'i'), `${type}.${p.name} default text`);
          const validate = validatorOf(s.file, s.pointer);
          const { good, bad } = kindSamples(type, p);
          for (const g of good) assert.ok(validate(g), `${type}.${p.name} (${p.kind}) should accept ${JSON.stringify(g)}`);
          for (const b of bad) assert.ok(!validate(b), `${type}.${p.name} (${p.kind}) should reject ${JSON.stringify(b)}`);
        }
      });
    }
  });

  describe('app.json validation', () => {
    it('seed 003’s example app.json: the only schema error is the number default "10" (a string)', () => {
      const seed = readJson('test/fixtures/seed003/app.json') as { input: Record<string, Record<string, unknown>> };
      const errors = rawErrors(validateApp, seed);
      assert.deepEqual(
        errors.map((e) => [e.instancePath, e.keyword, e.schemaPath]),
        [
          ['/input/timeout/default', 'type', '#/$defs/numberParameters/properties/default/type'],
          ['/input/timeout', 'if', '#/allOf/3/if'],
        ],
      );
      assert.deepEqual(errors[0].params, { type: 'number' });
      // Its other mistakes (the unknown "example_text" on a page, "trigger_value" on no page) are semantic.
      seed.input.timeout.default = 10;
      assert.deepEqual(errorsOf(validateApp, seed), []);
    });

    it('the example apps and the all-inputs fixture validate (the fixture after the same "10" fix)', () => {
      for (const name of ['door-light', 'mode-lights', 'motion-light']) assert.deepEqual(errorsOf(validateApp, readJson(`examples/${name}/app.json`)), [], name);
      const all = readJson('test/fixtures/apps/all-inputs/app.json') as { input: Record<string, Record<string, unknown>> };
      assert.deepEqual(errorsOf(validateApp, all), ['/input/minutes if', '/input/minutes/default type']);
      all.input.minutes.default = 10;
      assert.deepEqual(errorsOf(validateApp, all), []);
    });

    it('an empty app is valid; license is accepted for licence; an unknown top-level key is not', () => {
      assert.deepEqual(errorsOf(validateApp, { input: {}, guide: [] }), []);
      assert.deepEqual(errorsOf(validateApp, { license: 'MIT', input: {}, guide: [] }), []);
      assert.deepEqual(errorsOf(validateApp, { licence: 'MIT' }), []);
      assert.deepEqual(errorsOf(validateApp, { licence: 1 }), ['/licence type']);
      const e = rawErrors(validateApp, { licens: 'MIT' });
      assert.deepEqual(e.map((x) => [x.instancePath, x.keyword, x.params]), [['', 'additionalProperties', { additionalProperty: 'licens' }]]);
    });

    it('input names must be identifiers, in "input" and in input_fields', () => {
      assert.deepEqual(errorsOf(validateApp, { input: { _ok9: { type: 'number' } } }), []);
      const e = rawErrors(validateApp, { input: { 'bad-name': { type: 'number' } } });
      assert.deepEqual(e.map((x) => [x.instancePath, x.keyword, x.propertyName ?? (x.params as { propertyName?: string }).propertyName]), [
        ['/input', 'pattern', 'bad-name'],
        ['/input', 'propertyNames', 'bad-name'],
      ]);
      assert.deepEqual(errorsOf(validateApp, { guide: [{ input_fields: ['ok', '2nd'] }] }), ['/guide/0/input_fields/1 pattern']);
    });

    it('an input needs a known type; a missing or unknown type is the only error reported', () => {
      const missing = rawErrors(validateApp, { input: { x: { name: 'X' } } });
      assert.deepEqual(missing.map((e) => [e.instancePath, e.keyword, e.params]), [['/input/x', 'required', { missingProperty: 'type' }]]);
      assert.deepEqual(inputErrors({ type: 'txt', multiline: true }), ['/input/x/type enum']);
      assert.deepEqual(inputErrors('text'), ['/input/x type']);
    });

    it('common parameters have their types for every input type', () => {
      for (const type of INPUT_TYPES) {
        const base = type === 'repeat' ? { type, input_fields: [] } : { type };
        assert.deepEqual(inputErrors({ ...base, name: 'N', description: 'D', required: true }), [], type);
        assert.deepEqual(inputErrors({ ...base, required: 'yes' }), ['/input/x/required type'], type);
        assert.deepEqual(inputErrors({ ...base, name: 1 }), ['/input/x/name type'], type);
      }
    });

    /**
     * For each type: a correct sample with every parameter, samples with a parameter of the wrong
     * type (and the exact errors), and an unknown parameter (a parameter of another type).
     */
    const CASES: Record<InputType, { good: Record<string, unknown>; wrong: [Record<string, unknown>, string[]][]; unknown: string }> = {
      single_function_selector: {
        good: { filter: { type: 'temperature' }, value: true },
        wrong: [
          [{ value: 'true' }, ['/input/x/value type']],
          [{ filter: 'temperature' }, ['/input/x/filter type']],
        ],
        unknown: 'allow_add',
      },
      multi_function_selector: {
        good: { filter: { type: ['temperature', 'humidity'] }, value: false },
        wrong: [[{ value: 1 }, ['/input/x/value type']]],
        unknown: 'values',
      },
      single_device_selector: {
        good: { filter: {}, value: false },
        wrong: [[{ filter: [] }, ['/input/x/filter type']]],
        unknown: 'filters',
      },
      multi_device_selector: {
        good: { filter: { type: 'lamp' } },
        wrong: [[{ value: null }, ['/input/x/value type']]],
        unknown: 'default',
      },
      single_notification_output_selector: {
        good: { allow_add: false },
        wrong: [[{ allow_add: 'yes' }, ['/input/x/allow_add type']]],
        unknown: 'filter',
      },
      multi_notification_output_selector: {
        good: { allow_add: true },
        wrong: [[{ allow_add: 0 }, ['/input/x/allow_add type']]],
        unknown: 'value',
      },
      text: {
        good: { default: 'Example text', multiline: false, validator: '[a-zA-Z]*', on_error: 'Letters only' },
        wrong: [
          [{ multiline: 'false' }, ['/input/x/multiline type']],
          [{ default: 10 }, ['/input/x/default type']],
          [{ validator: '[a-z' }, ['/input/x/validator format']],
          [{ on_error: false }, ['/input/x/on_error type']],
        ],
        unknown: 'multiLine',
      },
      number: {
        good: { default: 10 },
        wrong: [[{ default: '10' }, ['/input/x/default type']]],
        unknown: 'min',
      },
      option: {
        good: { default: 'low', values: { low: 'Low', high: 'High' } },
        wrong: [
          [{ default: true }, ['/input/x/default anyOf', '/input/x/default type', '/input/x/default type']],
          [{ values: { low: 1 } }, ['/input/x/values/low type']],
        ],
        unknown: 'value',
      },
      checkbox: {
        good: { default: ['mon'], values: { mon: 'Monday', tue: 'Tuesday' } },
        wrong: [
          [{ values: ['mon'] }, ['/input/x/values type']],
          [{ default: [true] }, ['/input/x/default anyOf', '/input/x/default type', '/input/x/default type', '/input/x/default/0 anyOf', '/input/x/default/0 type', '/input/x/default/0 type']],
        ],
        unknown: 'multiline',
      },
      toggle: {
        good: { default: true, false_value: 'under', true_value: 'over' },
        wrong: [[{ default: 'false' }, ['/input/x/default type']]],
        unknown: 'falseValue',
      },
      repeat: {
        good: { min: 1, max: 4, input_fields: ['trigger_value'] },
        wrong: [
          [{ min: -1 }, ['/input/x/min minimum']],
          [{ max: 1.5 }, ['/input/x/max type']],
          [{ input_fields: 'trigger_value' }, ['/input/x/input_fields type']],
          [{ input_fields: ['bad name'] }, ['/input/x/input_fields/0 pattern']],
        ],
        unknown: 'maximum',
      },
    };

    for (const type of INPUT_TYPES) {
      const { good, wrong, unknown } = CASES[type];
      it(`${type}: accepts a correct sample, rejects a wrong parameter type and an unknown parameter at the right place`, () => {
        const sample = { type, name: 'X', description: 'Help', required: false, ...good };
        assert.deepEqual(inputErrors(sample), []);
        for (const [patch, expected] of wrong) {
          // Besides the parameter's own error(s), Ajv adds one 'if' summary at the input.
          assert.deepEqual(inputErrors({ ...sample, ...patch }), [...expected, '/input/x if'].sort(), JSON.stringify(patch));
        }
        const e = rawErrors(validateApp, { input: { x: { ...sample, [unknown]: true } } });
        assert.deepEqual(
          e.map((x) => [x.instancePath, x.keyword, x.params]),
          [
            ['/input/x', 'additionalProperties', { additionalProperty: unknown }],
            ['/input/x', 'if', { failingKeyword: 'then' }],
          ],
        );
      });
    }

    it('repeat requires input_fields, and may nest another repeat', () => {
      const e = rawErrors(validateApp, { input: { x: { type: 'repeat', min: 1 } } });
      assert.deepEqual(e.map((x) => [x.instancePath, x.keyword, x.params]), [
        ['/input/x', 'required', { missingProperty: 'input_fields' }],
        ['/input/x', 'if', { failingKeyword: 'then' }],
      ]);
      const nested = {
        input: {
          repeat_nestled: { type: 'repeat', input_fields: ['repeat_in_repeat'], max: 1 },
          repeat_in_repeat: { type: 'repeat', input_fields: ['single_function_selector_temperature', 'number_default'], min: 1 },
          single_function_selector_temperature: { type: 'single_function_selector', filter: { type: 'temperature' } },
          number_default: { type: 'number', default: 5 },
        },
        guide: [{ id: 'p', input_fields: ['repeat_nestled'] }],
      };
      assert.deepEqual(errorsOf(validateApp, nested), []);
    });

    it('guide pages: input_fields required, known keys only, strings only', () => {
      assert.deepEqual(errorsOf(validateApp, { guide: [{ id: 'a', title: 'T', description: '', input_fields: [] }] }), []);
      const e = rawErrors(validateApp, { guide: [{ id: 'a' }] });
      assert.deepEqual(e.map((x) => [x.instancePath, x.keyword, x.params]), [['/guide/0', 'required', { missingProperty: 'input_fields' }]]);
      const u = rawErrors(validateApp, { guide: [{ input_fields: [], titel: 'x' }] });
      assert.deepEqual(u.map((x) => [x.instancePath, x.keyword, x.params]), [['/guide/0', 'additionalProperties', { additionalProperty: 'titel' }]]);
      assert.deepEqual(errorsOf(validateApp, { guide: [{ input_fields: [], id: 1 }] }), ['/guide/0/id type']);
      assert.deepEqual(errorsOf(validateApp, { guide: {} }), ['/guide type']);
    });
  });

  describe('manifest validation', () => {
    const minimal = { image: 'top900_v12_2.bin', method: 'native' };

    it('accepts a minimal and a full manifest', () => {
      assert.deepEqual(errorsOf(validateManifest, minimal), []);
      assert.deepEqual(
        errorsOf(validateManifest, {
          ...minimal,
          version: '12.2',
          issuer: 'ACME',
          description: 'Firmware',
          readme: 'https://www.acme.com/readme.html',
          user: 'u',
          passwd: 'p',
          imgpwd: 'z',
          integrity: 'SHA256',
          protocol: 'lon',
          type: '^8000010203040506$',
          flags: { 'myProtocol.proxy': '123.213.132.231:321' },
          checksum: '708662ee8cc7b7129bdd75b731d61a784608a8067cfb7d26c1c15d4d8dc2863a',
        }),
        [],
      );
    });

    it('requires image and method', () => {
      const e = rawErrors(validateManifest, {});
      assert.deepEqual(e.map((x) => [x.instancePath, x.keyword, x.params]), [
        ['', 'required', { missingProperty: 'image' }],
        ['', 'required', { missingProperty: 'method' }],
      ]);
      assert.deepEqual(errorsOf(validateManifest, { ...minimal, image: '' }), ['/image minLength']);
    });

    for (const misplaced of [
      ['url', 'http://www.acme.com/downloads/sc/321.zip'],
      ['switchover', '2016-09-28 12:00:00.000 BST'],
      ['response', 'glp/0/{SID}/ev/=cms/response/load'],
    ] as const) {
      it(`rejects the load action property "${misplaced[0]}" and says where it belongs`, () => {
        const e = rawErrors(validateManifest, { ...minimal, [misplaced[0]]: misplaced[1] });
        assert.deepEqual(e.map((x) => [x.instancePath, x.keyword, x.schemaPath]), [[`/${misplaced[0]}`, 'not', `#/properties/${misplaced[0]}/not`]]);
        const s = at('manifest', `/properties/${misplaced[0]}`);
        assert.match(s.description!, /load action/);
      });
    }

    it('rejects an unknown property by name', () => {
      const e = rawErrors(validateManifest, { ...minimal, methd: 'native' });
      assert.deepEqual(e.map((x) => [x.instancePath, x.keyword, x.params]), [['', 'additionalProperties', { additionalProperty: 'methd' }]]);
    });

    it('method: the four standard values or an identifier with a period', () => {
      for (const m of ['native', 'hybrid', 'setup', 'system', 'iox.', 'iox.ble.', 'acme.loader']) assert.deepEqual(errorsOf(validateManifest, { ...minimal, method: m }), [], m);
      for (const m of ['Native', 'custom', '', '.', 'io x.ble']) {
        assert.deepEqual(errorsOf(validateManifest, { ...minimal, method: m }), ['/method anyOf', '/method enum', '/method pattern'], m);
      }
      assert.deepEqual(errorsOf(validateManifest, { ...minimal, method: 1 }), ['/method anyOf', '/method enum', '/method type', '/method type']);
    });

    it('integrity: null, MD5, SHA256, SHA512 and the toolkit’s md5, sha256, sha512, none; nothing else', () => {
      for (const i of [null, 'MD5', 'SHA256', 'SHA512', 'md5', 'sha256', 'sha512', 'none']) assert.deepEqual(errorsOf(validateManifest, { ...minimal, integrity: i }), [], String(i));
      // The toolkit's spellings are a pattern, not enum values, so editors offer only the seed's.
      for (const i of ['sha1', 'Sha256', 'NONE', 'null', '']) assert.deepEqual(errorsOf(validateManifest, { ...minimal, integrity: i }), ['/integrity anyOf', '/integrity enum', '/integrity pattern'], String(i));
      assert.deepEqual(errorsOf(validateManifest, { ...minimal, integrity: 256 }), ['/integrity anyOf', '/integrity enum', '/integrity type']);
    });

    it('checksum: hex digits, in the integrity algorithm’s length', () => {
      const sha256 = '708662ee8cc7b7129bdd75b731d61a784608a8067cfb7d26c1c15d4d8dc2863a';
      for (const c of [sha256, sha256.toUpperCase(), 'ab']) assert.deepEqual(errorsOf(validateManifest, { ...minimal, checksum: c }), [], c);
      for (const c of ['xyz', 'abc', '', '0x12', 'ab cd']) assert.deepEqual(errorsOf(validateManifest, { ...minimal, checksum: c }), ['/checksum pattern'], c);
      assert.deepEqual(errorsOf(validateManifest, { ...minimal, integrity: 'sha256', checksum: sha256 }), []);
      assert.deepEqual(errorsOf(validateManifest, { ...minimal, integrity: 'MD5', checksum: '9e107d9d372bb6826bd81d3542a419d6' }), []);
      const e = rawErrors(validateManifest, { ...minimal, integrity: 'MD5', checksum: sha256 });
      assert.deepEqual(e.map((x) => [x.instancePath, x.keyword, x.schemaPath]), [
        ['/checksum', 'pattern', 'load-common.schema.json#/$defs/checksumMatchesIntegrity/allOf/0/then/properties/checksum/pattern'],
        ['', 'if', 'load-common.schema.json#/$defs/checksumMatchesIntegrity/allOf/0/if'],
      ]);
      assert.deepEqual(errorsOf(validateManifest, { ...minimal, integrity: 'SHA512', checksum: sha256 }), ['/checksum pattern', ' if'].sort());
      assert.deepEqual(errorsOf(validateManifest, { ...minimal, integrity: null, checksum: 'ab' }), []);
    });

    it('flags: an object or null', () => {
      for (const f of [{}, { 'myProtocol.proxy': '1.2.3.4:321' }, null]) assert.deepEqual(errorsOf(validateManifest, { ...minimal, flags: f }), []);
      assert.deepEqual(errorsOf(validateManifest, { ...minimal, flags: 'proxy' }), ['/flags anyOf', '/flags type', '/flags type']);
    });
  });

  describe('load action validation', () => {
    const minimal = { url: 'http://www.acme.com/downloads/sc/321.zip', method: 'setup' };

    it('accepts a minimal and a full load action', () => {
      assert.deepEqual(errorsOf(validateLoad, minimal), []);
      assert.deepEqual(
        errorsOf(validateLoad, {
          ...minimal,
          user: 'u',
          passwd: 'p',
          imgpwd: 'z',
          integrity: 'sha512',
          protocol: 'cm',
          switchover: '2016-09-28 12:00:00.000 BST',
          type: '^80000102030405',
          flags: null,
          checksum: '07e547d9586f6a73f73fbac0435ed76951218fb7d0c8d788a309d785436bbb642e93a252a954f23912547d1e8a3b5ed6e1bfd7097821233fa0538f3db854fee6',
          response: 'glp/0/{SID}/ev/=cms/response/load',
        }),
        [],
      );
    });

    it('requires url and method', () => {
      const e = rawErrors(validateLoad, {});
      assert.deepEqual(e.map((x) => [x.instancePath, x.keyword, x.params]), [
        ['', 'required', { missingProperty: 'url' }],
        ['', 'required', { missingProperty: 'method' }],
      ]);
    });

    for (const misplaced of [
      ['version', '1.0'],
      ['issuer', 'ACME'],
      ['description', 'Firmware'],
      ['readme', 'https://www.acme.com/readme.html'],
      ['image', 'top900_v12_2.bin'],
    ] as const) {
      it(`rejects the manifest property "${misplaced[0]}" and says where it belongs`, () => {
        const e = rawErrors(validateLoad, { ...minimal, [misplaced[0]]: misplaced[1] });
        assert.deepEqual(e.map((x) => [x.instancePath, x.keyword, x.schemaPath]), [[`/${misplaced[0]}`, 'not', `#/properties/${misplaced[0]}/not`]]);
        assert.match(at('load-action', `/properties/${misplaced[0]}`).description!, /manifest/);
      });
    }

    it('url: http, https or iapmq, without spaces', () => {
      for (const u of ['http://www.acme.com/downloads/sc/321.zip', 'https://h/x.zip', 'https://h:8443/a?b=c', 'iapmq:glp/0/./img/1', 'iapmq://broker/image']) {
        assert.deepEqual(errorsOf(validateLoad, { ...minimal, url: u }), [], u);
      }
      for (const u of ['ftp://h/x.zip', 'file:///tmp/x.zip', 'www.acme.com/x.zip', 'http://', 'http:///x', 'https://h/a b.zip', 'HTTP://h/x', 'iapmq:', '']) {
        assert.deepEqual(errorsOf(validateLoad, { ...minimal, url: u }), ['/url pattern'], u);
      }
    });

    it('switchover: "YYYY-MM-DD HH:mm:ss.SSS <zone>"', () => {
      for (const s of ['2016-09-28 12:00:00.000 BST', '2019-02-08 15:12:38.600 UTC', '2024-12-31 23:59:59.999 CEST']) {
        assert.deepEqual(errorsOf(validateLoad, { ...minimal, switchover: s }), [], s);
      }
      for (const s of ['2016-09-28T12:00:00.000Z', '2016-09-28 12:00:00 UTC', '2016-09-28 12:00:00.000', '2016-13-28 12:00:00.000 UTC', '2016-09-28 24:00:00.000 UTC', '2016-09-28 12:00:00.000 utc', '28-09-2016 12:00:00.000 UTC']) {
        assert.deepEqual(errorsOf(validateLoad, { ...minimal, switchover: s }), ['/switchover pattern'], s);
      }
    });

    it('response: a topic to publish to (no wildcards)', () => {
      for (const r of ['glp/0/{SID}/ev/=cms/response/load', 'glp/0/./fb/=cms/import/response']) assert.deepEqual(errorsOf(validateLoad, { ...minimal, response: r }), [], r);
      for (const r of ['glp/0/+/ev/response', 'glp/0/#', '']) assert.deepEqual(errorsOf(validateLoad, { ...minimal, response: r }), ['/response pattern'], r);
    });

    it('method, integrity and checksum are checked as in the manifest', () => {
      assert.deepEqual(errorsOf(validateLoad, { ...minimal, method: 'install' }), ['/method anyOf', '/method enum', '/method pattern']);
      assert.deepEqual(errorsOf(validateLoad, { ...minimal, integrity: 'crc32' }), ['/integrity anyOf', '/integrity enum', '/integrity pattern']);
      assert.deepEqual(errorsOf(validateLoad, { ...minimal, integrity: 'md5', checksum: 'abcd' }), [' if', '/checksum pattern']);
    });
  });

  it('each document accepts a "$schema" string naming its schema (how a file with another name opts in)', () => {
    assert.deepEqual(errorsOf(validateApp, { $schema: ID('app') }), []);
    assert.deepEqual(errorsOf(validateManifest, { $schema: ID('manifest'), image: 'a.bin', method: 'native' }), []);
    assert.deepEqual(errorsOf(validateLoad, { $schema: ID('load-action'), url: 'https://h/a.zip', method: 'setup' }), []);
    assert.deepEqual(errorsOf(validateApp, { $schema: 1 }), ['/$schema type']);
  });

  describe('by file name (for editors that associate schemas by name)', () => {
    it('leaves the app.json and manifest.json of other tools alone, recognised by the keys the language server uses', () => {
      for (const [wrapper, kind] of [['app-by-name', 'app'], ['manifest-by-name', 'manifest']] as const) {
        const keys = ((SCHEMAS[wrapper].if!.not!.propertyNames as Schema).not as Schema).enum;
        assert.deepEqual(keys, FOREIGN_KEYS[kind], wrapper);
        assert.equal(SCHEMAS[wrapper].else!.$ref, `${kind}.schema.json`);
      }
      const byName = validatorOf('app-by-name');
      assert.deepEqual(errorsOf(byName, { expo: { name: 'x', slug: 'x' } }), []);
      assert.deepEqual(errorsOf(byName, { name: 'x', scripts: { postdeploy: 'x' }, env: {} }), []);
      assert.deepEqual(errorsOf(byName, { name: 'x', colour: 'red' }), [' additionalProperties', ' if']);
      assert.deepEqual(errorsOf(byName, []), [' if', ' type']);
      const manifest = validatorOf('manifest-by-name');
      assert.deepEqual(errorsOf(manifest, { name: 'App', short_name: 'A', start_url: '/', icons: [] }), []);
      assert.deepEqual(errorsOf(manifest, { image: 'a.bin' }), [' if', ' required']);
      assert.deepEqual(errorsOf(manifest, { image: 'a.bin', method: 'native' }), []);
    });
  });

  describe('in VS Code’s JSON language service', () => {
    let service: LanguageService;
    before(() => {
      // Associated by file name, as another editor would (the extension gives our files their own language instead).
      service = vscodeJsonService();
    });

    async function diagnostics(file: string, text: string): Promise<{ line: number; character: number; message: string }[]> {
      const doc = TextDocument.create(`file:///work/demo/${file}`, 'json', 1, text);
      const result = await service.doValidation(doc, service.parseJSONDocument(doc));
      return result.map((d) => ({ line: d.range.start.line, character: d.range.start.character, message: d.message }));
    }

    it('reports seed 003’s "10" as the only problem, at the string, saying what to write', async () => {
      const text = readFileSync(path.join(ROOT, 'test/fixtures/seed003/app.json'), 'utf8');
      const at10 = positionAfter(text, '"default": ');
      assert.deepEqual(await diagnostics('app.json', text), [{ ...at10, message: 'The default of a number input is a JSON number: write it without quotes (10, not "10").' }]);
    });

    it('leaves an Expo or Heroku app.json and a web app manifest alone', async () => {
      assert.deepEqual(await diagnostics('app.json', JSON.stringify({ expo: { name: 'My app', slug: 'my-app', version: '1.0.0' } })), []);
      assert.deepEqual(await diagnostics('app.json', JSON.stringify({ name: 'Small Sharp Tool', scripts: { postdeploy: 'bundle exec rake bootstrap' }, env: { SECRET_TOKEN: { generator: 'secret' } } })), []);
      assert.deepEqual(await diagnostics('manifest.json', JSON.stringify({ name: 'App', short_name: 'A', start_url: '/', display: 'standalone', icons: [] })), []);
      assert.deepEqual(await diagnostics('manifest.json', JSON.stringify({ manifest_version: 3, name: 'Ext', version: '1.0' })), []);
      // …and still checks ours, in any folder.
      const found = await diagnostics('apps/door/app.json', JSON.stringify({ name: 'Door', input: { t: { type: 'txt' } } }));
      assert.equal(found.length, 1, JSON.stringify(found));
    });

    it('does not offer a property that belongs to the other file (they are declared only to be flagged)', async () => {
      for (const [file, misplaced] of [['manifest.json', ['url', 'switchover', 'response']], ['x.load.json', ['version', 'issuer', 'description', 'readme', 'image']]] as const) {
        const text = '{  }';
        const doc = TextDocument.create(`file:///work/demo/${file}`, 'json', 1, text);
        const labels = ((await service.doComplete(doc, { line: 0, character: 2 }, service.parseJSONDocument(doc)))?.items ?? []).map((i) => i.label);
        assert.ok(labels.includes('method'), `${file}: ${labels}`);
        for (const m of misplaced) assert.ok(!labels.includes(m), `${file} offers ${m}`);
      }
    });

    it('resolves the relative $ref into load-common and shows the misplaced-property message', async () => {
      assert.deepEqual(await diagnostics('manifest.json', '{ "image": "a.bin", "method": "native" }'), []);
      const found = await diagnostics('manifest.json', '{ "image": "a.bin", "method": "native", "url": "http://h/x" }');
      assert.deepEqual(found.map((d) => d.message), [(SCHEMAS.manifest.properties!.url as Schema).errorMessage]);
      const load = await diagnostics('door.load.json', '{ "url": "ftp://h/x", "method": "setup", "image": "a.bin" }');
      assert.deepEqual(load.map((d) => d.message).sort(), [
        '"image" belongs to the manifest (manifest.json), not the load action; a load action names its image with "url".',
        'url must be an http://, https:// or iapmq: URL without spaces.',
      ]);
    });

    it('flags an unknown parameter of a typed input, and not a valid one', async () => {
      const ok = '{ "input": { "t": { "type": "text", "multiline": true } } }';
      assert.deepEqual(await diagnostics('app.json', ok), []);
      const typo = await diagnostics('app.json', '{ "input": { "t": { "type": "text", "multiLine": true } } }');
      assert.deepEqual(typo.map((d) => d.message), ['Property multiLine is not allowed.']);
    });

    it('completes only the parameters of the input’s type, and offers a snippet per input type', async () => {
      const text = '{ "input": { "t": { "type": "text",  } } }';
      const doc = TextDocument.create('file:///work/demo/app.json', 'json', 1, text);
      const list = await service.doComplete(doc, positionAfter(text, '"text", '), service.parseJSONDocument(doc));
      const labels = (list?.items ?? []).map((i) => i.label);
      for (const l of ['multiline', 'validator', 'on_error', 'default', 'required']) assert.ok(labels.includes(l), `missing ${l} in ${labels}`);
      for (const l of ['filter', 'allow_add', 'input_fields']) assert.ok(!labels.includes(l), `${l} offered for a text input`);

      const empty = '{ "input": { "t":  } }';
      const doc2 = TextDocument.create('file:///work/demo/app.json', 'json', 1, empty);
      const list2 = await service.doComplete(doc2, positionAfter(empty, '"t": '), service.parseJSONDocument(doc2));
      const snippetLabels = (list2?.items ?? []).map((i) => i.label);
      for (const type of INPUT_TYPES) assert.ok(snippetLabels.includes(type), `no snippet ${type} in ${snippetLabels}`);
    });

    it('shows the markdown description on hover', async () => {
      const text = readFileSync(path.join(ROOT, 'test/fixtures/seed003/app.json'), 'utf8');
      const doc = TextDocument.create('file:///work/demo/app.json', 'json', 1, text);
      const pos = positionAfter(text, '"validator');
      const hover = await service.doHover(doc, { line: pos.line, character: pos.character - 2 }, service.parseJSONDocument(doc));
      const shown = JSON.stringify(hover?.contents);
      assert.match(shown, /must match the \*\*whole\*\* text/);
    });
  });
});
