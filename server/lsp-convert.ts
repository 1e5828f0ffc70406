import { fileURLToPath } from 'node:url';
import { Diagnostic, DiagnosticSeverity, Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { withFix, type SourceProblem } from '../runtime/errors';

/** Between our problems and LSP's diagnostics; positions come from exact offsets where known. */
export function uriToPath(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    return fileURLToPath(uri);
  } catch {
    return uri;
  }
}

const SEVERITY: Record<SourceProblem['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export function rangeOf(doc: TextDocument, p: SourceProblem): Range {
  if (p.offset !== undefined) {
    return { start: doc.positionAt(p.offset), end: doc.positionAt(p.offset + (p.length ?? 0)) };
  }
  const line = Math.max(0, p.line - 1);
  const character = Math.max(0, p.column - 1);
  return { start: { line, character }, end: { line, character } };
}

export function toDiagnostic(doc: TextDocument, p: SourceProblem): Diagnostic {
  return {
    range: rangeOf(doc, p),
    severity: SEVERITY[p.severity],
    code: p.code,
    source: 'smartplug',
    message: withFix(p),
    ...(p.replacement !== undefined ? { data: { replacement: p.replacement } } : {}),
  };
}
