import type { Node } from 'jsonc-parser';
import { paramNode } from '../../runtime/app/app-json-checks';
import type { ParsedDocument } from '../service/parsed-document';

/** A name as written in app.json: the string node, and the range of the name inside its quotes. */
export interface NameNode {
  readonly name: string;
  readonly node: Node;
  /** Offset and length of the name without its quotes. */
  readonly offset: number;
  readonly length: number;
}

export interface AppJsonIndex {
  /** Where each input is declared: its key in "input". */
  readonly inputs: Map<string, NameNode>;
  /** Every place that names an input: guide pages' and repeats' input_fields. */
  readonly references: (NameNode & { readonly owner: 'guide' | 'repeat'; readonly ownerName: string })[];
}

function nameNode(node: Node | undefined): NameNode | undefined {
  if (!node || node.type !== 'string' || typeof node.value !== 'string') return undefined;
  // The node spans the quotes; names never contain escapes worth keeping positions through.
  return { name: node.value, node, offset: node.offset + 1, length: Math.max(0, node.length - 2) };
}

const indexes = new WeakMap<ParsedDocument, AppJsonIndex>();

/**
 * Inputs and the places that name them, read off the places the runtime's parse recorded
 * (AppJsonLocations: it works on a document with syntax errors too, on whatever jsonc-parser
 * recovered), once per parse.
 */
export function appIndexOf(parsed: ParsedDocument): AppJsonIndex {
  let index = indexes.get(parsed);
  if (!index) {
    index = buildIndex(parsed);
    indexes.set(parsed, index);
  }
  return index;
}

function buildIndex(parsed: ParsedDocument): AppJsonIndex {
  const inputs = new Map<string, NameNode>();
  const references: AppJsonIndex['references'] = [];
  const locations = parsed.app?.locations;
  if (!locations) return { inputs, references };
  for (const [name, location] of locations.inputs) {
    const n = nameNode(location.keyNode);
    if (n) inputs.set(name, n);
    const fields = paramNode(location, 'input_fields');
    for (const f of fields?.type === 'array' ? (fields.children ?? []) : []) {
      const r = nameNode(f);
      if (r) references.push({ ...r, owner: 'repeat', ownerName: name });
    }
  }
  locations.pages.forEach((page, i) => {
    const id = parsed.app?.appJson?.guide[i]?.id;
    const label = typeof id === 'string' ? id : `page ${i + 1}`;
    for (const f of page.fieldNodes) {
      const r = nameNode(f);
      if (r) references.push({ ...r, owner: 'guide', ownerName: label });
    }
  });
  return { inputs, references };
}

/** The input name at an offset: a declaration or a reference. */
export function nameAt(index: AppJsonIndex, offset: number): string | undefined {
  const within = (n: NameNode) => offset >= n.node.offset && offset <= n.node.offset + n.node.length;
  for (const n of index.inputs.values()) if (within(n)) return n.name;
  return index.references.find(within)?.name;
}
