import { readFileSync } from 'node:fs';
import { findNodeAtOffset, type Node } from 'jsonc-parser';
import { checkLoadAction, checkManifest } from '../../runtime/load-actions';
import type { SourceProblem } from '../../runtime/errors';
import { devicesBeside, devicesTextBeside, type ReadFile } from './devices-beside';
import { selectorFilterProblems } from './filter-checks';
import type { ParsedDocument } from './parsed-document';
import { isCleanAppJson } from './clean-app-json';
import { withoutConsequences } from './consequences';
import { withTypeSuggestion } from './input-type-hint';
import { schemaProblems } from './schema-validation';

/**
 * Every problem of a document: syntax, then the JSON Schema, then the rules a schema cannot say.
 * Where a rule and the schema speak of the same property, the rule's message is kept (it names the
 * fix precisely). A consequence of another problem is left out (see consequences.ts): the cause
 * says it. Syntax errors never stop the other checks.
 */
export function validateDocument(parsed: ParsedDocument, readFile: ReadFile = readFromDisk): SourceProblem[] {
  // Most documents have no problem: vouched for without building the tree (clean-app-json.ts).
  if (parsed.kind === 'app' && parsed.strictValue !== undefined && isCleanAppJson(parsed.text, parsed.strictValue)) return [];
  return problemsFromTree(parsed, readFile);
}

/** Every problem, found on the tree with its place: what validateDocument does when the fast path cannot vouch. */
export function problemsFromTree(parsed: ParsedDocument, readFile: ReadFile = readFromDisk): SourceProblem[] {
  const { rules, schema, anchorOf } = checkDocument(parsed, readFile);
  const claimed = new Set(rules.map((p) => anchorOf(p.offset)));
  return sorted(withoutConsequences(rules.concat(schema.filter((p) => !claimed.has(anchorOf(p.offset)))), parsed.text));
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
  /** The devices.json beside app.json that the rules read (its selector filters' meta keys). */
  readonly devicesText: string | undefined;
  readonly rules: SourceProblem[];
  readonly schema: SourceProblem[];
  /** The property a problem is about (its key's offset), so key and value problems meet. */
  readonly anchorOf: (offset: number | undefined) => number;
}

/**
 * The rules and the schema, each run once per parse (the features ask more than once), and again
 * when the devices.json beside app.json changed (an edit there changes what a filter can match).
 */
const checks = new WeakMap<ParsedDocument, DocumentCheck>();

function checkDocument(parsed: ParsedDocument, readFile: ReadFile): DocumentCheck {
  let check = checks.get(parsed);
  const devicesText = parsed.kind === 'app' ? devicesTextBeside(parsed.path, readFile) : undefined;
  if (!check || check.devicesText !== devicesText) {
    const root = parsed.json.root;
    check = {
      devicesText,
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
      const problems = parsed.app.problems.map((p) => withTypeSuggestion(p, parsed.text));
      const filters = selectorFilterProblems(parsed.app, () => devicesBeside(parsed.path, readFile));
      return filters.length ? [...problems, ...filters] : problems;
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
