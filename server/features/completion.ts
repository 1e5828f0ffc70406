/**
 * Completion in app.json, manifest.json and *.load.json. Where the cursor is comes from
 * jsonc-parser's `getLocation`, which reads broken text too; what is already written comes from
 * a tree of the text with the token under the cursor taken out (so a half-typed key does not
 * break the object it is in). Every item replaces the whole token under the cursor, quotes
 * included, so accepting it leaves valid JSON; a comma is added when a value follows.
 */
import type { CompletionList } from 'vscode-languageserver';
import type { ParsedDocument } from '../service/parsed-document';
import type { FeatureContext } from './context';
import { placeAt } from './completion-place';
import { completeApp } from './app-json-completion';
import { completeLoad } from './load-completion';

export function doComplete(parsed: ParsedDocument, offset: number, ctx: FeatureContext): CompletionList {
  const place = placeAt(parsed, offset, ctx);
  if (!place) return { isIncomplete: false, items: [] };
  const items = parsed.kind === 'app' ? completeApp(place) : completeLoad(place);
  return { isIncomplete: false, items };
}

