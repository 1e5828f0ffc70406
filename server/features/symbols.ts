/**
 * The outline. app.json: "input" with one symbol per input (a repeat holding the inputs of its
 * input_fields), "guide" with one symbol per page (holding the inputs it shows), and the other
 * top-level properties. manifest.json and *.load.json: one symbol per property (an object's
 * properties, such as those of "flags", below it). Each symbol's range is the whole property
 * or element; its selection range is the name (or, for a list entry, the string).
 */
import type { Node } from 'jsonc-parser';
import { type DocumentSymbol, type Range, SymbolKind } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { ParsedDocument } from '../service/parsed-document';
import { objectEntries } from '../../runtime/app/json-tree';
import { stringValue } from './app-vocabulary';

interface Prop {
  readonly key: string;
  readonly keyNode: Node;
  readonly valueNode?: Node;
  /** The whole property node. */
  readonly node: Node;
}

function props(node: Node | undefined): Prop[] {
  if (!node || node.type !== 'object') return [];
  const out: Prop[] = [];
  for (const p of node.children ?? []) {
    const [keyNode, valueNode] = p.children ?? [];
    if (keyNode && typeof keyNode.value === 'string') out.push({ key: keyNode.value, keyNode, valueNode, node: p });
  }
  return out;
}

export function documentSymbols(parsed: ParsedDocument): DocumentSymbol[] {
  const root = parsed.json.root;
  if (!root || root.type !== 'object') return [];
  const doc = TextDocument.create(parsed.uri, 'json', parsed.version, parsed.text);
  const range = (n: Node): Range => ({ start: doc.positionAt(n.offset), end: doc.positionAt(n.offset + n.length) });
  return parsed.kind === 'app' ? appSymbols(root, range) : props(root).map((p) => propertySymbol(p, range));
}

function kindOfValue(node: Node | undefined): SymbolKind {
  switch (node?.type) {
    case 'object':
      return SymbolKind.Object;
    case 'array':
      return SymbolKind.Array;
    case 'string':
      return SymbolKind.String;
    case 'number':
      return SymbolKind.Number;
    case 'boolean':
      return SymbolKind.Boolean;
    case 'null':
      return SymbolKind.Null;
    default:
      return SymbolKind.Property;
  }
}

/** A scalar as written (shortened); nothing for objects and arrays. */
function scalarDetail(node: Node | undefined): string | undefined {
  if (!node || node.type === 'object' || node.type === 'array') return undefined;
  const s = JSON.stringify(node.value) ?? '';
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function symbol(name: string, kind: SymbolKind, range: Range, selectionRange: Range, detail?: string, children?: DocumentSymbol[]): DocumentSymbol {
  return {
    // An empty name is not allowed by LSP clients.
    name: name === '' ? '""' : name,
    ...(detail !== undefined && detail !== '' ? { detail } : {}),
    kind,
    range,
    selectionRange,
    ...(children ? { children } : {}),
  };
}

function propertySymbol(p: Prop, range: (n: Node) => Range): DocumentSymbol {
  const children = p.valueNode?.type === 'object' ? props(p.valueNode).map((c) => propertySymbol(c, range)) : undefined;
  return symbol(p.key, kindOfValue(p.valueNode), range(p.node), range(p.keyNode), scalarDetail(p.valueNode), children);
}

function appSymbols(root: Node, range: (n: Node) => Range): DocumentSymbol[] {
  const inputs = objectEntries(objectEntries(root).get('input'));
  /** A name in an input_fields list: kind Field, detail the type of the input it names. */
  const fieldSymbols = (list: Node | undefined): DocumentSymbol[] =>
    (list?.type === 'array' ? (list.children ?? []) : []).flatMap((el) => {
      const name = stringValue(el);
      if (name === undefined) return [];
      const type = stringValue(objectEntries(inputs.get(name)).get('type'));
      return [symbol(name, SymbolKind.Field, range(el), range(el), type)];
    });
  return props(root).map((p) => {
    if (p.key === 'input' && p.valueNode?.type === 'object') {
      const children = props(p.valueNode).map((input) => {
        const params = objectEntries(input.valueNode);
        const type = stringValue(params.get('type'));
        const display = stringValue(params.get('name'));
        const detail = [type, display].filter((s) => s !== undefined && s !== '').join(' · ');
        const members = type === 'repeat' ? fieldSymbols(params.get('input_fields')) : undefined;
        return symbol(input.key, SymbolKind.Field, range(input.node), range(input.keyNode), detail, members);
      });
      return symbol(p.key, SymbolKind.Object, range(p.node), range(p.keyNode), undefined, children);
    }
    if (p.key === 'guide' && p.valueNode?.type === 'array') {
      const children = (p.valueNode.children ?? []).map((page, i) => {
        const entries = objectEntries(page);
        const id = stringValue(entries.get('id'));
        const title = stringValue(entries.get('title'));
        // Named by what names it, and selected there; a page with neither is selected at its brace.
        const by = id ? entries.get('id') : title ? entries.get('title') : undefined;
        const name = id || title || `page ${i + 1}`;
        const selection = by ? range(by) : range({ ...page, length: Math.min(page.length, 1) });
        return symbol(name, SymbolKind.Object, range(page), selection, title, fieldSymbols(entries.get('input_fields')));
      });
      return symbol(p.key, SymbolKind.Array, range(p.node), range(p.keyNode), undefined, children);
    }
    return propertySymbol(p, range);
  });
}
