/**
 * Bad input is reported as a SourceProblem: which file, where in it, what is wrong and how to fix it.
 * Every loader of user files (app.json, app.js, instance and devices files, scenarios) reports
 * problems this way so the CLI, the test runner and the editor can all point at the exact place.
 */
export type Severity = 'error' | 'warning' | 'info';

export interface SourceProblem {
  file: string;
  /** 1-based; 0 when the problem concerns the whole file. */
  line: number;
  /** 1-based; 0 when unknown. */
  column: number;
  severity: Severity;
  /** Stable identifier, e.g. `config-type`, `script-syntax`. */
  code: string;
  message: string;
  /** What the user should do about it. */
  fix?: string;
  /**
   * The exact range in the file, as a 0-based offset and a length, where the reporter knows it
   * (editors underline exactly this; `smartplug validate --format json` reports its end).
   */
  offset?: number;
  length?: number;
  /** Text that fixes the problem when it replaces the range (an editor offers it as a quick fix). */
  replacement?: string;
}

/**
 * A fix that is a literal: the words for the user, and the JSON text that replaces the problem's
 * range (what an editor's quick fix writes): `10` for "10", `"timeout"` for a misspelt name.
 */
export interface LiteralFix {
  readonly text: string;
  readonly replacement: string;
}

/** What a checker says to do: words, or words with the literal that does it. */
export type Fix = string | LiteralFix;

export function literalFix(text: string, replacement: string): LiteralFix {
  return { text, replacement };
}

/** Thrown when a file cannot be used at all; carries every problem found, not only the first. */
export class SourceError extends Error {
  constructor(readonly problems: SourceProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'SourceError';
  }
}

export function formatProblem(p: SourceProblem): string {
  const where = p.line > 0 ? `${p.file}:${p.line}:${p.column > 0 ? p.column : 1}` : p.file;
  const fix = p.fix ? ` Fix: ${p.fix}` : '';
  return `${where}: ${p.severity}: ${p.message}${fix} [${p.code}]`;
}

/** A problem's message followed by how to fix it, as editors and `smartplug validate` show it. */
export function withFix(p: Pick<SourceProblem, 'message' | 'fix'>): string {
  if (!p.fix) return p.message;
  return /[.?!:]$/.test(p.message) ? `${p.message} Fix: ${p.fix}` : `${p.message}. Fix: ${p.fix}`;
}

export function hasErrors(problems: readonly SourceProblem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}

/** Offset (0-based) to 1-based line and column. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
