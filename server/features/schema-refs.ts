/**
 * The bundled JSON Schemas as the editor features read them: schema nodes with the `$id` of the
 * document they are in, and `$ref` followed within a schema and across the bundled schemas.
 */
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
