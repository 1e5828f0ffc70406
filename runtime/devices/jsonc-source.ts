/**
 * JSON-with-comments reading that keeps positions, so every problem in a user's file can point
 * at the exact value. Used by the devices file; nothing here knows about devices.
 */
import { getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { lineColumnAt, type SourceProblem } from '../errors';

const SYNTAX_MESSAGES: Record<string, string> = {
  InvalidSymbol: 'invalid symbol',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'property name expected',
  ValueExpected: 'value expected',
  ColonExpected: "':' expected",
  CommaExpected: "',' expected",
  CloseBraceExpected: "'}' expected",
  CloseBracketExpected: "']' expected",
  EndOfFileExpected: 'end of file expected (only one top-level value is allowed)',
  InvalidCommentToken: 'invalid comment',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character',
};

/** Collects problems for one file, positioned at JSON nodes or offsets. */
export class ProblemSink {
  readonly problems: SourceProblem[] = [];

  constructor(
    readonly text: string,
    readonly file: string,
  ) {}

  at(where: Node | number, code: string, message: string, fix?: string): void {
    const offset = typeof where === 'number' ? where : where.offset;
    const { line, column } = lineColumnAt(this.text, offset);
    this.problems.push({ file: this.file, line, column, severity: 'error', code, message, ...(fix ? { fix } : {}) });
  }

  whole(code: string, message: string, fix?: string): void {
    this.problems.push({ file: this.file, line: 0, column: 0, severity: 'error', code, message, ...(fix ? { fix } : {}) });
  }
}

/** Parses JSONC (comments and trailing commas allowed); undefined root when broken or empty (callers decide if empty is wrong). */
export function parseJsonc(sink: ProblemSink): Node | undefined {
  const errors: ParseError[] = [];
  const root = parseTree(sink.text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  for (const e of errors) {
    const name = printParseErrorCode(e.error);
    sink.at(e.offset, 'json-syntax', `JSON syntax error: ${SYNTAX_MESSAGES[name] ?? name}`);
  }
  return errors.length > 0 ? undefined : root;
}

/** The plain value of a node (jsonc-parser types it as any). */
export function nodeValue(node: Node): unknown {
  return getNodeValue(node) as unknown;
}

export interface Property {
  readonly key: string;
  readonly keyNode: Node;
  /** Absent only in broken syntax, which parseJsonc has already rejected. */
  readonly valueNode: Node;
}

export function properties(object: Node): Property[] {
  const out: Property[] = [];
  for (const p of object.children ?? []) {
    const [keyNode, valueNode] = p.children ?? [];
    if (keyNode && valueNode) out.push({ key: String(keyNode.value), keyNode, valueNode });
  }
  return out;
}

/** How a node's kind reads in a message: "an object", "a string", … */
export function describeNode(node: Node): string {
  switch (node.type) {
    case 'object':
      return 'an object';
    case 'array':
      return 'an array';
    case 'null':
      return 'null';
    default:
      return `a ${node.type}`;
  }
}
