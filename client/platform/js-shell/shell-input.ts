/**
 * What the JS Shell terminal reads from its input line, before anything goes to the Thing: whether
 * the code typed so far is complete (Enter on `if (x) {` asks for more lines, as Node's REPL does),
 * which word Tab completes, and the expressions that ask the Thing for the names to offer.
 */
import * as acorn from 'acorn';
import { API_GLOBALS } from '../../../runtime/sandbox/api-globals';

/** The shell's own commands (a line starting with a period). */
export const SHELL_COMMANDS = ['.app', '.apps', '.shell', '.logs', '.restart', '.clear', '.help', '.exit'] as const;

/**
 * The word at the cursor Tab completes: a shell command at the start of the line (`.ap`), an app's
 * name after `.app` (all of it: names have spaces, `.app Hall l`), or a property path (`log.in`,
 * `state.`, `sett`).
 */
export const WORD_AT_CURSOR = /^\.[a-z]*$|(?<=^\.app\s+).*$|(?:[A-Za-z_$][\w$]*\.)*[\w$]*$/;

/**
 * True when `code` stops in the middle of something (an open bracket, string template, comment or
 * statement): Enter then asks for another line. Code that is wrong before its end is complete: the
 * Thing's answer names the syntax error.
 */
export function isIncomplete(code: string): boolean {
  if (!code.trim()) return false;
  try {
    acorn.parse(code, { ecmaVersion: 'latest', sourceType: 'script', allowReturnOutsideFunction: false });
    return false;
  } catch (e) {
    if (!(e instanceof SyntaxError)) return false;
    const err = e as SyntaxError & { pos?: number; raisedAt?: number };
    if (/^Unterminated (template|comment)/.test(err.message)) return true;
    // acorn reports where it stopped reading: at the end of the input, more was expected.
    return (err.raisedAt ?? err.pos ?? -1) >= code.trimEnd().length;
  }
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * The expression whose value (a string of names separated by spaces) lists the properties of the
 * object at `path` and of its prototypes (not Object.prototype's), or, for an empty path, the
 * global names of the context. Undefined when `path` is not a plain property path: completion
 * reads properties, it never calls what the user typed.
 */
export function namesExpression(path: string): string | undefined {
  const parts = path === '' ? [] : path.split('.');
  if (!parts.every((p) => IDENTIFIER.test(p))) return undefined;
  const target = parts.length ? parts.join('.') : 'globalThis';
  // One expression, so the Thing evaluates it as one execution; names only, never values.
  return `(function (o) { var seen = {}; var out = []; for (var p = o; p !== null && p !== undefined && p !== Object.prototype; p = Object.getPrototypeOf(p)) { var ks = Object.getOwnPropertyNames(p); for (var i = 0; i < ks.length; i++) { var k = ks[i]; if (!seen[k] && /^[A-Za-z_$][\\w$]*$/.test(k) && k.slice(0, 2) !== '__') { seen[k] = 1; out.push(k); } } if (typeof p !== 'object' && typeof p !== 'function') break; } return out.join(' '); })(${target})`;
}

/** The names a `namesExpression` answered with (the shell returns a string as a quoted literal). */
export function parseNames(result: unknown): string[] {
  if (typeof result !== 'string') return [];
  const text = /^'(.*)'$/s.exec(result)?.[1] ?? result;
  return text.split(' ').filter((n) => IDENTIFIER.test(n));
}

/** The names always offered for a word without a period: the script API's globals in an app, a few in the shell context. */
export function globalNames(inApp: boolean): readonly string[] {
  return inApp ? API_GLOBALS : ['devices', 'location', 'getSunriseAndSunset', 'Date', 'now', 'log', 'console'];
}

/** The part of a property path Tab completes: `state.co` → object `state`, partial name `co`. */
export function splitPath(word: string): { object: string; name: string } {
  const dot = word.lastIndexOf('.');
  return dot < 0 ? { object: '', name: word } : { object: word.slice(0, dot), name: word.slice(dot + 1) };
}
