/**
 * Hover: what the JSON Schema says of the property or value under the cursor (title,
 * markdownDescription or description, default, examples; for a value the schema names, that
 * value's own description). In app.json an input type shows its description and config shape, an
 * input name (its key, or an entry of input_fields) what that input is.
 */
import { findNodeAtOffset, type Node } from 'jsonc-parser';
import type { Hover } from 'vscode-languageserver';
import { isInputType } from '../../runtime/app/app-json-types';
import type { ParsedDocument } from '../service/parsed-document';
import { objectEntries } from '../../runtime/app/json-tree';
import { inputSummaryMarkdown, inputTypeMarkdown, pathOfNode } from './app-vocabulary';
import type { FeatureContext } from './context';
import { docsOf, type SchemaDocs, valueDescription } from './schema-docs';
import { schemasAt } from './schema-walk';

/** Examples longer than this (as JSON) are left out: a hover is not the place for a whole document. */
const MAX_EXAMPLE_LENGTH = 80;

export function doHover(parsed: ParsedDocument, offset: number, ctx: FeatureContext): Hover | null {
  const root = parsed.json.root;
  if (!root) return null;
  const node = findNodeAtOffset(root, offset, false);
  if (!node || node.type === 'object' || node.type === 'array' || node.type === 'property') return null;
  const isKey = node.parent?.type === 'property' && node.parent.children?.[0] === node;
  const path = pathOfNode(node);
  const contents = (isKey ? keyMarkdown(parsed, path) : valueMarkdown(parsed, path, node)) ?? null;
  if (!contents) return null;
  const range = { start: ctx.document.positionAt(node.offset), end: ctx.document.positionAt(node.offset + node.length) };
  return { contents: { kind: 'markdown', value: contents }, range };
}

function inputNode(parsed: ParsedDocument, name: string): Node | undefined {
  return objectEntries(objectEntries(parsed.json.root).get('input')).get(name);
}

function keyMarkdown(parsed: ParsedDocument, path: (string | number)[]): string | undefined {
  if (parsed.kind === 'app' && path.length === 2 && path[0] === 'input' && typeof path[1] === 'string') {
    return inputSummaryMarkdown(path[1], inputNode(parsed, path[1]));
  }
  return render(docsOf(schemasAt(parsed.kind, path, parsed.value)));
}

function valueMarkdown(parsed: ParsedDocument, path: (string | number)[], node: Node): string | undefined {
  const value: unknown = node.value;
  if (parsed.kind === 'app') {
    if (path.length === 3 && path[0] === 'input' && path[2] === 'type' && isInputType(value)) {
      return `**Input type** \`${value}\`\n\n${inputTypeMarkdown(value)}`;
    }
    const inList = path[path.length - 2] === 'input_fields' && typeof path[path.length - 1] === 'number';
    const isPageList = path.length === 4 && path[0] === 'guide';
    const isRepeatList = path.length === 4 && path[0] === 'input';
    if (inList && (isPageList || isRepeatList) && typeof value === 'string') {
      const input = inputNode(parsed, value);
      if (input) return inputSummaryMarkdown(value, input);
    }
  }
  const refs = schemasAt(parsed.kind, path, parsed.value);
  const docs = docsOf(refs);
  const described = valueDescription(refs, value);
  if (described !== undefined) return `${docs.title ? `**${docs.title}** ` : ''}\`${JSON.stringify(value)}\`\n\n${described}`;
  return render(docs);
}

/** Markdown of what the schema says of a place; undefined when it says nothing. */
export function render(docs: SchemaDocs): string | undefined {
  const parts: string[] = [];
  if (docs.title) parts.push(`**${docs.title}**`);
  if (docs.description) parts.push(docs.description);
  if (docs.hasDefault) parts.push(`Default: \`${JSON.stringify(docs.default)}\``);
  const examples = docs.examples.map((e) => JSON.stringify(e)).filter((e) => e.length <= MAX_EXAMPLE_LENGTH);
  if (examples.length > 0) parts.push(`${examples.length === 1 ? 'Example' : 'Examples'}: ${examples.map((e) => `\`${e}\``).join(', ')}`);
  return parts.length > 0 ? parts.join('\n\n') : undefined;
}
