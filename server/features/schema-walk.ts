/**
 * A small JSON Schema resolver for the editor features: from a JSON path (and the instance, to
 * pick the `if/then/else`, `oneOf` or `anyOf` branch that applies, e.g. by an input's `type`) to
 * the schema nodes that describe the value there. `$ref` is followed within a schema and across
 * the bundled schemas by `$id`. It is not a validator: `matches` knows only what branch selection
 * needs (type, const, enum, required, properties, pattern and the combinators).
 */
import type { JSONPath } from 'jsonc-parser';
import type { DocumentKind } from '../service/document-kind';
import { SCHEMAS } from '../service/schemas';

export type SchemaObject = { [key: string]: unknown };

/** A schema node and the `$id` of the document it was found in (what its `$ref`s resolve against). */
export interface SchemaRef {
  readonly schema: SchemaObject | boolean;
  readonly base: string;
}

export function isSchemaObject(v: unknown): v is SchemaObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function documents(): SchemaObject[] {
  return Object.values(SCHEMAS.all) as SchemaObject[];
}

function idOf(doc: SchemaObject): string {
  return typeof doc.$id === 'string' ? doc.$id : '';
}

function stripFragment(id: string): string {
  const hash = id.indexOf('#');
  return hash < 0 ? id : id.slice(0, hash);
}

function baseName(id: string): string {
  const s = stripFragment(id);
  return s.slice(s.lastIndexOf('/') + 1);
}

/** The bundled schema document whose `$id` is `id` (absolute, relative to `base`, or by file name). */
function documentById(id: string, base: string): SchemaObject | undefined {
  const wanted = stripFragment(id);
  if (wanted === '') return documents().find((d) => stripFragment(idOf(d)) === stripFragment(base));
  let absolute: string | undefined;
  try {
    absolute = new URL(wanted, base || undefined).href;
  } catch {
    absolute = undefined;
  }
  return (
    documents().find((d) => stripFragment(idOf(d)) === wanted) ??
    (absolute !== undefined ? documents().find((d) => stripFragment(idOf(d)) === absolute) : undefined) ??
    documents().find((d) => baseName(idOf(d)) === baseName(wanted))
  );
}

function decodePointerSegment(s: string): string {
  return decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~');
}

function findAnchor(node: unknown, anchor: string): SchemaObject | undefined {
  if (Array.isArray(node)) {
    for (const n of node) {
      const found = findAnchor(n, anchor);
      if (found) return found;
    }
    return undefined;
  }
  if (!isSchemaObject(node)) return undefined;
  if (node.$anchor === anchor) return node;
  for (const v of Object.values(node)) {
    const found = findAnchor(v, anchor);
    if (found) return found;
  }
  return undefined;
}

/** `$ref` → the schema node it names, or undefined when it cannot be resolved. */
export function resolveRef(ref: string, base: string): SchemaRef | undefined {
  const doc = documentById(ref, base);
  if (!doc) return undefined;
  const hash = ref.indexOf('#');
  const fragment = hash < 0 ? '' : ref.slice(hash + 1);
  const docBase = idOf(doc);
  if (fragment === '' || fragment === '/') return { schema: doc, base: docBase };
  if (!fragment.startsWith('/')) {
    const anchored = findAnchor(doc, fragment);
    return anchored ? { schema: anchored, base: docBase } : undefined;
  }
  let node: unknown = doc;
  for (const raw of fragment.slice(1).split('/')) {
    const seg = decodePointerSegment(raw);
    if (Array.isArray(node)) node = node[Number(seg)];
    else if (isSchemaObject(node)) node = node[seg];
    else return undefined;
  }
  if (typeof node === 'boolean' || isSchemaObject(node)) return { schema: node, base: docBase };
  return undefined;
}

export function rootSchema(kind: DocumentKind): SchemaRef | undefined {
  const schema = SCHEMAS.all[kind] as SchemaObject | undefined;
  return schema ? { schema, base: idOf(schema) } : undefined;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => deepEqual(v, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = Object.keys(ao);
  return keys.length === Object.keys(bo).length && keys.every((k) => Object.prototype.hasOwnProperty.call(bo, k) && deepEqual(ao[k], bo[k]));
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeMatches(type: unknown, v: unknown): boolean {
  const types = Array.isArray(type) ? type : [type];
  const actual = jsonType(v);
  return types.some((t) => t === actual || (t === 'number' && actual === 'integer'));
}

/**
 * Whether `value` satisfies `schema` as far as branch selection cares; keywords not understood
 * count as satisfied.
 */
export function matches(ref: SchemaRef, value: unknown, seen: Set<unknown> = new Set()): boolean {
  const { schema, base } = ref;
  if (typeof schema === 'boolean') return schema;
  if (seen.has(schema)) return true;
  const inner = new Set(seen).add(schema);
  const sub = (s: unknown, b = base): boolean => (typeof s === 'boolean' || isSchemaObject(s) ? matches({ schema: s, base: b }, value, inner) : true);
  if (typeof schema.$ref === 'string') {
    const target = resolveRef(schema.$ref, base);
    if (target && !matches(target, value, inner)) return false;
  }
  if (schema.type !== undefined && !typeMatches(schema.type, value)) return false;
  if ('const' in schema && !deepEqual(schema.const, value)) return false;
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => deepEqual(e, value))) return false;
  if (typeof schema.pattern === 'string' && typeof value === 'string') {
    try {
      if (!new RegExp(schema.pattern, 'u').test(value)) return false;
    } catch {
      /* a pattern JavaScript cannot compile decides nothing */
    }
  }
  if (isSchemaObject(value)) {
    if (Array.isArray(schema.required) && !schema.required.every((k) => typeof k !== 'string' || Object.prototype.hasOwnProperty.call(value, k))) return false;
    if (isSchemaObject(schema.properties)) {
      for (const [k, s] of Object.entries(schema.properties)) {
        if (!Object.prototype.hasOwnProperty.call(value, k)) continue;
        if ((typeof s === 'boolean' || isSchemaObject(s)) && !matches({ schema: s, base }, value[k], inner)) return false;
      }
    }
  }
  if (Array.isArray(schema.allOf) && !schema.allOf.every((s) => sub(s))) return false;
  if (Array.isArray(schema.anyOf) && !schema.anyOf.some((s) => sub(s))) return false;
  if (Array.isArray(schema.oneOf) && schema.oneOf.filter((s) => sub(s)).length !== 1) return false;
  if (schema.not !== undefined && (typeof schema.not === 'boolean' || isSchemaObject(schema.not)) && matches({ schema: schema.not, base }, value, inner)) return false;
  if (schema.if !== undefined && (typeof schema.if === 'boolean' || isSchemaObject(schema.if))) {
    const branch = matches({ schema: schema.if, base }, value, inner) ? schema.then : schema.else;
    if (branch !== undefined && !sub(branch)) return false;
  }
  return true;
}

/**
 * The schema itself and every schema that applies to the same value through `$ref`, `allOf`,
 * the matching `anyOf`/`oneOf` branches (all of them when the value is unknown or none matches)
 * and the `then` or `else` chosen by `if` (both when the value is unknown). In document order: a
 * node comes before the nodes it leads to.
 */
export function expand(refs: readonly SchemaRef[], value: unknown): SchemaRef[] {
  const out: SchemaRef[] = [];
  const seen = new Set<unknown>();
  const known = value !== undefined;
  const visit = (ref: SchemaRef): void => {
    const { schema, base } = ref;
    if (typeof schema !== 'boolean') {
      if (seen.has(schema)) return;
      seen.add(schema);
    }
    out.push(ref);
    if (typeof schema === 'boolean') return;
    const child = (s: unknown): SchemaRef | undefined => (typeof s === 'boolean' || isSchemaObject(s) ? { schema: s, base } : undefined);
    if (typeof schema.$ref === 'string') {
      const target = resolveRef(schema.$ref, base);
      if (target) visit(target);
    }
    for (const s of Array.isArray(schema.allOf) ? schema.allOf : []) {
      const c = child(s);
      if (c) visit(c);
    }
    for (const key of ['anyOf', 'oneOf'] as const) {
      const branches = (Array.isArray(schema[key]) ? (schema[key] as unknown[]) : []).map(child).filter((c): c is SchemaRef => c !== undefined);
      const matching = known ? branches.filter((b) => matches(b, value)) : [];
      for (const b of matching.length > 0 ? matching : branches) visit(b);
    }
    if (schema.if !== undefined) {
      const cond = child(schema.if);
      const then = child(schema.then);
      const otherwise = child(schema.else);
      if (!known || !cond) {
        if (then) visit(then);
        if (otherwise) visit(otherwise);
      } else if (matches(cond, value)) {
        if (then) visit(then);
      } else if (otherwise) visit(otherwise);
    }
  };
  for (const r of refs) visit(r);
  return out;
}

/** The schemas of the value under `segment` of a value described by `parents` (already expanded). */
export function childSchemas(parents: readonly SchemaRef[], segment: string | number): SchemaRef[] {
  const out: SchemaRef[] = [];
  const objects = parents.filter((p): p is { schema: SchemaObject; base: string } => typeof p.schema !== 'boolean');
  const asSchema = (s: unknown, base: string): SchemaRef | undefined => (typeof s === 'boolean' || isSchemaObject(s) ? { schema: s, base } : undefined);
  if (typeof segment === 'string') {
    for (const { schema, base } of objects) {
      if (isSchemaObject(schema.properties) && Object.prototype.hasOwnProperty.call(schema.properties, segment)) {
        const r = asSchema(schema.properties[segment], base);
        if (r) out.push(r);
      }
      if (isSchemaObject(schema.patternProperties)) {
        for (const [pattern, s] of Object.entries(schema.patternProperties)) {
          let re: RegExp | undefined;
          try {
            re = new RegExp(pattern, 'u');
          } catch {
            re = undefined;
          }
          const r = re?.test(segment) ? asSchema(s, base) : undefined;
          if (r) out.push(r);
        }
      }
    }
    if (out.length > 0) return out;
    // Not named anywhere: the schemas for other properties (booleans say nothing worth showing).
    for (const { schema, base } of objects) {
      for (const key of ['additionalProperties', 'unevaluatedProperties']) {
        if (isSchemaObject(schema[key])) out.push({ schema: schema[key] as SchemaObject, base });
      }
    }
    return out;
  }
  for (const { schema, base } of objects) {
    if (Array.isArray(schema.prefixItems) && segment < schema.prefixItems.length) {
      const r = asSchema(schema.prefixItems[segment], base);
      if (r) out.push(r);
    } else if (Array.isArray(schema.items)) {
      const r = asSchema(segment < schema.items.length ? schema.items[segment] : schema.additionalItems, base);
      if (r) out.push(r);
    } else {
      const r = asSchema(schema.items, base);
      if (r) out.push(r);
    }
  }
  return out;
}

function valueAt(instance: unknown, path: JSONPath): unknown {
  let v = instance;
  for (const seg of path) {
    if (Array.isArray(v) && typeof seg === 'number') v = v[seg];
    else if (isSchemaObject(v) && typeof seg === 'string' && Object.prototype.hasOwnProperty.call(v, seg)) v = v[seg];
    else return undefined;
  }
  return v;
}

/**
 * The schema nodes that apply at `path` of a document of `kind`, expanded (see `expand`), with the
 * instance at each step choosing the branches. Empty when the schema says nothing about the place.
 */
export function schemasAt(kind: DocumentKind, path: JSONPath, instance: unknown): SchemaRef[] {
  const root = rootSchema(kind);
  if (!root) return [];
  let current = expand([root], instance);
  for (let i = 0; i < path.length; i++) {
    const next = childSchemas(current, path[i]);
    if (next.length === 0) return [];
    current = expand(next, valueAt(instance, path.slice(0, i + 1)));
  }
  return current;
}

/** Documentation of a place, as schema keywords say it. */
export interface SchemaDocs {
  readonly title?: string;
  /** markdownDescription when given, else description. */
  readonly description?: string;
  readonly hasDefault: boolean;
  readonly default?: unknown;
  readonly examples: unknown[];
}

/**
 * The first title, description and default among the nodes (the more specific ones come later,
 * so a property's own words win over those of the definition it refers to), and all examples.
 * Nodes that only describe one value (`const`) are left out: they document that value, not the place.
 */
export function docsOf(refs: readonly SchemaRef[]): SchemaDocs {
  let title: string | undefined;
  let description: string | undefined;
  let hasDefault = false;
  let def: unknown;
  const examples: unknown[] = [];
  for (const { schema } of refs) {
    if (typeof schema === 'boolean' || 'const' in schema) continue;
    if (title === undefined && typeof schema.title === 'string' && schema.title !== '') title = schema.title;
    const d = typeof schema.markdownDescription === 'string' && schema.markdownDescription !== '' ? schema.markdownDescription : typeof schema.description === 'string' && schema.description !== '' ? schema.description : undefined;
    if (description === undefined && d !== undefined) description = d;
    if (!hasDefault && 'default' in schema) {
      hasDefault = true;
      def = schema.default;
    }
    if (Array.isArray(schema.examples)) for (const e of schema.examples) if (!examples.some((x) => deepEqual(x, e))) examples.push(e);
  }
  return { title, description, hasDefault, default: def, examples };
}

/** A value the schema allows at a place, with what the schema says about it. */
export interface SchemaValue {
  readonly value: unknown;
  readonly description?: string;
}

/**
 * The values the schema names at a place: `enum` and `const` (with `enumDescriptions`,
 * `markdownEnumDescriptions` or the description of a `const` branch), and true/false for booleans.
 */
export function valuesOf(refs: readonly SchemaRef[]): SchemaValue[] {
  const out: SchemaValue[] = [];
  const add = (value: unknown, description: string | undefined): void => {
    const i = out.findIndex((v) => deepEqual(v.value, value));
    if (i < 0) out.push({ value, ...(description !== undefined ? { description } : {}) });
    else if (out[i].description === undefined && description !== undefined) out[i] = { value, description };
  };
  for (const { schema } of refs) {
    if (typeof schema === 'boolean') continue;
    if (Array.isArray(schema.enum)) {
      const md = Array.isArray(schema.markdownEnumDescriptions) ? schema.markdownEnumDescriptions : undefined;
      const plain = Array.isArray(schema.enumDescriptions) ? schema.enumDescriptions : undefined;
      schema.enum.forEach((v, i) => {
        const d = md?.[i] ?? plain?.[i];
        add(v, typeof d === 'string' ? d : undefined);
      });
    }
    if ('const' in schema) {
      const d = typeof schema.markdownDescription === 'string' ? schema.markdownDescription : typeof schema.description === 'string' ? schema.description : undefined;
      add(schema.const, d);
    }
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (types.includes('boolean')) {
      add(true, undefined);
      add(false, undefined);
    }
  }
  return out;
}

/** What the schema says of one particular value at a place (its enum or const description). */
export function valueDescription(refs: readonly SchemaRef[], value: unknown): string | undefined {
  return valuesOf(refs).find((v) => deepEqual(v.value, value))?.description;
}

/** A schema no value satisfies: `false`, or `not` of a schema every value satisfies (`{}`, `true`). */
export function forbids(s: unknown): boolean {
  if (s === false) return true;
  if (!isSchemaObject(s) || !('not' in s)) return false;
  const not = s.not;
  return not === true || (isSchemaObject(not) && Object.keys(not).length === 0);
}

/** The property names the schemas at an object's place name; those whose schema forbids any value are left out. */
export function propertiesOf(refs: readonly SchemaRef[]): Map<string, SchemaRef[]> {
  const out = new Map<string, SchemaRef[]>();
  const banned = new Set<string>();
  for (const { schema, base } of refs) {
    if (typeof schema === 'boolean' || !isSchemaObject(schema.properties)) continue;
    for (const [k, s] of Object.entries(schema.properties)) {
      if (forbids(s)) {
        banned.add(k);
        continue;
      }
      if (typeof s !== 'boolean' && !isSchemaObject(s)) continue;
      const list = out.get(k) ?? [];
      list.push({ schema: s, base });
      out.set(k, list);
    }
  }
  for (const k of banned) out.delete(k);
  return out;
}

export { valueAt as instanceAt, deepEqual };
