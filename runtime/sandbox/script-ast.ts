import * as acorn from 'acorn';
import { SourceError } from '../errors';

/** A node of acorn's ESTree output; typed loosely because we only walk and read positions. */
export interface AstNode {
  type: string;
  start: number;
  end: number;
  loc?: { start: { line: number; column: number }; end: { line: number; column: number } };
  [key: string]: unknown;
}

export interface ParsedScript {
  file: string;
  source: string;
  program: AstNode;
}

/** Parses app.js as a classic script (top-level functions become the app's named functions). */
export function parseScript(source: string, file: string): ParsedScript {
  try {
    const program = acorn.parse(source, { ecmaVersion: 'latest', sourceType: 'script', locations: true }) as unknown as AstNode;
    return { file, source, program };
  } catch (e) {
    const err = e as { message: string; loc?: { line: number; column: number } };
    const message = err.message.replace(/\s*\(\d+:\d+\)$/, '');
    throw new SourceError([
      {
        file,
        line: err.loc?.line ?? 0,
        column: (err.loc?.column ?? 0) + 1,
        severity: 'error',
        code: 'script-syntax',
        message: `syntax error: ${message}`,
        fix: 'correct the JavaScript at this place; app.js is a plain script (no import/export)',
      },
    ]);
  }
}

export function isNode(v: unknown): v is AstNode {
  return typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string';
}

/** Visits every node depth-first; `enter` returning false skips the node's children. */
export function walk(node: AstNode, enter: (node: AstNode, parent: AstNode | undefined) => boolean | void, parent?: AstNode): void {
  if (enter(node, parent) === false) return;
  for (const key of Object.keys(node)) {
    if (key === 'loc') continue;
    const child = node[key];
    if (Array.isArray(child)) {
      for (const c of child) if (isNode(c)) walk(c, enter, node);
    } else if (isNode(child)) {
      walk(child, enter, node);
    }
  }
}

const FUNCTION_TYPES = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);
export function isFunctionNode(n: AstNode): boolean {
  return FUNCTION_TYPES.has(n.type);
}

/**
 * Names the script defines at its top level as functions: `function f(){}` and
 * `const f = function(){}` / `const f = () => {}`. These are the handlers a script can name.
 */
export function topLevelFunctions(script: ParsedScript): Map<string, AstNode> {
  const out = new Map<string, AstNode>();
  for (const stmt of script.program.body as AstNode[]) {
    if (stmt.type === 'FunctionDeclaration') {
      const id = stmt.id as AstNode & { name: string };
      out.set(id.name, stmt);
    } else if (stmt.type === 'VariableDeclaration') {
      for (const decl of stmt.declarations as AstNode[]) {
        const id = decl.id as AstNode & { name?: string };
        const init = decl.init as AstNode | null;
        if (id.type === 'Identifier' && id.name && init && isFunctionNode(init)) out.set(id.name, init);
      }
    }
  }
  return out;
}

/** 1-based line and column of an offset, from acorn's location data when present. */
export function positionOf(node: AstNode): { line: number; column: number } {
  return node.loc ? { line: node.loc.start.line, column: node.loc.start.column + 1 } : { line: 0, column: 0 };
}
