/** Completion in app.json: keys by position, input types and parameters, input names, filters, snippets. */
import { getNodeValue, type JSONPath, type Node } from 'jsonc-parser';
import { type CompletionItem, CompletionItemKind } from 'vscode-languageserver';
import { allCapabilities } from '../../runtime/devices/capabilities';
import { FILTER_KEYS } from '../../runtime/devices/filter';
import {
  APP_JSON_KEYS,
  COMMON_PARAMETERS,
  GUIDE_PAGE_KEYS,
  INPUT_PARAMETERS,
  INPUT_TYPES,
  isInputType,
  type InputType,
  type ParameterInfo,
  parametersOf,
} from '../../runtime/app/app-json-types';
import {
  filterKindOf,
  functionTypes,
  inputTypeMarkdown,
  knownDevices,
  stringValue,
  type SelectorKind,
} from './app-vocabulary';
import { objectEntries } from '../../runtime/app/json-tree';
import { docsOf, type SchemaDocs } from './schema-docs';
import { schemasAt } from './schema-walk';

import {
  escapeSnippet,
  markdown,
  propertyItem,
  schemaKeyItem,
  snippetItem,
  TRIGGER_SUGGEST,
  valueItem,
  withoutUndefined,
} from './completion-items';
import { nodeAt, type Place } from './completion-place';

// ---------------------------------------------------------------------------------------------
// app.json

/** What the schema says (property names, input types, booleans) and what the document itself names. */
export function completeApp(place: Place): CompletionItem[] {
  const { path, isKey } = place;
  const input = objectEntries(nodeAt(place.root, ['input']));
  if (isKey) {
    const objectPath = path.slice(0, -1);
    const present = new Set(objectEntries(nodeAt(place.root, objectPath)).keys());
    if (objectPath.length === 0) return topLevelKeys(place, present);
    if (objectPath.length === 1 && objectPath[0] === 'input') return place.colonAfter ? [] : newInputSnippets(place);
    if (objectPath.length === 2 && objectPath[0] === 'input' && typeof objectPath[1] === 'string') {
      return parameterKeys(place, input.get(objectPath[1]), present);
    }
    if (objectPath.length === 3 && objectPath[0] === 'input' && objectPath[2] === 'filter' && typeof objectPath[1] === 'string') {
      const kind = filterKindOf(stringValue(objectEntries(input.get(objectPath[1])).get('type')));
      return kind ? filterKeys(place, kind, present) : [];
    }
    if (objectPath.length === 2 && objectPath[0] === 'guide' && typeof objectPath[1] === 'number') return pageKeys(place, present);
    return [];
  }
  if (path.length === 2 && path[0] === 'guide' && typeof path[1] === 'number') {
    // An element of "guide" not yet begun (inside a page's braces the position is a key).
    return newPageSnippet(place, path[1]);
  }
  if (path[0] === 'guide' && path.length === 4 && path[2] === 'input_fields' && typeof path[3] === 'number') {
    return inputNameValues(place, undefined, nodeAt(place.root, path.slice(0, 3)));
  }
  if (path[0] !== 'input' || typeof path[1] !== 'string') return [];
  const name = path[1];
  const params = objectEntries(input.get(name));
  const type = stringValue(params.get('type'));
  const param = path[2];
  if (path.length === 3 && param === 'type') return typeValues(place);
  if (!isInputType(type)) return [];
  if (path.length === 4 && param === 'input_fields' && type === 'repeat' && typeof path[3] === 'number') {
    return inputNameValues(place, name, params.get('input_fields'));
  }
  if (param === 'filter' && path[3] === 'type' && (path.length === 4 || (path.length === 5 && typeof path[4] === 'number'))) {
    const kind = filterKindOf(type);
    return kind ? filterTypeValues(place, kind) : [];
  }
  if (param === 'filter' && path[3] === 'capability' && filterKindOf(type) === 'device' && (path.length === 4 || (path.length === 5 && typeof path[4] === 'number'))) {
    return allCapabilities().map((c, i) =>
      withoutUndefined(valueItem(place, c.id, { kind: CompletionItemKind.EnumMember, detail: 'capability', documentation: markdown(`${c.title}: ${c.attributes.map((a) => `\`${a.name}\``).join(', ') || 'no attributes'}`), sortText: String(i).padStart(2, '0') })),
    );
  }
  if (param === 'default' && (type === 'option' || type === 'checkbox')) {
    if (path.length === 3 || (type === 'checkbox' && path.length === 4 && typeof path[3] === 'number')) {
      const chosen = path.length === 4 ? params.get('default') : undefined;
      return defaultValues(place, params.get('values'), chosen);
    }
    return [];
  }
  if (path.length === 3 && typeof param === 'string') {
    const info = parametersOf(type).find((p) => p.name === param);
    if (info && (info.kind === 'boolean' || (param === 'default' && type === 'toggle'))) return booleanValues(place, info);
  }
  return [];
}

function appSchemaDocs(path: JSONPath, instance: unknown): SchemaDocs {
  return docsOf(schemasAt('app', path, instance));
}

function docsMarkdown(docs: SchemaDocs): string | undefined {
  const parts: string[] = [];
  if (docs.description) parts.push(docs.description);
  if (docs.hasDefault) parts.push(`Default: \`${JSON.stringify(docs.default)}\``);
  return parts.length > 0 ? parts.join('\n\n') : undefined;
}

function topLevelKeys(place: Place, present: Set<string>): CompletionItem[] {
  const hasLicence = present.has('licence') || present.has('license');
  const instance = place.root ? (getNodeValue(place.root) as unknown) : undefined;
  return APP_JSON_KEYS.filter((k) => !present.has(k) && !((k === 'licence' || k === 'license') && hasLicence)).map((key, i) => {
    const docs = appSchemaDocs([key], instance);
    if (key === '$schema') return schemaKeyItem(place, docs);
    const value = key === 'input' ? '{$0}' : key === 'guide' ? '[$0]' : '"$1"';
    const doc = docsMarkdown(docs);
    return withoutUndefined(propertyItem(place, key, value, { detail: docs.title, documentation: doc ? markdown(doc) : undefined, sortText: String(i).padStart(2, '0') }));
  });
}

/** The snippet text of a parameter's value: its default when it has one, else a placeholder of its kind. */
function parameterValueSnippet(type: InputType | undefined, p: ParameterInfo): string {
  if (p.default !== undefined) {
    if (p.default !== null && typeof p.default === 'object') return Array.isArray(p.default) ? '[$1]' : '{$1}';
    return `\${1:${escapeSnippet(JSON.stringify(p.default))}}`;
  }
  switch (p.kind) {
    case 'boolean':
      return '${1:false}';
    case 'number':
    case 'count':
      return '${1:0}';
    case 'object':
    case 'value-map':
      return '{$1}';
    case 'input-names':
      return '[$1]';
    case 'any':
      return '$1';
    case 'default':
      if (type === 'number') return '${1:0}';
      if (type === 'checkbox') return '[$1]';
      if (type === 'toggle') return '${1:false}';
      return '"$1"';
    default:
      return '"$1"';
  }
}

function parameterMarkdown(p: ParameterInfo): string {
  const def = p.default !== undefined ? `Default: \`${JSON.stringify(p.default)}\`` : p.defaultText ? `Default: ${p.defaultText}` : undefined;
  return [p.description, def, p.mandatory ? 'Required.' : undefined].filter((s) => s !== undefined).join('\n\n');
}

function parameterKeys(place: Place, inputNode: Node | undefined, present: Set<string>): CompletionItem[] {
  if (inputNode && inputNode.type !== 'object') return [];
  const typeValue = stringValue(objectEntries(inputNode).get('type'));
  const type = isInputType(typeValue) ? typeValue : undefined;
  const specific = type ? INPUT_PARAMETERS[type] : [];
  const items: CompletionItem[] = [];
  const add = (p: ParameterInfo, sort: string): void => {
    if (present.has(p.name)) return;
    const valueKinds = p.name === 'type' || p.kind === 'boolean' || (p.name === 'default' && (type === 'toggle' || type === 'option' || type === 'checkbox'));
    items.push(
      propertyItem(place, p.name, parameterValueSnippet(type, p), {
        detail: type && specific.includes(p) ? `${type} parameter` : 'input parameter',
        documentation: markdown(parameterMarkdown(p)),
        sortText: sort,
        ...(valueKinds ? { command: TRIGGER_SUGGEST } : {}),
      }),
    );
  };
  // The type first when it is missing, then what this type adds, then the common ones.
  COMMON_PARAMETERS.filter((p) => p.name === 'type').forEach((p) => add(p, '0'));
  specific.forEach((p, i) => add(p, `1${i}`));
  COMMON_PARAMETERS.filter((p) => p.name !== 'type').forEach((p, i) => add(p, `2${i}`));
  return items.map(withoutUndefined);
}

function typeValues(place: Place): CompletionItem[] {
  return INPUT_TYPES.map((type, i) =>
    valueItem(place, type, {
      kind: CompletionItemKind.EnumMember,
      documentation: markdown(inputTypeMarkdown(type)),
      sortText: String(i).padStart(2, '0'),
    }),
  );
}

function booleanValues(place: Place, p: ParameterInfo): CompletionItem[] {
  return [true, false].map((v, i) => withoutUndefined(valueItem(place, v, { detail: p.default === v ? 'default' : undefined, documentation: markdown(p.description), sortText: String(i) })));
}

/** Names in every page's and every repeat's input_fields. */
function placedInputs(root: Node | undefined): Set<string> {
  const placed = new Set<string>();
  const collect = (list: Node | undefined): void => {
    for (const el of list?.type === 'array' ? (list.children ?? []) : []) {
      const s = stringValue(el);
      if (s !== undefined) placed.add(s);
    }
  };
  const guide = nodeAt(root, ['guide']);
  for (const page of guide?.type === 'array' ? (guide.children ?? []) : []) collect(objectEntries(page).get('input_fields'));
  for (const inputNode of objectEntries(nodeAt(root, ['input'])).values()) {
    const params = objectEntries(inputNode);
    if (stringValue(params.get('type')) === 'repeat') collect(params.get('input_fields'));
  }
  return placed;
}

/**
 * Input names for an input_fields list: those on no page and in no repeat first. Never the
 * repeat itself (`repeat`), nor a name already in the same list.
 */
function inputNameValues(place: Place, repeat: string | undefined, list: Node | undefined): CompletionItem[] {
  const inputs = objectEntries(nodeAt(place.root, ['input']));
  const placed = placedInputs(place.root);
  const inList = new Set((list?.type === 'array' ? (list.children ?? []) : []).map(stringValue).filter((s): s is string => s !== undefined));
  const items: CompletionItem[] = [];
  for (const [name, node] of inputs) {
    if (name === repeat || inList.has(name)) continue;
    const params = objectEntries(node);
    const type = stringValue(params.get('type'));
    const display = stringValue(params.get('name'));
    const description = stringValue(params.get('description'));
    const unplaced = !placed.has(name);
    items.push(
      withoutUndefined(
        valueItem(place, name, {
          kind: CompletionItemKind.Reference,
          detail: [type, display].filter((s) => s !== undefined && s !== '').join(' · ') || undefined,
          documentation: description ? markdown(description) : undefined,
          labelDetails: unplaced ? { description: 'not placed yet' } : undefined,
          sortText: `${unplaced ? 0 : 1}_${name}`,
        }),
      ),
    );
  }
  return items;
}

function filterKeys(place: Place, kind: SelectorKind, present: Set<string>): CompletionItem[] {
  const devices = knownDevices(place.parsed.path, place.ctx);
  const builtIn = FILTER_KEYS[kind];
  const keys: [string, string][] = builtIn.map(({ key, matches }) => [key, `Matches ${matches} (an fnmatch pattern, or an array of them).`]);
  const meta = devices.metaKeys.includes('room') ? devices.metaKeys : [...devices.metaKeys, 'room'];
  for (const key of meta) {
    if (keys.some(([k]) => k === key)) continue;
    keys.push([key, `Meta key \`${key}\` of the device (copied onto its functions); an fnmatch pattern, or an array of them.`]);
  }
  return keys
    .filter(([k]) => !present.has(k))
    .map(([key, doc], i) => propertyItem(place, key, '"$1"', { detail: builtIn.some((b) => b.key === key) ? 'filter key' : 'meta key', documentation: markdown(doc), sortText: String(i).padStart(2, '0'), ...(key === 'type' ? { command: TRIGGER_SUGGEST } : {}) }))
    .map(withoutUndefined);
}

function filterTypeValues(place: Place, kind: SelectorKind): CompletionItem[] {
  if (kind === 'function') {
    return functionTypes().map(({ type, sources }, i) =>
      valueItem(place, type, { kind: CompletionItemKind.EnumMember, detail: 'function type', documentation: markdown(sources.join('\n\n')), sortText: String(i).padStart(2, '0') }),
    );
  }
  return knownDevices(place.parsed.path, place.ctx).types.map((type, i) =>
    valueItem(place, type, { kind: CompletionItemKind.EnumMember, detail: 'device type (devices.json)', sortText: String(i).padStart(2, '0') }),
  );
}

/** Keys of `values` for an option's or checkbox's default; for a checkbox list, those not yet in it. */
function defaultValues(place: Place, values: Node | undefined, chosenList: Node | undefined): CompletionItem[] {
  const chosen = new Set((chosenList?.type === 'array' ? (chosenList.children ?? []) : []).map((n) => (n.type === 'string' || n.type === 'number' ? String(n.value) : undefined)));
  const items: CompletionItem[] = [];
  let i = 0;
  for (const [key, nameNode] of objectEntries(values)) {
    if (chosen.has(key)) continue;
    const display = stringValue(nameNode);
    items.push(withoutUndefined(valueItem(place, key, { kind: CompletionItemKind.EnumMember, detail: display, sortText: String(i++).padStart(3, '0') })));
  }
  return items;
}

function pageKeys(place: Place, present: Set<string>): CompletionItem[] {
  const instance = place.root ? (getNodeValue(place.root) as unknown) : undefined;
  return GUIDE_PAGE_KEYS.filter((k) => !present.has(k)).map((key, i) => {
    const docs = appSchemaDocs(['guide', 0, key], instance);
    const doc = docsMarkdown(docs);
    return withoutUndefined(
      propertyItem(place, key, key === 'input_fields' ? '[$1]' : '"$1"', {
        detail: docs.title,
        documentation: doc ? markdown(doc) : undefined,
        sortText: String(i).padStart(2, '0'),
        ...(key === 'input_fields' ? { command: TRIGGER_SUGGEST } : {}),
      }),
    );
  });
}

/** The snippet of a new input of each type, at a name's place in "input". */
function newInputSnippets(place: Place): CompletionItem[] {
  const typed = place.token?.typed ?? '';
  const name = /^[A-Za-z_][A-Za-z0-9_]*$/.test(typed) ? typed : 'input_name';
  return INPUT_TYPES.map((type, i) => {
    const lines = [`"type": "${type}"`, '"name": "${2:Display name}"', '"description": "${3:Help text}"', ...typeSnippetLines(type)];
    const body = `"\${1:${escapeSnippet(name)}}": {\n${lines.map((l) => `\t${l}`).join(',\n')}\n}`;
    return snippetItem(place, `new ${type} input`, body, {
      detail: `a new ${type} input`,
      documentation: markdown(inputTypeMarkdown(type)),
      sortText: String(i).padStart(2, '0'),
    });
  });
}

function typeSnippetLines(type: InputType): string[] {
  switch (type) {
    case 'single_function_selector':
    case 'multi_function_selector':
      return ['"filter": { "type": "${4}" }', '"value": ${5:false}'];
    case 'single_device_selector':
    case 'multi_device_selector':
      return ['"filter": {$4}'];
    case 'single_notification_output_selector':
    case 'multi_notification_output_selector':
      return ['"allow_add": ${4:true}'];
    case 'text':
      return ['"default": "$4"'];
    case 'number':
      return ['"default": ${4:0}'];
    case 'option':
      return ['"values": { "${4:value}": "${5:Display name}" }', '"default": "${4:value}"'];
    case 'checkbox':
      return ['"values": { "${4:value}": "${5:Display name}" }', '"default": [$6]'];
    case 'toggle':
      return ['"default": ${4:false}'];
    case 'repeat':
      return ['"min": ${4:0}', '"input_fields": [$5]'];
  }
}

/** A new guide page listing the inputs that are on no page yet. */
function newPageSnippet(place: Place, index: number): CompletionItem[] {
  if (place.token) return [];
  const placed = placedInputs(place.root);
  const unplaced = [...objectEntries(nodeAt(place.root, ['input'])).keys()].filter((n) => !placed.has(n));
  const fields = unplaced.length > 0 ? `\${4:${escapeSnippet(unplaced.map((n) => JSON.stringify(n)).join(', '))}}` : '$4';
  const body = `{\n\t"id": "\${1:stage_${index + 1}}",\n\t"title": "\${2:Page title}",\n\t"description": "$3",\n\t"input_fields": [${fields}]\n}`;
  return [
    snippetItem(place, 'new guide page', body, {
      detail: unplaced.length > 0 ? `a new page with ${unplaced.join(', ')}` : 'a new page',
      documentation: markdown('A page of the wizard: an id, a title and description, and the inputs it shows, in order.'),
    }),
  ];
}

