/**
 * SourceProblems of the load checkers, each with the exact range in the file: a whole node, an
 * object's opening brace, or characters inside a string value (mapped through JSON escapes).
 * Quick-fix replacements are given as value text and written here as JSON text for their range.
 */
import type { SourceProblem, Severity } from '../errors';
import { problemAt, type JsonDocument, type JsonNode } from '../app/json-tree';
import { valueRange } from './string-offsets';
import type { LoadDocumentKind } from './properties';
import type { ValueIssue } from './value-issue';

export type ProblemSink = (p: SourceProblem) => void;

function withRange(p: SourceProblem, offset: number, length: number, replacement?: string): SourceProblem {
  p.offset = offset;
  p.length = length;
  if (replacement !== undefined) p.replacement = replacement;
  return p;
}

/** The whole node. `replacement` is JSON text for the node (e.g. `"native"` with its quotes). */
export function atNode(doc: JsonDocument, node: JsonNode, severity: Severity, code: string, message: string, fix: string, replacement?: string): SourceProblem {
  return withRange(problemAt(doc, node, severity, code, message, fix), node.offset, node.length, replacement);
}

/** The opening brace of an object, for what the object as a whole lacks. */
export function atBrace(doc: JsonDocument, object: JsonNode, severity: Severity, code: string, message: string, fix: string): SourceProblem {
  return withRange(problemAt(doc, object.offset, severity, code, message, fix), object.offset, 1);
}

/** JSON string content for a value text (no quotes), so a replacement inside a string stays valid. */
export function jsonStringContent(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

/** Characters [index, index + length) of a string node's value. `replacement` is value text. */
export function inString(
  doc: JsonDocument,
  node: JsonNode,
  index: number,
  length: number,
  severity: Severity,
  code: string,
  message: string,
  fix: string,
  replacement?: string,
): SourceProblem {
  const r = valueRange(doc.text, node, index, length);
  return withRange(problemAt(doc, r.offset, severity, code, message, fix), r.offset, r.length, replacement === undefined ? undefined : jsonStringContent(replacement));
}

export function fromValueIssue(doc: JsonDocument, node: JsonNode, issue: ValueIssue): SourceProblem {
  return inString(doc, node, issue.index, issue.length, issue.severity, issue.code, issue.message, issue.fix, issue.replacement);
}

export function stringOf(node: JsonNode | undefined): string | undefined {
  return node?.type === 'string' && typeof node.value === 'string' ? node.value : undefined;
}

/** Present with a value other than null. */
export function isGiven(node: JsonNode | undefined): node is JsonNode {
  return node !== undefined && node.type !== 'null';
}

/** What every rule of a load action or manifest sees. */
export interface LoadContext {
  readonly doc: JsonDocument;
  readonly kind: LoadDocumentKind;
  /** The object holding the properties (a load action's args, or the manifest). */
  readonly object: JsonNode;
  /** The properties by name; for a duplicated key the last one, as JSON.parse takes. */
  readonly props: ReadonlyMap<string, { readonly keyNode: JsonNode; readonly valueNode: JsonNode }>;
  /** Epoch ms taken as the present, for switchover times in the past. */
  readonly now: number;
  readonly report: ProblemSink;
}

export function valueOf(ctx: LoadContext, name: string): JsonNode | undefined {
  return ctx.props.get(name)?.valueNode;
}
