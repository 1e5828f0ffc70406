/** What the schemas at a place say of it: title, description, default, examples, the values they name. */
import { deepEqual } from './schema-match';
import type { SchemaRef } from './schema-refs';

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
