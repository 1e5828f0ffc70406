/**
 * A JS Shell expression made ready to run in a context: parsed as a script, instrumented exactly as
 * app.js is (the CPU guard in every loop and function, `with` refused, the guard's names reserved),
 * and wrapped in a block so it can run many times in one context (the guard's alias is a `const`)
 * while the script's completion value (`let x = 2; x * 3` gives 6) is still its result.
 */
import * as vm from 'node:vm';
import { SourceError } from '../errors';
import { instrument } from './instrument';
import { parseScript } from './script-ast';

/** The file name shell expressions have in stack traces and messages. */
export const SHELL_FILE = 'shell';
/** Longer expressions are refused unread. */
export const MAX_EXPRESSION_CHARS = 64 * 1024;

export type CompiledShell = { ok: true; script: vm.Script } | { ok: false; error: string };

export function compileShell(expression: string): CompiledShell {
  if (expression.length > MAX_EXPRESSION_CHARS) return { ok: false, error: `the expression is ${expression.length} characters; the limit is ${MAX_EXPRESSION_CHARS}` };
  let code: string;
  try {
    code = instrument(parseScript(expression, SHELL_FILE)).code;
  } catch (e) {
    if (!(e instanceof SourceError)) throw e;
    const p = e.problems[0];
    const what = p.code === 'script-syntax' ? `SyntaxError: ${p.message.replace(/^syntax error: /, '')}` : p.message;
    return { ok: false, error: `${what} (${SHELL_FILE}:${p.line}:${p.column})${p.code === 'script-syntax' ? '' : `; ${p.fix}`}` };
  }
  try {
    // The line break: a trailing line comment must not swallow the closing brace.
    return { ok: true, script: new vm.Script(`{${code}\n}`, { filename: SHELL_FILE }) };
  } catch (e) {
    // What acorn accepts and V8 does not (few early errors): V8's message.
    return { ok: false, error: `SyntaxError: ${(e as Error).message}` };
  }
}
