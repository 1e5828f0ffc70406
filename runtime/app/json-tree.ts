/**
 * JSON text → jsonc-parser tree, with every syntax error as a SourceProblem at its exact place.
 * app.json, manifest.json and instance files all go through here so their positions agree.
 */
import { Node, ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import { type Fix, lineColumnAt, Severity, SourceProblem } from '../errors';
import { parseValidJson } from './fast-json-tree';

export type { Node as JsonNode } from 'jsonc-parser';

export interface JsonDocument {
  readonly file: string;
  readonly text: string;
  /** Undefined when the text has no value at all. */
  readonly root?: Node;
  /** Syntax errors and duplicate keys. */
  readonly problems: SourceProblem[];
}

export interface JsonProperty {
  readonly key: string;
  readonly keyNode: Node;
  readonly valueNode: Node;
}

const SYNTAX_MESSAGES: Record<string, [string, string?]> = {
  InvalidSymbol: ['unexpected character', 'JSON values are objects, arrays, "strings", numbers, true, false or null'],
  InvalidNumberFormat: ['invalid number'],
  PropertyNameExpected: ['expected a property name', 'property names are strings in double quotes'],
  ValueExpected: ['expected a value'],
  ColonExpected: ['expected a colon after the property name', 'write "name": value'],
  CommaExpected: ['expected a comma', 'separate items with commas'],
  CloseBraceExpected: ['expected "}"', 'close the object'],
  CloseBracketExpected: ['expected "]"', 'close the array'],
  EndOfFileExpected: ['unexpected text after the end of the JSON value', 'remove it'],
  InvalidCommentToken: ['comments are not allowed in this file', 'remove the comment'],
  UnexpectedEndOfComment: ['unterminated comment', 'close it with */'],
  UnexpectedEndOfString: ['unterminated string', 'close the string with " (a line break inside a string is written \\n)'],
  UnexpectedEndOfNumber: ['unterminated number'],
  InvalidUnicode: ['invalid \\u escape', 'write four hex digits after \\u'],
  InvalidEscapeCharacter: ['invalid escape in string', 'valid escapes are \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX'],
  InvalidCharacter: ['control character in string', 'write it as an escape, e.g. \\n or \\t'],
};

export interface ParseJsonOptions {
  /** app.json is read by IoT Open's plain JSON parser; local files may carry comments. */
  readonly allowComments: boolean;
}

export function parseJsonDocument(text: string, file: string, options: ParseJsonOptions): JsonDocument {
  // Valid JSON (the usual case, and nearly always for large files) takes the fast path.
  const fast = parseValidJson(text);
  if (fast) return { file, text, root: fast.root, problems: fast.duplicateKeys.map((k) => duplicateKeyProblem(text, file, k)) };
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, {
    disallowComments: !options.allowComments,
    allowTrailingComma: false,
    allowEmptyContent: false,
  });
  const problems: SourceProblem[] = [];
  const seenOffsets = new Set<number>();
  for (const e of errors) {
    // jsonc-parser reports one mistake under several codes at the same offset (a trailing comma
    // gives both PropertyNameExpected and ValueExpected): one problem per place is enough.
    if (seenOffsets.has(e.offset)) continue;
    seenOffsets.add(e.offset);
    problems.push(syntaxProblem(text, file, e));
  }
  if (root) problems.push(...duplicateKeys(text, file, root));
  return { file, text, root, problems };
}

function syntaxProblem(text: string, file: string, e: ParseError): SourceProblem {
  const code = printParseErrorCode(e.error);
  const comma = trailingCommaBefore(text, e.offset);
  if (comma !== undefined && (code === 'PropertyNameExpected' || code === 'ValueExpected')) {
    return { file, ...lineColumnAt(text, comma), severity: 'error', code: 'json-syntax', message: 'trailing comma', fix: 'remove the comma', offset: comma, length: 1 };
  }
  if (code === 'ValueExpected' && e.offset >= text.trimEnd().length) {
    return {
      file,
      ...lineColumnAt(text, e.offset),
      severity: 'error',
      code: 'json-syntax',
      message: text.trim() === '' ? 'the file is empty' : 'unexpected end of file: expected a value',
      fix: text.trim() === '' ? 'write a JSON object: {}' : 'complete the JSON value',
      offset: e.offset,
      length: 0,
    };
  }
  const [message, fix] = SYNTAX_MESSAGES[code] ?? [code];
  return { file, ...lineColumnAt(text, e.offset), severity: 'error', code: 'json-syntax', message, ...(fix ? { fix } : {}), offset: e.offset, length: e.length };
}

/** Offset of a comma that directly precedes a closing bracket at `offset`, if that is the case. */
function trailingCommaBefore(text: string, offset: number): number | undefined {
  const ch = text[offset];
  if (ch !== '}' && ch !== ']') return undefined;
  let i = offset - 1;
  while (i >= 0 && /\s/.test(text[i])) i--;
  return text[i] === ',' ? i : undefined;
}

function duplicateKeyProblem(text: string, file: string, keyNode: Node): SourceProblem {
  return problemAt({ file, text }, keyNode, 'warning', 'json-duplicate-key', `duplicate key "${String(keyNode.value)}": only the last one counts`, 'remove one of them');
}

function duplicateKeys(text: string, file: string, root: Node): SourceProblem[] {
  const problems: SourceProblem[] = [];
  // An explicit stack and no per-object arrays: this walks every node of a large file.
  const stack: Node[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    const children = node.children;
    if (!children) continue;
    if (node.type === 'object' && children.length > 1) {
      // Most objects are small: comparing pairs is cheaper than a Set for them.
      const seen = children.length > 16 ? new Set<string>() : undefined;
      for (let i = 0; i < children.length; i++) {
        const keyNode = children[i].children?.[0];
        const key = keyNode?.value;
        if (typeof key !== 'string') continue;
        let dup = false;
        if (seen) dup = seen.has(key);
        else for (let j = 0; j < i && !dup; j++) dup = children[j].children?.[0]?.value === key;
        if (dup) problems.push(duplicateKeyProblem(text, file, keyNode!));
        seen?.add(key);
      }
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return problems;
}

/** A plain object node's properties by key (the last one wins, as JSON.parse has it). */
export function objectEntries(node: Node | undefined): Map<string, Node> {
  const out = new Map<string, Node>();
  if (!node || node.type !== 'object') return out;
  for (const prop of node.children ?? []) {
    const [k, v] = prop.children ?? [];
    if (k && typeof k.value === 'string') out.set(k.value, v ?? prop);
  }
  return out;
}

/** The properties of an object node, in order; skips properties the parser could not complete. */
export function properties(node: Node): JsonProperty[] {
  if (node.type !== 'object') return [];
  const out: JsonProperty[] = [];
  for (const prop of node.children ?? []) {
    const [keyNode, valueNode] = prop.children ?? [];
    if (keyNode && valueNode && typeof keyNode.value === 'string') out.push({ key: keyNode.value, keyNode, valueNode });
  }
  return out;
}

/** The value node of `key` (the last one, as JSON.parse would take). */
export function propertyValue(node: Node, key: string): Node | undefined {
  return lastProperty(node, key)?.children![1];
}

export function propertyKeyNode(node: Node, key: string): Node | undefined {
  return lastProperty(node, key)?.children![0];
}

/** The last complete property named `key` (as properties() lists them), without listing them all. */
function lastProperty(node: Node, key: string): Node | undefined {
  if (node.type !== 'object' || !node.children) return undefined;
  for (let i = node.children.length - 1; i >= 0; i--) {
    const prop = node.children[i];
    const keyNode = prop.children?.[0];
    if (keyNode?.value === key && prop.children![1]) return prop;
  }
  return undefined;
}

/**
 * The plain value of a node, with ordinary objects whose "__proto__" keys stay plain keys (as
 * JSON.parse gives them). This used to be jsonc-parser's getNodeValue (objects without a
 * prototype) and a JSON round trip of objects and arrays; it is now built directly, with the same
 * result, because the round trip was most of the time spent on object values in large files.
 */
export function nodeValue(node: Node): unknown {
  // Scalars are most nodes: their value is on the node already.
  if (node.type === 'object' || node.type === 'array') return containerValue(node);
  return node.type === 'string' || node.type === 'number' || node.type === 'boolean' || node.type === 'null' ? node.value : undefined;
}

/** A value inside an object or array, as the round trip left it: a non-finite number became null, -0 became 0. */
function memberValue(node: Node): unknown {
  if (node.type === 'object' || node.type === 'array') return containerValue(node);
  if (node.type === 'number') return Number.isFinite(node.value) ? (node.value as number) + 0 : null;
  return node.value;
}

function containerValue(node: Node): unknown {
  const children = node.children ?? [];
  if (node.type === 'array') return children.map(memberValue);
  const out: Record<string, unknown> = {};
  for (const prop of children) {
    const valueNode = prop.children?.[1];
    if (!valueNode) continue;
    const key = String(prop.children![0].value);
    const value = memberValue(valueNode);
    // Assigning "__proto__" would set the prototype; JSON.parse makes it an own key.
    if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    else out[key] = value;
  }
  return out;
}

export function problemAt(
  doc: { readonly file: string; readonly text: string },
  at: Node | number,
  severity: Severity,
  code: string,
  message: string,
  fix?: Fix,
): SourceProblem {
  const offset = typeof at === 'number' ? at : at.offset;
  const length = typeof at === 'number' ? 0 : at.length;
  const problem: SourceProblem = { file: doc.file, ...lineColumnAt(doc.text, offset), severity, code, message, offset, length };
  if (typeof fix === 'string') problem.fix = fix;
  else if (fix) {
    problem.fix = fix.text;
    problem.replacement = fix.replacement;
  }
  return problem;
}

/** A short readable form of a JSON value for messages: `the string "10"`, `an array`, … */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  switch (typeof v) {
    case 'string':
      return `the string ${JSON.stringify(v)}`;
    case 'number':
      return `the number ${v}`;
    case 'boolean':
      return String(v);
    case 'object':
      return 'an object';
    default:
      return String(v);
  }
}

/** JSON text of a value, shortened for messages. */
export function showValue(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** In file order, so the CLI lists them as an editor would; the sort is stable for equal places. */
export function sortByPosition(problems: readonly SourceProblem[]): SourceProblem[] {
  return [...problems].sort((a, b) => a.line - b.line || a.column - b.column);
}
