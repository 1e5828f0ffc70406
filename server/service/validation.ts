import { readFileSync } from 'node:fs';
import { findNodeAtOffset, type Node } from 'jsonc-parser';
import { checkLoadAction, checkManifest } from '../../runtime/load-actions';
import type { SourceProblem } from '../../runtime/errors';
import { devicesBeside, type ReadFile } from './devices-beside';
import { selectorFilterProblems } from './filter-checks';
import type { ParsedDocument } from './parsed-document';
import { schemaProblems } from './schema-validation';

/**
 * Who checks a document against the JSON Schemas: the server (`server`, for any LSP client and
 * `smartplug validate`), or the editor itself (`editor`: VS Code does, from the extension's
 * `jsonValidation`), in which case the server must not report the same mistakes again.
 */
export type SchemaLayer = 'server' | 'editor';

/**
 * The layer for one document, given the client's. An editor applies our schema by the file's name
 * only when the document names no `$schema` of its own: VS Code's JSON service then follows the
 * `$schema` URL instead (and cannot fetch ours), so for such a document the server keeps the
 * whole schema layer.
 */
export function layerFor(parsed: ParsedDocument, editorLayer: SchemaLayer): SchemaLayer {
  if (editorLayer === 'server') return 'server';
  const value = parsed.value;
  const namesSchema = value !== null && typeof value === 'object' && !Array.isArray(value) && typeof (value as Record<string, unknown>).$schema === 'string';
  return namesSchema ? 'server' : 'editor';
}

/**
 * Schema errors an editor's JSON service does not report: `"format": "regex"` is our own format
 * (a validator as the runtime compiles it), unknown to VS Code's JSON service.
 */
const UNCHECKED_BY_EDITORS = new Set(['schema-format']);

/** What VS Code's JSON service reports in every JSON file, schema or not. */
const REPORTED_BY_EDITORS = new Set(['json-syntax', 'json-duplicate-key']);

/**
 * Every problem of a document: syntax, then the JSON Schema, then the rules a schema cannot say.
 * Where a rule and the schema speak of the same property, one of them is kept: with the `server`
 * layer the rule's message (which names the fix precisely); with the `editor` layer the editor's
 * schema message, since the server cannot take that one back. Syntax errors never stop the other
 * checks.
 */
export function validateDocument(parsed: ParsedDocument, layer: SchemaLayer = 'server', readFile: ReadFile = readFromDisk): SourceProblem[] {
  const { rules, schema, anchorOf } = checkDocument(parsed, readFile);
  if (layer === 'editor') {
    const claimed = new Set(schema.filter((p) => !UNCHECKED_BY_EDITORS.has(p.code)).map((p) => anchorOf(p.offset)));
    return sorted(rules.filter((p) => !REPORTED_BY_EDITORS.has(p.code) && !claimed.has(anchorOf(p.offset))));
  }
  const claimed = new Set(rules.map((p) => anchorOf(p.offset)));
  return sorted(rules.concat(schema.filter((p) => !claimed.has(anchorOf(p.offset)))));
}

/**
 * The rule problems the `editor` layer leaves to the editor's schema message. Their quick fixes
 * (a did-you-mean, `10` for `"10"`) still apply: code actions offer them on the editor's diagnostic.
 */
export function problemsBehindEditorSchema(parsed: ParsedDocument, readFile: ReadFile = readFromDisk): SourceProblem[] {
  const shown = new Set(validateDocument(parsed, 'editor', readFile));
  return checkDocument(parsed, readFile).rules.filter((p) => !shown.has(p));
}

/**
 * The files beside a document (devices.json beside app.json) as they are on disk. The language
 * server may pass its own reader instead, which sees an editor's unsaved buffer first.
 */
function readFromDisk(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

interface DocumentCheck {
  readonly rules: SourceProblem[];
  readonly schema: SourceProblem[];
  /** The property a problem is about (its key's offset), so key and value problems meet. */
  readonly anchorOf: (offset: number | undefined) => number;
}

/** The rules and the schema, each run once per parse (the features ask more than once). */
const checks = new WeakMap<ParsedDocument, DocumentCheck>();

function checkDocument(parsed: ParsedDocument, readFile: ReadFile): DocumentCheck {
  let check = checks.get(parsed);
  if (!check) {
    const root = parsed.json.root;
    check = {
      rules: ruleProblems(parsed, readFile),
      schema: schemaProblems({ kind: parsed.kind, file: parsed.path, text: parsed.text, root, value: parsed.value }),
      anchorOf: (offset) => anchorAt(root, offset),
    };
    checks.set(parsed, check);
  }
  return check;
}

function sorted(problems: SourceProblem[]): SourceProblem[] {
  return problems.sort((a, b) => (a.offset ?? 0) - (b.offset ?? 0) || a.line - b.line || a.column - b.column);
}

function ruleProblems(parsed: ParsedDocument, readFile: ReadFile): SourceProblem[] {
  switch (parsed.kind) {
    case 'app': {
      if (!parsed.app) return parsed.json.problems;
      const filters = selectorFilterProblems(parsed.app, () => devicesBeside(parsed.path, readFile));
      return filters.length ? [...parsed.app.problems, ...filters] : parsed.app.problems;
    }
    case 'manifest':
      return [...parsed.json.problems, ...checkManifest(parsed.json)];
    case 'load':
      return [...parsed.json.problems, ...checkLoadAction(parsed.json)];
  }
}

function anchorAt(root: Node | undefined, offset: number | undefined): number {
  if (offset === undefined || !root) return -1;
  const node = findNodeAtOffset(root, offset, true);
  if (!node) return offset;
  if (node.parent?.type === 'property') return node.parent.offset;
  return node.offset;
}
