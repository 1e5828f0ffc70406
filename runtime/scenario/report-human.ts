/**
 * The human reporter: one line per step with ✓ or ✗, and for a failure what was expected and what
 * there was (a diff when both are JSON structures), where in the file, and the app's log.
 *
 * Much of what it prints comes from the app (log lines, error messages, values) or from files
 * (names, descriptions, problems), so every piece is escaped (runtime/cli/terminal-text.ts) before
 * the colour codes go round it: one-line pieces with terminalText, so an app's line break shows as
 * `\n`; blocks whose breaks are layout (failure messages, multi-line values, diffs) line by line
 * with terminalLines, every line indented under the step or scenario it belongs to. App text that a
 * failure quotes keeps its own breaks as `\n` there too (quotedAppText).
 */
import { relative } from 'path';
import { terminalLines, terminalText } from '../cli/terminal-text';
import { formatProblem } from '../errors';
import { unifiedDiff } from './line-diff';
import { summarize, type Failure, type FileResult, type RunEvent, type ScenarioResult } from './results';

export interface HumanReporterOptions {
  write: (text: string) => void;
  /** How file paths are shown; default relative to the working directory. */
  displayPath?: (file: string) => string;
  /** ANSI colours; default off (the CLI turns them on for a terminal). */
  color?: boolean;
  /** App log lines shown with a failed scenario; default 20. */
  logLines?: number;
}

export interface Reporter {
  onEvent(event: RunEvent): void;
}

const ANSI = { green: '\x1b[32m', red: '\x1b[31m', dim: '\x1b[2m', bold: '\x1b[1m', reset: '\x1b[0m' };

export function createHumanReporter(options: HumanReporterOptions): Reporter & { summary(results: readonly FileResult[]): string } {
  const show = options.displayPath ?? ((f: string) => relative(process.cwd(), f) || f);
  const paint = (c: keyof typeof ANSI, s: string) => (options.color ? `${ANSI[c]}${s}${ANSI.reset}` : s);
  const out = (s: string) => options.write(s + '\n');
  return {
    onEvent(e) {
      switch (e.type) {
        case 'file-start':
          out(paint('bold', terminalText(show(e.file))));
          break;
        case 'file-problem':
          out(`  ${paint(e.problem.severity === 'error' ? 'red' : 'dim', terminalText(formatProblem({ ...e.problem, file: show(e.problem.file) })))}`);
          break;
        case 'scenario-start':
          out(`  ${terminalText(e.name)} ${paint('dim', `(line ${e.line})`)}`);
          break;
        case 'step': {
          const s = e.step;
          const mark = s.ok ? paint('green', '✓') : paint('red', '✗');
          out(`    ${mark} ${terminalText(s.description)} ${paint('dim', `[line ${s.line} · ${clockText(s.time)}]`)}`);
          if (s.failure) out(formatFailure(s.failure, e.file, show, '        '));
          break;
        }
        case 'scenario-end':
          out(scenarioEnd(e.result, show, paint, options.logLines ?? 20));
          break;
        case 'file-end':
          break;
      }
    },
    summary(results) {
      const { passed, failed } = summarize(results);
      const text = `${passed} passed, ${failed} failed`;
      const unsandboxed = results.flatMap((f) => f.scenarios).filter((sc) => sc.permissionModel === false).length;
      const warning = unsandboxed ? `\n${paint('red', `warning: ${unsandboxed} scenario(s) ran without Node's permission model`)}` : '';
      return (failed ? paint('red', text) : paint('green', text)) + warning;
    },
  };
}

/** Shown under a scenario whose worker ran without Node's permission model. */
export const UNSANDBOXED_WARNING = "warning: the app ran without Node's permission model: it had the worker process's file, network and process access";

function clockText(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}Z`;
}

function scenarioEnd(r: ScenarioResult, show: (f: string) => string, paint: (c: keyof typeof ANSI, s: string) => string, logLines: number): string {
  const lines: string[] = [];
  if (r.failure) lines.push(formatFailure(r.failure, r.file, show, '      '));
  if (!r.ok && r.logs.length > 0 && logLines > 0) {
    const shown = r.logs.slice(-logLines);
    lines.push(`      app log${shown.length < r.logs.length ? ` (last ${shown.length} of ${r.logs.length} lines)` : ''}:`);
    // One record, one line: a log message's own line breaks show as \n.
    for (const l of shown) lines.push(`        ${clockText(l.time)} ${l.level.padEnd(5)} ${terminalText(l.message)}`);
  }
  if (r.permissionModel === false) lines.push(`      ${paint('red', UNSANDBOXED_WARNING)}`);
  const notRun = r.notRun ? `; ${r.notRun} step${r.notRun === 1 ? '' : 's'} not run` : '';
  const time = `${Math.round(r.durationMs)} ms`;
  lines.push(r.ok ? `  ${paint('green', '✓ passed')} ${paint('dim', `(${time})`)}` : `  ${paint('red', '✗ failed')} ${paint('dim', `(${time}${notRun})`)}`);
  return lines.join('\n');
}

function isStructure(v: unknown): boolean {
  return v !== null && typeof v === 'object';
}

/** JSON, pretty; a text with line breaks as the text itself, unless it is the app's (quoted). */
function valueText(v: unknown, quoted: readonly string[]): string {
  if (typeof v === 'string' && v.includes('\n') && !quoted.includes(v)) return v;
  return JSON.stringify(v, null, 2) ?? String(v);
}

/** Each line escaped and indented: nothing in the block can start a line of its own. */
function indentBlock(text: string, indent: string): string {
  return terminalLines(text).map((l) => indent + l).join('\n');
}

/**
 * The app's text with line breaks in it that the failure's message quotes, longest first. The
 * runner joins its findings with line breaks and quotes app text (an error message, log lines)
 * among them, so a break in the message may be either. But app text a message quotes is also the
 * failure's `actual` (a string, or a list of strings): inside those, a break is the app's, and is
 * shown as \n, in the message and in `actual`. Any other break starts an indented line of the
 * failure block (indentBlock).
 */
function quotedAppText(f: Failure): string[] {
  const actual: unknown[] = typeof f.actual === 'string' ? [f.actual] : Array.isArray(f.actual) ? f.actual : [];
  return actual.filter((a): a is string => typeof a === 'string' && /[\r\n]/.test(a) && f.message.includes(a)).sort((a, b) => b.length - a.length);
}

/** Message, expected and actual (or their diff), and where. */
export function formatFailure(f: Failure, scenarioFile: string, show: (file: string) => string, indent: string): string {
  const quoted = quotedAppText(f);
  let message = f.message;
  for (const q of quoted) message = message.split(q).join(terminalText(q));
  const lines = [indentBlock(message, indent)];
  const hasExpected = 'expected' in f && f.expected !== undefined;
  const hasActual = 'actual' in f && f.actual !== undefined;
  if (hasExpected && hasActual && isStructure(f.expected) && isStructure(f.actual)) {
    lines.push(indentBlock(unifiedDiff(valueText(f.expected, quoted), valueText(f.actual, quoted)), indent));
  } else {
    for (const [label, has, v] of [['expected', hasExpected, f.expected], ['actual', hasActual, f.actual]] as const) {
      if (!has) continue;
      const text = valueText(v, quoted);
      lines.push(text.includes('\n') ? `${indent}${label}:\n${indentBlock(text, indent + '  ')}` : `${indent}${label}: ${terminalText(text)}`);
    }
  }
  lines.push(`${indent}at ${terminalText(show(f.file ?? scenarioFile))}:${f.line}:${f.column}`);
  return lines.join('\n');
}
