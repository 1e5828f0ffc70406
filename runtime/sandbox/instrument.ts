import MagicString from 'magic-string';
import { SourceError } from '../errors';
import { AstNode, ParsedScript, walk } from './script-ast';

/** The guard the prelude defines; a script may not use this name itself. */
export const GUARD = '__spg';
/**
 * The script's own lexical alias of the guard, which the inserted calls use: a global of a vm
 * context is looked up through an interceptor (~100 ns a call), a script-level const is not (~5 ns).
 */
export const GUARD_ALIAS = '__spg_';

const LOOPS = new Set(['ForStatement', 'ForInStatement', 'ForOfStatement', 'WhileStatement', 'DoWhileStatement']);

export interface InstrumentedScript {
  code: string;
  /**
   * Debug sessions only: a source map (JSON text) from the instrumented code to app.js, so the
   * debugger shows and steps by the author's columns.
   */
  sourceMap?: string;
  /** Maps a (line, column) of the instrumented code back to app.js; lines never move. */
  originalColumn(line: number, column: number): number;
}

/**
 * Inserts a call to the execution guard at the top of every loop body and function body, so a
 * runaway loop or recursion is stopped without a per-call vm timeout (which costs ~80 µs a call).
 * Insertions never add a line break, so line numbers in stack traces stay those of app.js.
 */
export function instrument(script: ParsedScript, options: { sourceMap?: boolean } = {}): InstrumentedScript {
  const s = new MagicString(script.source);
  const inserted = new Map<number, { at: number; length: number }[]>();
  const lineStarts = computeLineStarts(script.source);
  const note = (offset: number, text: string) => {
    const line = lineOf(lineStarts, offset);
    const list = inserted.get(line) ?? [];
    list.push({ at: offset - lineStarts[line - 1] + 1, length: text.length });
    inserted.set(line, list);
  };
  const insert = (offset: number, text: string) => {
    s.appendLeft(offset, text);
    note(offset, text);
  };
  const call = `${GUARD_ALIAS}();`;
  const alias = `const ${GUARD_ALIAS} = ${GUARD};`;
  const directivesEnd = directivePrologueEnd(script.program);
  if (directivesEnd >= 0) insert(directivesEnd, `;${alias}`);
  else if (!script.source.startsWith('#!')) insert(0, alias);
  else {
    // A hashbang line must stay first: put the alias at the start of the next line.
    const newline = script.source.indexOf('\n');
    if (newline < 0) s.append(`\n${alias}`);
    else insert(newline + 1, alias);
  }

  walk(script.program, (node) => {
    const name = node.type === 'Identifier' ? (node as AstNode & { name: string }).name : undefined;
    if (name === GUARD || name === GUARD_ALIAS) {
      const loc = node.loc!.start;
      throw new SourceError([
        {
          file: script.file,
          line: loc.line,
          column: loc.column + 1,
          severity: 'error',
          code: 'script-reserved-name',
          message: `the name ${name} is reserved by the SmartPlug runtime`,
          fix: 'rename this identifier',
        },
      ]);
    }
    if (node.type === 'WithStatement') {
      // Inside `with (obj)`, the inserted guard calls would look their name up on obj first, so
      // an object with a property of that name would switch the CPU limit off.
      const loc = node.loc!.start;
      throw new SourceError([
        {
          file: script.file, line: loc.line, column: loc.column + 1, severity: 'error', code: 'script-with',
          message: 'with statements are not allowed in SmartPlug apps (they are forbidden in strict JavaScript, and they would hide the runtime\'s execution guard)',
          fix: 'name the object instead: replace with (o) { a = b } by o.a = o.b',
        },
      ]);
    }
    if (LOOPS.has(node.type)) guardBody(node.body as AstNode);
    if (node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression') {
      guardFunctionBody(node.body as AstNode);
    }
    if (node.type === 'ArrowFunctionExpression') {
      const body = node.body as AstNode;
      if (body.type === 'BlockStatement') guardFunctionBody(body);
      else {
        insert(body.start, `(${GUARD_ALIAS}(), `);
        s.appendRight(body.end, ')');
        note(body.end, ')');
      }
    }
    return true;
  });

  // After the directive prologue: a guard call before "use strict" would turn the directive into
  // a plain expression and the function sloppy.
  function guardFunctionBody(body: AstNode): void {
    const end = directivePrologueEnd(body);
    if (end < 0) insert(body.start + 1, call);
    else insert(end, `;${call}`);
  }

  function guardBody(body: AstNode): void {
    if (body.type === 'BlockStatement') {
      insert(body.start + 1, call);
    } else {
      insert(body.start, `{${call}`);
      s.appendRight(body.end, '}');
      note(body.end, '}');
    }
  }

  for (const list of inserted.values()) list.sort((a, b) => a.at - b.at);
  return {
    code: s.toString(),
    ...(options.sourceMap ? { sourceMap: s.generateMap({ hires: true, source: script.file, includeContent: true }).toString() } : {}),
    originalColumn(line, column) {
      let shift = 0;
      for (const ins of inserted.get(line) ?? []) {
        if (ins.at + shift < column) shift += ins.length;
        else break;
      }
      return Math.max(1, column - shift);
    },
  };
}

/** End offset of the last directive ("use strict") at the start of a program or function body; -1 if none. */
function directivePrologueEnd(block: AstNode): number {
  let end = -1;
  for (const stmt of block.body as AstNode[]) {
    if (stmt.type !== 'ExpressionStatement' || typeof stmt.directive !== 'string') break;
    end = stmt.end;
  }
  return end;
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function lineOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}
