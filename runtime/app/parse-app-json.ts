/**
 * app.json text → AppJson plus every problem at its exact line and column. This file checks
 * structure (JSON types of each key, per the parameter table); app-json-checks.ts checks meaning
 * (references between inputs and pages, defaults against validators and values).
 */
import { type Fix, literalFix, SourceProblem } from '../errors';
import { checkAppJsonSemantics, AppJsonLocations, InputLocation, PageLocation, paramNode } from './app-json-checks';
import {
  AppJson,
  APP_JSON_KEYS,
  GuidePage,
  GUIDE_PAGE_KEYS,
  INPUT_TYPES,
  InputSpec,
  InputType,
  ParameterInfo,
  parametersOf,
} from './app-json-types';
import { compileValidator, isNumericString } from './input-rules';
import { describeValue, JsonDocument, JsonNode, nodeValue, parseJsonDocument, problemAt, properties, sortByPosition } from './json-tree';
import { didYouMeanName, suggestName } from '../suggest';

export interface AppJsonParse {
  /**
   * Absent when the text is not valid JSON or not an object. Otherwise a best-effort model even
   * when problems has errors: a value that failed its check is left out (an input with an
   * unknown type entirely), so the declared types hold for whatever is present.
   */
  appJson?: AppJson;
  problems: SourceProblem[];
  /** The parsed tree (the editor's features read positions from it). */
  doc: JsonDocument;
  /** Where each input and page is written; absent when the root is not an object. */
  locations?: AppJsonLocations;
}

export interface ParseAppJsonOptions {
  /**
   * Check the tree jsonc-parser recovers from broken syntax too (the editor, which must keep
   * checking while the user types). Off, only the syntax errors are reported, since a recovered
   * tree can yield follow-on problems.
   */
  tolerant?: boolean;
}

type Report = (at: JsonNode, severity: 'error' | 'warning', code: string, message: string, fix?: Fix) => void;

export function parseAppJson(text: string, file: string, options: ParseAppJsonOptions = {}): AppJsonParse {
  // IoT Open reads app.json with a strict JSON parser, so comments are errors here.
  const doc = parseJsonDocument(text, file, { allowComments: false });
  const problems = [...doc.problems];
  // A tree recovered from broken syntax yields spurious follow-on problems; syntax first.
  if (!options.tolerant && problems.some((p) => p.code === 'json-syntax')) return { problems, doc };
  const root = doc.root;
  if (!root || root.type !== 'object') {
    const at = root ?? 0;
    problems.push(problemAt(doc, at, 'error', 'app-json-root', `app.json must be a JSON object; got ${root ? describeValue(nodeValue(root)) : 'nothing'}`, 'write { "input": { … }, "guide": [ … ] }'));
    return { problems, doc };
  }
  const report: Report = (at, severity, code, message, fix) => problems.push(problemAt(doc, at, severity, code, message, fix));

  const appJson: AppJson = { input: {}, guide: [] };
  const locations: AppJsonLocations = { inputs: new Map(), pages: [] };
  let sawLicence = false;
  for (const { key, keyNode, valueNode } of properties(root)) {
    // "input" and "guide" are read node by node below: building their whole value is what costs on large files.
    const value = key === 'input' || key === 'guide' ? undefined : nodeValue(valueNode);
    switch (key) {
      case 'name':
      case 'version':
      case 'description':
      case 'author':
      case 'licence':
      case 'license':
        if (typeof value !== 'string') {
          report(valueNode, 'error', 'app-json-type', `"${key}" must be a string; got ${describeValue(value)}`, stringFix(key, value));
          break;
        }
        if (key === 'licence' || key === 'license') {
          if (sawLicence) report(keyNode, 'warning', 'app-json-duplicate-licence', 'both "licence" and "license" are given; the later one counts', 'keep only one');
          sawLicence = true;
          appJson.licence = value;
        } else appJson[key] = value;
        break;
      case '$schema':
        // Names our schema so editors (and this checker) know the file; nothing else reads it.
        if (typeof value !== 'string') report(valueNode, 'error', 'app-json-type', `"$schema" must be a string; got ${describeValue(value)}`, literalFix('write "$schema": "https://smartplug.dev/schemas/app.schema.json"', '"https://smartplug.dev/schemas/app.schema.json"'));
        break;
      case 'input':
        locations.inputNode = valueNode;
        readInputs(valueNode, appJson, locations, report);
        break;
      case 'guide':
        locations.guideNode = valueNode;
        readGuide(valueNode, appJson, locations, report);
        break;
      default:
        report(keyNode, 'warning', 'app-json-unknown-key', `unknown key "${key}" in app.json;${didYouMeanName(key, APP_JSON_KEYS) || ` known keys are ${APP_JSON_KEYS.join(', ')}`}`, fixForUnknown(key, APP_JSON_KEYS));
    }
  }
  problems.push(...checkAppJsonSemantics(doc, appJson, locations));
  return { appJson, problems: sortByPosition(problems), doc, locations };
}

function fixForUnknown(key: string, known: readonly string[]): Fix {
  const s = suggestName(key, known);
  return s ? literalFix(`rename it to "${s}"`, JSON.stringify(s)) : 'remove it';
}

/** For a value that must be a string: a number is written in quotes; anything else is rewritten. */
function stringFix(key: string, value: unknown): Fix {
  return typeof value === 'number' ? literalFix(`write "${key}": "${value}"`, JSON.stringify(String(value))) : `write "${key}": "…"`;
}

/** For a value that must be true or false: "true" loses its quotes. */
function booleanFix(value: unknown, otherwise: string): Fix {
  return value === 'true' || value === 'false' ? literalFix(`use ${value} (a boolean, no quotes)`, value) : otherwise;
}

function readInputs(node: JsonNode, appJson: AppJson, locations: AppJsonLocations, report: Report): void {
  if (node.type !== 'object') {
    report(node, 'error', 'app-json-type', `"input" must be an object of inputs by name; got ${describeValue(nodeValue(node))}`, 'write "input": { "<name>": { "type": "…" } }');
    return;
  }
  // The properties as properties() lists them, read in place: a large file has thousands of inputs.
  for (const prop of node.children ?? []) {
    const keyNode = prop.children?.[0];
    const valueNode = prop.children?.[1];
    if (!keyNode || !valueNode || typeof keyNode.value !== 'string') continue;
    const name = keyNode.value;
    const location: InputLocation = { keyNode, node: valueNode };
    locations.inputs.set(name, location);
    const input = readInput(name, valueNode, location, report);
    if (input) appJson.input[name] = input;
    else delete appJson.input[name];
  }
}

/**
 * Each input type's parameters, listed and by name: the table is read for every parameter
 * written. Keyed by any string, so looking a type up is also the check that it is one.
 */
const PARAMETERS = new Map<string, { type: InputType; list: readonly ParameterInfo[]; byName: ReadonlyMap<string, ParameterInfo> }>(
  INPUT_TYPES.map((type) => {
    const list = parametersOf(type);
    return [type, { type, list, byName: new Map(list.map((p) => [p.name, p])) }];
  }),
);

function readInput(name: string, node: JsonNode, location: InputLocation, report: Report): InputSpec | undefined {
  if (node.type !== 'object') {
    report(node, 'error', 'input-not-object', `input "${name}" must be an object; got ${describeValue(nodeValue(node))}`, `write "${name}": { "type": "text" } (or another input type)`);
    return undefined;
  }
  const typeNode = paramNode(location, 'type');
  if (!typeNode) {
    report(location.keyNode, 'error', 'input-type-missing', `input "${name}" has no "type"`, `add "type": one of ${INPUT_TYPES.join(', ')}`);
    return undefined;
  }
  const written = nodeValue(typeNode);
  const known = typeof written === 'string' ? PARAMETERS.get(written) : undefined;
  if (!known) {
    const s = typeof written === 'string' ? suggestName(written, INPUT_TYPES) : undefined;
    const what = typeof written === 'string' ? `unknown input type "${written}"` : `"type" must be a string; got ${describeValue(written)}`;
    report(typeNode, 'error', 'input-type-unknown', `input "${name}": ${what};${s ? ` did you mean "${s}"?` : ` known types are ${INPUT_TYPES.join(', ')}`}`, s ? `write "type": "${s}"` : `use one of ${INPUT_TYPES.join(', ')}`);
    return undefined;
  }
  const type = known.type;
  // Built as a plain record and asserted at the end: each kept value has passed its table check.
  const spec: Record<string, unknown> = { type };
  for (const prop of node.children ?? []) {
    const keyNode = prop.children?.[0];
    const valueNode = prop.children?.[1];
    if (!keyNode || !valueNode || typeof keyNode.value !== 'string') continue;
    const key = keyNode.value;
    if (key === 'type') continue;
    const param = known.byName.get(key);
    if (!param) {
      const names = known.list.map((p) => p.name);
      report(keyNode, 'warning', 'input-unknown-parameter', `input "${name}" (${type}) has no parameter "${key}";${didYouMeanName(key, names) || ` its parameters are ${names.filter((n) => n !== 'type').join(', ')}`}`, fixForUnknown(key, names));
      continue;
    }
    const value = readParameter(name, type, param, valueNode, report);
    // Stored under the table's name (the same text): a constant, so no lookup of the key read from the text.
    if (value !== undefined) spec[param.name] = value;
  }
  for (const p of known.list) {
    if (!p.mandatory || p.name === 'type') continue;
    if (!paramNode(location, p.name)) {
      report(location.keyNode, 'error', 'input-parameter-missing', `${type} input "${name}" has no "${p.name}"`, `add "${p.name}": [ "<input-name>", … ]`);
    }
    // Missing or unusable: an empty list keeps the model's type (RepeatInput.input_fields).
    if (spec[p.name] === undefined && p.kind === 'input-names') spec[p.name] = [];
  }
  return spec as unknown as InputSpec;
}

/**
 * The parameter's value when it has the right JSON type for its kind, else undefined (reported).
 * Messages (and the strings they are built from) are made only when there is a problem: this runs
 * for every parameter of every input.
 */
function readParameter(input: string, type: InputType, param: ParameterInfo, node: JsonNode, report: Report): unknown {
  // These read the node themselves (an object or array value is built only where it is kept).
  if (param.kind === 'value-map') return readValueMap(paramWhere(input, param.name), param, node, report);
  if (param.kind === 'input-names') return readInputNames(paramWhere(input, param.name), node, report);
  if (param.kind === 'default') return readDefault(input, type, node, report);
  const value = nodeValue(node);
  switch (param.kind) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      return wrongParameter(input, param, node, value, report, 'true or false', booleanFix(value, `write "${param.name}": ${param.default ?? true}`));
    case 'string':
      return typeof value === 'string' ? value : wrongParameter(input, param, node, value, report, 'a string', stringFix(param.name, value));
    case 'number':
      return typeof value === 'number' ? value : wrongParameter(input, param, node, value, report, 'a number', numberFix(value));
    case 'count':
      if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
      return wrongParameter(input, param, node, value, report, 'a whole number of at least 0', numberFix(value));
    case 'object':
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value;
      return wrongParameter(input, param, node, value, report, 'an object', `write "${param.name}": { "type": "…" }`);
    case 'regexp': {
      if (typeof value !== 'string') return wrongParameter(input, param, node, value, report, 'a string holding a regexp', `write "${param.name}": "[a-zA-Z]*"`);
      const { error } = compileValidator(value);
      if (error) {
        report(node, 'error', 'input-validator-invalid', `${paramWhere(input, param.name)} is not a valid regexp: ${error}`, 'fix the regexp (it is a JavaScript regexp written as a JSON string, so a backslash is written \\\\)');
        return undefined;
      }
      return value;
    }
    case 'any':
      return value;
  }
}

/** How messages name a parameter: `input "x": "default"`. */
function paramWhere(input: string, param: string): string {
  return `input "${input}": "${param}"`;
}

function wrongParameter(input: string, param: ParameterInfo, node: JsonNode, value: unknown, report: Report, expected: string, fix: Fix): undefined {
  report(node, 'error', 'input-parameter-type', `${paramWhere(input, param.name)} must be ${expected}; got ${describeValue(value)}`, fix);
  return undefined;
}

function numberFix(value: unknown): Fix {
  return typeof value === 'string' && isNumericString(value) ? literalFix(`use ${value} (a number)`, String(Number(value))) : 'write a number without quotes';
}

function readValueMap(where: string, param: ParameterInfo, node: JsonNode, report: Report): Record<string, string> | undefined {
  if (node.type !== 'object') {
    report(node, 'error', 'input-parameter-type', `${where} must be an object of value → display name; got ${describeValue(nodeValue(node))}`, `write "${param.name}": { "<value>": "<name>" }`);
    return undefined;
  }
  const out: Record<string, string> = {};
  for (const { key, valueNode } of properties(node)) {
    const name = nodeValue(valueNode);
    if (typeof name === 'string') out[key] = name;
    else report(valueNode, 'error', 'input-parameter-type', `${where}: the display name of "${key}" must be a string; got ${describeValue(name)}`, `write "${key}": "${typeof name === 'number' || typeof name === 'boolean' ? name : key}"`);
  }
  return out;
}

function readInputNames(where: string, node: JsonNode, report: Report): string[] | undefined {
  if (node.type !== 'array') {
    const v = nodeValue(node);
    report(node, 'error', 'input-parameter-type', `${where} must be an array of input names; got ${describeValue(v)}`, typeof v === 'string' ? `write [${JSON.stringify(v)}]` : 'write [ "<input-name>", … ]');
    return undefined;
  }
  const out: string[] = [];
  for (const el of node.children ?? []) {
    const v = nodeValue(el);
    if (typeof v === 'string') out.push(v);
    else report(el, 'error', 'input-parameter-type', `${where} must hold input names (strings); got ${describeValue(v)}`, 'write the name of an input in double quotes');
  }
  return out;
}

/** Config keys of option and checkbox inputs: strings, or finite numbers (named by their string form). */
function isKey(v: unknown): boolean {
  return typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
}

function readDefault(input: string, type: InputType, node: JsonNode, report: Report): unknown {
  const value = nodeValue(node);
  switch (type) {
    case 'text':
      return typeof value === 'string' ? value : wrongDefault(input, type, node, value, report, 'a string', stringFix('default', value));
    case 'number':
      if (typeof value === 'number') return value;
      if (typeof value === 'string' && isNumericString(value)) {
        // Seed 003's own example does this; IoT Open's UI copes, so it is kept and coerced.
        report(node, 'warning', 'input-default-type', `${paramWhere(input, 'default')} of a number input is ${describeValue(value)}, not a number`, numberFix(value));
        return value;
      }
      return wrongDefault(input, type, node, value, report, 'a number', numberFix(value));
    case 'option':
      return isKey(value) ? value : wrongDefault(input, type, node, value, report, 'one of the keys of "values"', 'write "default": "<value>"');
    case 'checkbox':
      if (isKey(value)) return value;
      if (Array.isArray(value)) {
        const bad = value.findIndex((v) => !isKey(v));
        if (bad < 0) return value;
        const el = node.children?.[bad] ?? node;
        report(el, 'error', 'input-default-type', `${paramWhere(input, 'default')}: every default value must be a key of "values"; got ${describeValue(value[bad])}`, 'write the key as a string');
        return undefined;
      }
      return wrongDefault(input, type, node, value, report, 'an array of keys of "values"', 'write "default": [ "<value>", … ]');
    case 'toggle':
      if (typeof value === 'boolean') return value;
      return wrongDefault(input, type, node, value, report, 'true or false (the position of the toggle)', booleanFix(value, 'write "default": false'));
    default:
      return wrongDefault(input, type, node, value, report, 'absent', 'remove it');
  }
}

function wrongDefault(input: string, type: InputType, node: JsonNode, value: unknown, report: Report, expected: string, fix: Fix): undefined {
  report(node, 'error', 'input-default-type', `${paramWhere(input, 'default')} of a ${type} input must be ${expected}; got ${describeValue(value)}`, fix);
  return undefined;
}

function readGuide(node: JsonNode, appJson: AppJson, locations: AppJsonLocations, report: Report): void {
  if (node.type !== 'array') {
    report(node, 'error', 'app-json-type', `"guide" must be an array of pages; got ${describeValue(nodeValue(node))}`, 'write "guide": [ { "title": "…", "input_fields": [ … ] } ]');
    return;
  }
  (node.children ?? []).forEach((pageNode, index) => {
    if (pageNode.type !== 'object') {
      report(pageNode, 'error', 'guide-page-not-object', `guide page ${index + 1} must be an object; got ${describeValue(nodeValue(pageNode))}`, 'write { "title": "…", "input_fields": [ … ] }');
      return;
    }
    const page: GuidePage = { input_fields: [] };
    const loc: PageLocation = { node: pageNode, label: `guide page ${index + 1}`, fieldNodes: [] };
    let hasFields = false;
    for (const { key, keyNode, valueNode } of properties(pageNode)) {
      if (key === 'id' || key === 'title' || key === 'description') {
        const value = nodeValue(valueNode);
        if (key === 'id') loc.idNode = valueNode;
        if (typeof value === 'string') page[key] = value;
        else report(valueNode, 'error', 'guide-page-type', `guide page ${index + 1}: "${key}" must be a string; got ${describeValue(value)}`, `write "${key}": "${typeof value === 'number' ? value : '…'}"`);
      } else if (key === 'input_fields') {
        hasFields = true;
        const names = readInputNames(`guide page ${index + 1}: "input_fields"`, valueNode, report);
        if (names) {
          page.input_fields = names;
          loc.fieldNodes = (valueNode.children ?? []).filter((c) => typeof c.value === 'string');
        }
      } else {
        report(keyNode, 'warning', 'guide-page-unknown-key', `guide page ${index + 1} has no key "${key}";${didYouMeanName(key, GUIDE_PAGE_KEYS) || ` its keys are ${GUIDE_PAGE_KEYS.join(', ')}`}`, fixForUnknown(key, GUIDE_PAGE_KEYS));
      }
    }
    if (page.id !== undefined) loc.label = `guide page "${page.id}"`;
    else if (page.title !== undefined) loc.label = `guide page "${page.title}"`;
    if (!hasFields) report(pageNode, 'warning', 'guide-page-empty', `${loc.label} has no "input_fields", so it shows nothing`, 'add "input_fields": [ "<input-name>", … ]');
    appJson.guide.push(page);
    locations.pages.push(loc);
  });
}
