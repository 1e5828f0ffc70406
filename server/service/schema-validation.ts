import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import { findNodeAtLocation, type Node } from 'jsonc-parser';
import { compileValidator } from '../../runtime/app/input-rules';
import { describeValue, nodeValue, problemAt } from '../../runtime/app/json-tree';
import type { SourceProblem } from '../../runtime/errors';
import { didYouMean } from '../../runtime/suggest';
import type { DocumentKind } from './document-kind';
import { SCHEMAS } from './schemas';

/**
 * JSON Schema validation with ajv (compiled once per kind), its errors turned into problems at
 * the exact node, with messages that say what to write instead.
 */
const validators = new Map<DocumentKind, ValidateFunction>();
const acceptors = new Map<DocumentKind, ValidateFunction>();

function compile(kind: DocumentKind, allErrors: boolean): ValidateFunction {
  // allErrors: report every mistake at once; verbose: parentSchema for did-you-mean lists.
  const ajv = new Ajv2020({ allErrors, verbose: allErrors, strict: false });
  // A validator is a regular expression as the runtime compiles it (whole-text match).
  ajv.addFormat('regex', { type: 'string', validate: (s: string) => compileValidator(s).error === undefined });
  for (const schema of Object.values(SCHEMAS.all)) ajv.addSchema(schema);
  return ajv.getSchema(SCHEMAS.idOf[kind]) as ValidateFunction;
}

function validatorFor(kind: DocumentKind): ValidateFunction {
  let v = validators.get(kind);
  if (!v) validators.set(kind, (v = compile(kind, true)));
  return v;
}

export interface SchemaTarget {
  readonly kind: DocumentKind;
  readonly file: string;
  readonly text: string;
  readonly root?: Node;
  readonly value: unknown;
}

/** Whether a value is valid against its kind's schema: the compiled validator alone, no positions. */
export function schemaAccepts(kind: DocumentKind, value: unknown): boolean {
  // Compiled to stop at the first error: a yes or no is all the fast path asks.
  let v = acceptors.get(kind);
  if (!v) acceptors.set(kind, (v = compile(kind, false)));
  return v(value) === true;
}

export function schemaProblems(target: SchemaTarget): SourceProblem[] {
  if (!target.root || target.value === undefined) return [];
  const validate = validatorFor(target.kind);
  if (validate(target.value)) return [];
  const errors = prune(validate.errors ?? []);
  const out: SourceProblem[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const p = toProblem(target, e);
    if (!p) continue;
    const key = `${p.offset}:${p.length}:${p.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}

/** Combinator errors (if/then, oneOf, anyOf) only repeat what their branches said. */
function prune(errors: ErrorObject[]): ErrorObject[] {
  return errors.filter((e) => !['if', 'oneOf', 'anyOf', 'allOf'].includes(e.keyword) || errors.length === 1);
}

function pathOf(instancePath: string): (string | number)[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function keyNodeOf(node: Node): Node {
  // A property's value node has the property as parent; its first child is the key.
  return node.parent?.type === 'property' && node.parent.children?.[0] ? node.parent.children[0] : node;
}

function nameOf(path: (string | number)[]): string {
  const last = path[path.length - 1];
  return last === undefined ? 'the document' : typeof last === 'number' ? `item ${last + 1}` : `"${last}"`;
}

function toProblem(t: SchemaTarget, e: ErrorObject): SourceProblem | undefined {
  const path = pathOf(e.instancePath);
  const node = findNodeAtLocation(t.root!, path) ?? t.root!;
  const doc = { file: t.file, text: t.text };
  const code = `schema-${e.keyword}`;
  const parent = e.parentSchema as { properties?: Record<string, unknown>; description?: string; title?: string } | undefined;
  const name = nameOf(path);
  switch (e.keyword) {
    case 'required': {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      return problemAt(doc, keyNodeOf(node), 'error', code, `${name === 'the document' ? 'the document' : name} is missing the required property "${missing}"`, `add "${missing}": …`);
    }
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const extra = (e.params as { additionalProperty?: string; unevaluatedProperty?: string }).additionalProperty ?? (e.params as { unevaluatedProperty: string }).unevaluatedProperty;
      const propNode = findNodeAtLocation(t.root!, [...path, extra]);
      const known = Object.keys(parent?.properties ?? {});
      const hint = didYouMean(extra, known);
      return problemAt(doc, propNode ? keyNodeOf(propNode) : node, 'warning', code, `unknown property "${extra}"${hint}`, hint ? 'correct the name' : known.length ? `the properties here are ${known.join(', ')}` : 'remove it');
    }
    case 'not': {
      // Misplaced properties are declared { "not": {} } with an errorMessage saying where they belong.
      const schema = e.parentSchema as { description?: string; errorMessage?: string } | undefined;
      const why = schema?.errorMessage ?? schema?.description;
      return problemAt(doc, keyNodeOf(node), 'error', code, `${name} is not allowed here${why ? `: ${why}` : ''}`, 'remove it, or move it to the file it belongs to');
    }
    case 'type': {
      const want = (e.params as { type: string | string[] }).type;
      const wanted = Array.isArray(want) ? want.join(' or ') : want;
      return problemAt(doc, node, 'error', code, `${name} must be ${article(wanted)}; got ${describeValue(nodeValue(node))}`, `write ${article(wanted)}`);
    }
    case 'enum': {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues;
      const value = nodeValue(node);
      const strings = allowed.filter((a): a is string => typeof a === 'string');
      const hint = typeof value === 'string' ? didYouMean(value, strings) : '';
      return problemAt(doc, node, 'error', code, `${name} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}; got ${describeValue(value)}${hint}`, 'use one of the allowed values');
    }
    case 'const':
      return problemAt(doc, node, 'error', code, `${name} must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`, 'correct the value');
    case 'pattern':
    case 'format':
      return problemAt(doc, node, 'error', code, `${name} ${e.message ?? 'is not valid'}${parent?.description ? ` (${firstSentence(parent.description)})` : ''}`, parent?.title ? `write a valid ${parent.title.toLowerCase()}` : 'correct the value');
    default:
      return problemAt(doc, node, 'error', code, `${name} ${e.message ?? 'is not valid'}`, 'correct the value');
  }
}

function article(type: string): string {
  if (type === 'integer') return 'an integer';
  if (type === 'object' || type === 'array') return `an ${type}`;
  return `a ${type}`;
}

function firstSentence(text: string): string {
  const i = text.search(/[.!?](\s|$)/);
  return i < 0 ? text : text.slice(0, i);
}
