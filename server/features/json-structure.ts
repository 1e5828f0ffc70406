/**
 * Folding and selection ranges: the same for every JSON document, so they come from
 * vscode-json-languageservice (the library behind VS Code's own JSON support), not from code of
 * ours. Our files have their own language id, so VS Code's JSON extension no longer provides them.
 */
import { type FoldingRange, getLanguageService, type JSONDocument, type Position, type SelectionRange } from 'vscode-json-languageservice';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ParsedDocument } from '../service/parsed-document';

/** No schemas and no fetching: only the structural features are asked of it. */
const service = getLanguageService({});

/** The library's own tree, built only when selection ranges are asked for, once per version. */
const trees = new WeakMap<ParsedDocument, JSONDocument>();

export function foldingRanges(document: TextDocument, rangeLimit?: number): FoldingRange[] {
  return service.getFoldingRanges(document, rangeLimit === undefined ? undefined : { rangeLimit });
}

export function selectionRanges(parsed: ParsedDocument, document: TextDocument, positions: Position[]): SelectionRange[] {
  let tree = trees.get(parsed);
  if (!tree) {
    tree = service.parseJSONDocument(document);
    trees.set(parsed, tree);
  }
  return service.getSelectionRanges(document, positions, tree);
}
