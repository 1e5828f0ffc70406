/**
 * From a JSON path (and the instance, to pick the `if/then/else`, `oneOf` or `anyOf` branch that
 * applies, e.g. by an input's `type`) to the schema nodes that describe the value there.
 */
import type { JSONPath } from 'jsonc-parser';
import type { DocumentKind } from '../service/document-kind';
import { matches } from './schema-match';
import { isSchemaObject, resolveRef, rootSchema, type SchemaObject, type SchemaRef } from './schema-refs';

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
