/**
 * Making app-controlled text safe to print on a terminal.
 *
 * `smartplug run` and `smartplug test` print what apps say: log and notification messages, error
 * messages, app labels (app.json "name"), device labels, event values. Printed raw, an app could
 * forge whole lines of output ("ok\n12:00:00.000 runtime  ERROR …"), send escape sequences the
 * terminal obeys (clear the screen, move the cursor, set the title, OSC 8 links, ring the bell),
 * overwrite what was printed (carriage return, backspace) or reorder a line with bidi overrides.
 *
 * The rule: every C0 control, DEL, every C1 control (U+0080–U+009F), the bidi embeddings and
 * overrides (U+202A–U+202E) and isolates (U+2066–U+2069), and the Unicode line and paragraph
 * separators (U+2028, U+2029, which some viewers break lines at) are shown as a visible escape:
 * `\n`, `\r`, `\t`, `\b`, `\f`, `\v`, else `\xHH` (up to U+00FF) or `\uHHHH`. Everything else,
 * backslashes included, is printed as it is, so paths and ordinary text read as before.
 *
 * This module imports nothing: the scenario reporters (runtime/scenario) use it too.
 */

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f', '\v': '\\v' };

function escapeOne(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * One line of output: app-controlled text with every control and reordering character escaped,
 * line breaks included, so it can neither start a line of its own nor drive the terminal. Escape
 * the text first, then add the CLI's own colour codes around it.
 */
export function terminalText(text: string): string {
  return text.replace(UNSAFE, escapeOne);
}

/**
 * A block whose line breaks are part of the layout (a scenario failure's message, a multi-line
 * value): the lines, each escaped as by terminalText. The caller indents every line under the line
 * the block belongs to, so no line of it can pass for a line of the report's own structure.
 */
export function terminalLines(text: string): string[] {
  return text.split(/\r?\n/).map(terminalText);
}

// In JSON text these characters can only occur inside strings, where \uHHHH means the same.
const JSON_UNSAFE = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * JSON for `--json` and `--format json`. JSON.stringify already escapes C0 controls (so no line
 * breaks or ESC), but leaves DEL, C1 controls and bidi characters raw; those are escaped as
 * `\uHHHH`, which parses back to the same value, so a terminal showing the JSON cannot be driven
 * by it either.
 */
export function jsonText(value: unknown, space?: number): string {
  const text = JSON.stringify(value, null, space) ?? 'null';
  return text.replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
