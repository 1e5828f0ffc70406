/** Where the cursor is in a JSON document, and what a completion there replaces. */
import { createScanner, getLocation, parseTree, type JSONPath, type Node } from 'jsonc-parser';
import type { Range } from 'vscode-languageserver';
import type { ParsedDocument } from '../service/parsed-document';
import { objectEntries } from '../../runtime/app/json-tree';
import type { FeatureContext } from './context';


/** jsonc-parser's const enums (which isolatedModules cannot import) by value. */
const Tok = { NullKeyword: 7, TrueKeyword: 8, FalseKeyword: 9, StringLiteral: 10, NumericLiteral: 11, LineCommentTrivia: 12, BlockCommentTrivia: 13, Unknown: 16, EOF: 17 } as const;
const UNEXPECTED_END_OF_STRING = 2;

/** The token the cursor is in or just after: what a completion replaces. */
export interface Token {
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
  readonly kind: 'string' | 'word';
  /** The text typed so far, without quotes. */
  readonly typed: string;
}

/** Where the cursor is and what the items replace. */
export interface Place {
  readonly parsed: ParsedDocument;
  readonly ctx: FeatureContext;
  readonly path: JSONPath;
  readonly isKey: boolean;
  readonly token?: Token;
  readonly range: Range;
  /** The document tree without the token under the cursor. */
  readonly root?: Node;
  /** A colon already follows the key being completed: insert only the key. */
  readonly colonAfter: boolean;
  /** A property or element follows: end the insertion with a comma. */
  readonly commaAfter: boolean;
}

export function placeAt(parsed: ParsedDocument, offset: number, ctx: FeatureContext): Place | undefined {
  const text = parsed.text;
  const found = tokenAt(text, offset);
  if (found === 'comment') return undefined;
  const token = found;
  const location = getLocation(text, offset);
  // Right after a complete key or value (no comma or colon yet): anything inserted would break the JSON.
  if (!token && location.previousNode) return undefined;
  const path = [...location.path];
  // jsonc-parser keeps isAtPropertyKey from an object before the cursor in an array.
  const isKey = location.isAtPropertyKey && typeof path[path.length - 1] !== 'number';
  const doc = ctx.document;
  const start = token?.start ?? offset;
  const end = token?.end ?? offset;
  const range = { start: doc.positionAt(start), end: doc.positionAt(end) };
  const repaired = token ? text.slice(0, token.start) + text.slice(token.end) : text;
  const root = token ? parseTree(repaired, [], { allowTrailingComma: true, disallowComments: false }) : parsed.json.root;
  const next = nextSignificant(text, end);
  const colonAfter = isKey && next === ':';
  const commaAfter = !colonAfter && next !== undefined && /["{[\-0-9tfn]/.test(next);
  return { parsed, ctx, path, isKey, token, range, root, colonAfter, commaAfter };
}

/** The string, number, keyword or stray word the cursor is in, at or right after; 'comment' inside a comment. */
function tokenAt(text: string, offset: number): Token | 'comment' | undefined {
  const scanner = createScanner(text, false);
  for (let kind: number = scanner.scan(); kind !== Tok.EOF; kind = scanner.scan()) {
    const start = scanner.getTokenOffset();
    const end = start + scanner.getTokenLength();
    if (start > offset) return undefined;
    if (offset > end) continue;
    // A token that starts at the cursor is replaced too (a completion there overwrites it), but not a comment.
    if (start === offset && kind !== Tok.StringLiteral && kind !== Tok.Unknown && kind !== Tok.NumericLiteral && kind !== Tok.TrueKeyword && kind !== Tok.FalseKeyword && kind !== Tok.NullKeyword) return undefined;
    switch (kind) {
      case Tok.LineCommentTrivia:
        return 'comment';
      case Tok.BlockCommentTrivia:
        return offset < end || !text.slice(start, end).endsWith('*/') ? 'comment' : undefined;
      case Tok.StringLiteral: {
        if (scanner.getTokenError() === UNEXPECTED_END_OF_STRING) {
          // Unterminated: the scanner took the rest of the line; the word at the cursor is what was typed.
          let stop = offset;
          while (stop < end && /[\w.$-]/.test(text[stop])) stop++;
          return { start, end: stop, kind: 'string', typed: text.slice(start + 1, offset) };
        }
        return { start, end, kind: 'string', typed: text.slice(start + 1, Math.min(offset, end - 1)) };
      }
      case Tok.Unknown:
      case Tok.NumericLiteral:
      case Tok.TrueKeyword:
      case Tok.FalseKeyword:
      case Tok.NullKeyword:
        return { start, end, kind: 'word', typed: text.slice(start, offset) };
      default:
        if (offset < end) return undefined;
    }
  }
  return undefined;
}

function nextSignificant(text: string, from: number): string | undefined {
  const m = /\S/.exec(text.slice(from));
  return m ? m[0] : undefined;
}

export function nodeAt(root: Node | undefined, path: JSONPath): Node | undefined {
  let node = root;
  for (const seg of path) {
    if (!node) return undefined;
    if (typeof seg === 'number') node = node.type === 'array' ? node.children?.[seg] : undefined;
    else node = objectEntries(node).get(seg);
  }
  return node;
}

