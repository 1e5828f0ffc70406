import type { Position, Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';

/**
 * What a feature needs besides the parsed document: position arithmetic on the document's text,
 * and the other documents of the app (app.js beside app.json, and the reverse), whether open in
 * the editor or only on disk.
 */
export interface FeatureContext {
  readonly document: TextDocument;
  /** Text of another file: the editor's buffer when it is open, else the disk; undefined when absent. */
  readFile(path: string): string | undefined;
}

export function rangeAt(doc: TextDocument, offset: number, length: number): Range {
  return { start: doc.positionAt(offset), end: doc.positionAt(offset + length) };
}

export function offsetOf(doc: TextDocument, position: Position): number {
  return doc.offsetAt(position);
}
