/**
 * Formatting with jsonc-parser's formatter, keeping the file's line ending and ending the file
 * with one. A document with syntax errors is left alone: formatting a guess of its structure could
 * move the user's half-typed text somewhere else.
 */
import { format } from 'jsonc-parser';
import type { FormattingOptions, TextEdit } from 'vscode-languageserver';
import type { ParsedDocument } from '../service/parsed-document';
import type { FeatureContext } from './context';

export function formatDocument(parsed: ParsedDocument, options: FormattingOptions, ctx: FeatureContext): TextEdit[] {
  if (parsed.json.problems.some((p) => p.code === 'json-syntax')) return [];
  const text = parsed.text;
  const eolMatch = /\r\n|\n|\r/.exec(text);
  const eol = eolMatch ? eolMatch[0] : '\n';
  const edits = format(text, undefined, {
    tabSize: options.tabSize,
    insertSpaces: options.insertSpaces,
    eol,
    insertFinalNewline: true,
    keepLines: false,
  });
  return edits.map((e) => ({
    range: { start: ctx.document.positionAt(e.offset), end: ctx.document.positionAt(e.offset + e.length) },
    newText: e.content,
  }));
}
