/**
 * The human reporter: one line per step with ✓ or ✗, and for a failure what was expected and what
 * there was (a diff when both are JSON structures), where in the file, and the app's log.
 */
import { relative } from 'path';
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
          out(paint('bold', show(e.file)));
          break;
        case 'file-problem':
          out(`  ${paint(e.problem.severity === 'error' ? 'red' : 'dim', formatProblem({ ...e.problem, file: show(e.problem.file) }))}`);
          break;
        case 'scenario-start':
          out(`  ${e.name} ${paint('dim', `(line ${e.line})`)}`);
          break;
        case 'step': {
          const s = e.step;
          const mark = s.ok ? paint('green', '✓') : paint('red', '✗');
          out(`    ${mark} ${s.description} ${paint('dim', `[line ${s.line} · ${clockText(s.time)}]`)}`);
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
      return failed ? paint('red', text) : paint('green', text);
    },
  };
}

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
    for (const l of shown) lines.push(`        ${clockText(l.time)} ${l.level.padEnd(5)} ${l.message}`);
  }
  const notRun = r.notRun ? `; ${r.notRun} step${r.notRun === 1 ? '' : 's'} not run` : '';
  const time = `${Math.round(r.durationMs)} ms`;
  lines.push(r.ok ? `  ${paint('green', '✓ passed')} ${paint('dim', `(${time})`)}` : `  ${paint('red', '✗ failed')} ${paint('dim', `(${time}${notRun})`)}`);
  return lines.join('\n');
}

function isStructure(v: unknown): boolean {
  return v !== null && typeof v === 'object';
}

/** JSON, pretty; a text with line breaks as the text itself. */
function valueText(v: unknown): string {
  if (typeof v === 'string' && v.includes('\n')) return v;
  return JSON.stringify(v, null, 2) ?? String(v);
}

function indentBlock(text: string, indent: string): string {
  return text.split('\n').map((l) => indent + l).join('\n');
}

/** Message, expected and actual (or their diff), and where. */
export function formatFailure(f: Failure, scenarioFile: string, show: (file: string) => string, indent: string): string {
  const lines = [indentBlock(f.message, indent)];
  const hasExpected = 'expected' in f && f.expected !== undefined;
  const hasActual = 'actual' in f && f.actual !== undefined;
  if (hasExpected && hasActual && isStructure(f.expected) && isStructure(f.actual)) {
    lines.push(indentBlock(unifiedDiff(valueText(f.expected), valueText(f.actual)), indent));
  } else {
    for (const [label, has, v] of [['expected', hasExpected, f.expected], ['actual', hasActual, f.actual]] as const) {
      if (!has) continue;
      const text = valueText(v);
      lines.push(text.includes('\n') ? `${indent}${label}:\n${indentBlock(text, indent + '  ')}` : `${indent}${label}: ${text}`);
    }
  }
  lines.push(`${indent}at ${show(f.file ?? scenarioFile)}:${f.line}:${f.column}`);
  return lines.join('\n');
}
