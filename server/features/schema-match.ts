/**
 * Whether a value satisfies a schema, as far as choosing a branch needs (type, const, enum,
 * required, properties, pattern and the combinators). Not a validator: ajv is (service/).
 */
import { isSchemaObject, resolveRef, type SchemaRef } from './schema-refs';

export function deepEqual(a: unknown, b: unknown): boolean {
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
