import type { Node } from 'jsonc-parser';
import { propertyValue } from '../../runtime/app/json-tree';
import { CodeAction, CodeActionKind, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ParsedDocument } from '../service/parsed-document';
import type { FeatureContext } from './context';

/** What a diagnostic carries for its quick fix (LSP Diagnostic.data). */
export interface FixData {
  /** Replace the diagnostic's range with this text. */
  replacement?: string;
}

/**
 * Quick fixes: replace with the did-you-mean, create a missing input, put an unused input on a
 * page. They act on diagnostics the server published (their `data` says what to write).
 */
export function codeActions(parsed: ParsedDocument | undefined, _range: Range, diagnostics: Diagnostic[], ctx: FeatureContext): CodeAction[] {
  return diagnostics.filter((d) => d.source === 'smartplug').flatMap((d) => fixesOf(parsed, d, ctx));
}

/** The fixes of one of the server's diagnostics. */
function fixesOf(parsed: ParsedDocument | undefined, d: Diagnostic, ctx: FeatureContext): CodeAction[] {
  const actions: CodeAction[] = [];
  const data = (d.data ?? {}) as FixData;
  if (data.replacement !== undefined) {
    actions.push(fix(`Change to ${data.replacement}`, d, { [ctx.document.uri]: [{ range: d.range, newText: data.replacement }] }, true));
  }
  if (parsed?.kind !== 'app') return actions;
  if (d.code === 'unknown-input' && data.replacement === undefined) {
    const name = nameInRange(ctx.document, d.range);
    const edit = name ? createInputEdit(parsed, ctx.document, name) : undefined;
    if (edit) actions.push(fix(`Create input "${name}"`, d, { [ctx.document.uri]: [edit] }, true));
  }
  if (d.code === 'input-unreachable') {
    const name = nameInRange(ctx.document, d.range);
    if (name) actions.push(...placeOnPageEdits(parsed, ctx.document, name).map(({ label, edit }) => fix(`Put "${name}" on ${label}`, d, { [ctx.document.uri]: [edit] }, false)));
  }
  return actions;
}

function fix(title: string, diagnostic: Diagnostic, changes: Record<string, TextEdit[]>, isPreferred: boolean): CodeAction {
  return { title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: { changes }, isPreferred };
}

function nameInRange(doc: TextDocument, range: Range): string | undefined {
  const text = doc.getText(range);
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'string' ? v : undefined;
  } catch {
    return /^[A-Za-z_]\w*$/.test(text) ? text : undefined;
  }
}

/** The value of a property of an object node (the last one, as JSON readers take it). */
function child(node: Node | undefined, key: string): Node | undefined {
  return node ? propertyValue(node, key) : undefined;
}

/** Indentation of the line an offset is on, and the unit one level deeper adds. */
function indentAt(doc: TextDocument, offset: number): string {
  const line = doc.positionAt(offset).line;
  const text = doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  return /^[ \t]*/.exec(text)![0];
}

function unitOf(doc: TextDocument): string {
  const m = /\n([ \t]+)"/.exec(doc.getText());
  return m ? (m[1].startsWith('\t') ? '\t' : m[1].length >= 4 ? '    ' : '  ') : '  ';
}

function createInputEdit(parsed: ParsedDocument, doc: TextDocument, name: string): TextEdit | undefined {
  const input = child(parsed.json.root, 'input');
  if (input?.type !== 'object') return undefined;
  const props = input.children ?? [];
  const unit = unitOf(doc);
  const pretty = name.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
  if (props.length === 0) {
    const indent = indentAt(doc, input.offset);
    return { range: { start: doc.positionAt(input.offset + 1), end: doc.positionAt(input.offset + input.length - 1) }, newText: `\n${indent}${unit}"${name}": { "type": "text", "name": "${pretty}" }\n${indent}` };
  }
  const last = props[props.length - 1];
  const indent = indentAt(doc, last.offset);
  const at = doc.positionAt(last.offset + last.length);
  return { range: { start: at, end: at }, newText: `,\n${indent}"${name}": {\n${indent}${unit}"type": "text",\n${indent}${unit}"name": "${pretty}"\n${indent}}` };
}

function placeOnPageEdits(parsed: ParsedDocument, doc: TextDocument, name: string): { label: string; edit: TextEdit }[] {
  const guide = child(parsed.json.root, 'guide');
  if (guide?.type !== 'array') return [];
  const out: { label: string; edit: TextEdit }[] = [];
  (guide.children ?? []).forEach((page, i) => {
    if (page.type !== 'object') return;
    const id = child(page, 'id');
    const title = child(page, 'title');
    const label = typeof id?.value === 'string' ? `page "${id.value}"` : typeof title?.value === 'string' ? `page "${title.value}"` : `page ${i + 1}`;
    const fields = child(page, 'input_fields');
    if (fields?.type === 'array') {
      const items = fields.children ?? [];
      const at = items.length ? doc.positionAt(items[items.length - 1].offset + items[items.length - 1].length) : doc.positionAt(fields.offset + 1);
      out.push({ label, edit: { range: { start: at, end: at }, newText: items.length ? `, "${name}"` : `"${name}"` } });
    } else if (!fields) {
      const props = page.children ?? [];
      const last = props[props.length - 1];
      if (!last) return;
      const at = doc.positionAt(last.offset + last.length);
      out.push({ label, edit: { range: { start: at, end: at }, newText: `,\n${indentAt(doc, last.offset)}"input_fields": ["${name}"]` } });
    }
  });
  return out;
}
