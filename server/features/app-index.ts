import type { Node } from 'jsonc-parser';
import { propertyValue } from '../../runtime/app/json-tree';

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

/** The value of a property of an object node (the last one, as JSON readers take it). */
function child(node: Node | undefined, key: string): Node | undefined {
  return node ? propertyValue(node, key) : undefined;
}

function nameNode(node: Node): NameNode | undefined {
  if (node.type !== 'string' || typeof node.value !== 'string') return undefined;
  // The node spans the quotes; names never contain escapes worth keeping positions through.
  return { name: node.value, node, offset: node.offset + 1, length: Math.max(0, node.length - 2) };
}

/**
 * Inputs and the places that name them, read straight from the tree so it works on a document
 * with syntax errors too (whatever jsonc-parser recovered).
 */
export function indexAppJson(root: Node | undefined): AppJsonIndex {
  const inputs = new Map<string, NameNode>();
  const references: AppJsonIndex['references'] = [];
  const inputObject = child(root, 'input');
  for (const prop of inputObject?.type === 'object' ? (inputObject.children ?? []) : []) {
    const key = prop.children?.[0];
    const n = key ? nameNode(key) : undefined;
    if (!n) continue;
    if (!inputs.has(n.name)) inputs.set(n.name, n);
    const fields = child(prop.children?.[1], 'input_fields');
    for (const f of fields?.type === 'array' ? (fields.children ?? []) : []) {
      const r = nameNode(f);
      if (r) references.push({ ...r, owner: 'repeat', ownerName: n.name });
    }
  }
  const guide = child(root, 'guide');
  (guide?.type === 'array' ? (guide.children ?? []) : []).forEach((page, i) => {
    const fields = child(page, 'input_fields');
    const id = child(page, 'id');
    const label = typeof id?.value === 'string' ? id.value : `page ${i + 1}`;
    for (const f of fields?.type === 'array' ? (fields.children ?? []) : []) {
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
