/** Completion in manifest.json and *.load.json: the properties of that kind and their values, from the schemas. */
import { getNodeValue } from 'jsonc-parser';
import { type CompletionItem, CompletionItemKind } from 'vscode-languageserver';
import { objectEntries } from '../../runtime/app/json-tree';
import { docsOf, valuesOf } from './schema-docs';
import { deepEqual } from './schema-match';
import { isSchemaObject, type SchemaRef } from './schema-refs';
import { expand, forbids, propertiesOf, schemasAt } from './schema-walk';

import {
  escapeSnippet,
  markdown,
  propertyItem,
  schemaKeyItem,
  TRIGGER_SUGGEST,
  valueItem,
  withoutUndefined,
} from './completion-items';
import { nodeAt, type Place } from './completion-place';

// ---------------------------------------------------------------------------------------------
// manifest.json and *.load.json

export function completeLoad(place: Place): CompletionItem[] {
  const { path, isKey, parsed } = place;
  const instance = place.root ? (getNodeValue(place.root) as unknown) : undefined;
  if (isKey) {
    const objectPath = path.slice(0, -1);
    if (objectPath.length !== 0) return [];
    const present = new Set(objectEntries(nodeAt(place.root, objectPath)).keys());
    const props = propertiesOf(schemasAt(parsed.kind, objectPath, instance));
    return [...props]
      .filter(([key]) => !present.has(key))
      .map(([key, refs], i) => {
        const expanded = expand(refs, undefined);
        const docs = docsOf(expanded);
        if (key === '$schema') return schemaKeyItem(place, docs);
        const hasValues = valuesOf(expanded).length > 0;
        return withoutUndefined(
          propertyItem(place, key, schemaValueSnippet(expanded), {
            detail: docs.title,
            documentation: docs.description ? markdown(docs.description) : undefined,
            sortText: String(i).padStart(2, '0'),
            ...(hasValues ? { command: TRIGGER_SUGGEST } : {}),
          }),
        );
      });
  }
  if (path.length !== 1 || typeof path[0] !== 'string') return [];
  const refs = schemasAt(parsed.kind, path, undefined);
  if (refs.length === 0 || refs.some((r) => forbids(r.schema))) return [];
  const offered: unknown[] = [];
  const items: CompletionItem[] = [];
  for (const { value, description } of valuesOf(refs)) {
    if (isAlias(value, offered)) continue;
    offered.push(value);
    items.push(withoutUndefined(valueItem(place, value, { kind: CompletionItemKind.EnumMember, documentation: description ? markdown(description) : undefined, sortText: String(items.length).padStart(2, '0') })));
  }
  return items;
}

/**
 * Another spelling of a value already offered: the same string in another case, or "none" for
 * null (the IAP toolkit's constants, accepted but not the spelling seed 002 gives).
 */
function isAlias(value: unknown, offered: readonly unknown[]): boolean {
  if (typeof value !== 'string') return offered.some((o) => deepEqual(o, value));
  if (value.toLowerCase() === 'none' && offered.includes(null)) return true;
  return offered.some((o) => typeof o === 'string' && o.toLowerCase() === value.toLowerCase());
}

/** A value placeholder for a property: its default, else by its type. */
function schemaValueSnippet(refs: readonly SchemaRef[]): string {
  const docs = docsOf(refs);
  if (docs.hasDefault && (docs.default === null || typeof docs.default !== 'object')) return `\${1:${escapeSnippet(JSON.stringify(docs.default))}}`;
  const types = new Set<string>();
  for (const { schema } of refs) {
    if (!isSchemaObject(schema)) continue;
    const t = schema.type;
    for (const x of Array.isArray(t) ? t : t !== undefined ? [t] : []) if (typeof x === 'string') types.add(x);
    if (Array.isArray(schema.enum)) for (const v of schema.enum) types.add(v === null ? 'null' : typeof v);
  }
  if (types.has('string')) return '"$1"';
  if (types.has('object')) return '{$1}';
  if (types.has('array')) return '[$1]';
  if (types.has('boolean')) return '${1:false}';
  if (types.has('number') || types.has('integer')) return '${1:0}';
  return '$1';
}

