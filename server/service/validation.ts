import { findNodeAtOffset, type Node } from 'jsonc-parser';
import { checkLoadAction, checkManifest } from '../../runtime/load';
import type { SourceProblem } from '../../runtime/errors';
import type { ParsedDocument } from './parsed-document';
import { schemaProblems } from './schema-validation';

/**
 * Every problem of a document: syntax, then the JSON Schema, then the rules a schema cannot say.
 * Where a rule and the schema speak of the same property, the rule's message (which names the fix
 * precisely) is kept and the schema's dropped. Syntax errors never stop the other checks.
 */
export function validateDocument(parsed: ParsedDocument): SourceProblem[] {
  const rules = ruleProblems(parsed);
  const schema = schemaProblems({ kind: parsed.kind, file: parsed.path, text: parsed.text, root: parsed.json.root, value: parsed.value });
  const root = parsed.json.root;
  const claimed = new Set(rules.map((p) => anchorOf(root, p.offset)));
  const merged = rules.concat(schema.filter((p) => !claimed.has(anchorOf(root, p.offset))));
  return merged.sort((a, b) => (a.offset ?? 0) - (b.offset ?? 0) || a.line - b.line || a.column - b.column);
}

function ruleProblems(parsed: ParsedDocument): SourceProblem[] {
  switch (parsed.kind) {
    case 'app':
      return parsed.app?.problems ?? parsed.json.problems;
    case 'manifest':
      return [...parsed.json.problems, ...checkManifest(parsed.json)];
    case 'load':
      return [...parsed.json.problems, ...checkLoadAction(parsed.json)];
  }
}

/** The property a problem is about (its key's offset), so key and value problems meet. */
function anchorOf(root: Node | undefined, offset: number | undefined): number {
  if (offset === undefined || !root) return -1;
  const node = findNodeAtOffset(root, offset, true);
  if (!node) return offset;
  if (node.parent?.type === 'property') return node.parent.offset;
  return node.offset;
}
