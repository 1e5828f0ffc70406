/** Completion items as this server writes them: each replaces the token under the cursor. */
import { type CompletionItem, CompletionItemKind, InsertTextFormat } from 'vscode-languageserver';
import { SCHEMAS } from '../service/schemas';
import type { SchemaDocs } from './schema-docs';

import type { Place } from './completion-place';

export const TRIGGER_SUGGEST = { title: 'Suggest', command: 'editor.action.triggerSuggest' };

export function escapeSnippet(s: string): string {
  return s.replace(/[\\$}]/g, '\\$&');
}

export function markdown(value: string): { kind: 'markdown'; value: string } {
  return { kind: 'markdown', value };
}

/** An item for a property name; `value` is the snippet written after the colon. */
export function propertyItem(place: Place, key: string, value: string, extra: Partial<CompletionItem> = {}): CompletionItem {
  const quoted = escapeSnippet(JSON.stringify(key));
  const item: CompletionItem = {
    label: key,
    kind: CompletionItemKind.Property,
    filterText: JSON.stringify(key),
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: { range: place.range, newText: place.colonAfter ? quoted : `${quoted}: ${value}${place.commaAfter ? ',' : ''}` },
    ...extra,
  };
  // Only the key is replaced: the value is already there, so there is nothing to suggest for it.
  if (place.colonAfter) delete item.command;
  return item;
}

/** An item for a value, written as its JSON. */
export function valueItem(place: Place, value: unknown, extra: Partial<CompletionItem> = {}): CompletionItem {
  const json = JSON.stringify(value);
  return {
    label: typeof value === 'string' ? value : json,
    kind: CompletionItemKind.Value,
    filterText: json,
    insertTextFormat: InsertTextFormat.PlainText,
    textEdit: { range: place.range, newText: `${json}${place.commaAfter ? ',' : ''}` },
    ...extra,
  };
}

export function snippetItem(place: Place, label: string, body: string, extra: Partial<CompletionItem> = {}): CompletionItem {
  return {
    label,
    kind: CompletionItemKind.Snippet,
    // Always shown while the token is typed: its text is the input name the snippet starts with.
    filterText: place.token ? place.parsed.text.slice(place.token.start, place.token.end) : label,
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: { range: place.range, newText: `${body}${place.commaAfter ? ',' : ''}` },
    ...extra,
  };
}

export function withoutUndefined(item: CompletionItem): CompletionItem {
  for (const key of Object.keys(item) as (keyof CompletionItem)[]) if (item[key] === undefined) delete item[key];
  return item;
}

/**
 * `$schema`, with the URL of this kind's schema as its value. Offered last: it is for editors and
 * tools (a file of another name opts in with it), and written once if at all.
 */
export function schemaKeyItem(place: Place, docs: SchemaDocs): CompletionItem {
  const id = SCHEMAS.idOf[place.parsed.kind];
  return propertyItem(place, '$schema', `"\${1:${escapeSnippet(id)}}"`, {
    detail: docs.title ?? 'JSON Schema',
    documentation: markdown(docs.description ?? `The JSON Schema this file follows: \`${id}\`.`),
    sortText: '99',
  });
}

