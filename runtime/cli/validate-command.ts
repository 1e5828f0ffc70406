import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { lineColumnAt, withFix, type SourceProblem } from '../errors';
import { documentKind } from '../../server/service/document-kind';
import { parseDocument } from '../../server/service/parsed-document';
import { validateDocument } from '../../server/service/validation';
import { jsonText, terminalText } from './terminal-text';

export interface ValidateOptions {
  paths: string[];
  format: 'text' | 'json';
  out: (line: string) => void;
  err: (line: string) => void;
}

/** One problem as `--format json` prints it: 1-based, with the end of its range. */
export interface ValidationRecord {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: 'error' | 'warning' | 'info';
  code: string;
  message: string;
}

/**
 * `smartplug validate`: the language server's checks, headless, for app authors' CI. Folders are
 * searched for app.json, manifest.json and *.load.json. Exit status 1 when any error is found.
 */
export function validateCommand(o: ValidateOptions): number {
  if (o.paths.length === 0) {
    o.err('smartplug validate: give the files or folders to check, e.g. smartplug validate app.json or smartplug validate .');
    return 2;
  }
  const records: ValidationRecord[] = [];
  for (const file of expand(o.paths, o.err)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      records.push({ file, line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'error', code: 'file-unreadable', message: `cannot read the file: ${(e as Error).message}` });
      continue;
    }
    const kind = documentKind(file, text);
    if (!kind) {
      records.push({ file, line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'error', code: 'file-kind', message: 'not an app.json, manifest.json or *.load.json file (nor does it name one of their schemas in "$schema")' });
      continue;
    }
    const parsed = parseDocument(file, file, 0, kind, text);
    for (const p of validateDocument(parsed)) records.push(toRecord(text, p));
  }
  // Messages quote the files (property names, values), which may come from someone else's app.
  if (o.format === 'json') o.out(jsonText(records, 2));
  else for (const r of records) o.out(terminalText(`${r.file}:${r.line}:${r.column}: ${r.severity}: ${r.message} [${r.code}]`));
  return records.some((r) => r.severity === 'error') ? 1 : 0;
}

function toRecord(text: string, p: SourceProblem): ValidationRecord {
  const start = p.offset !== undefined ? lineColumnAt(text, p.offset) : { line: Math.max(1, p.line), column: Math.max(1, p.column) };
  const end = p.offset !== undefined ? lineColumnAt(text, p.offset + (p.length ?? 0)) : start;
  return { file: p.file, line: start.line, column: start.column, endLine: end.line, endColumn: end.column, severity: p.severity, code: p.code, message: withFix(p) };
}

const SKIP = new Set(['node_modules', '.git', 'dist']);

function expand(paths: string[], err: (line: string) => void): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (SKIP.has(name) || name.startsWith('.')) continue;
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name === 'app.json' || name === 'manifest.json' || name.endsWith('.load.json')) out.push(p);
    }
  };
  for (const p of paths) {
    try {
      if (statSync(p).isDirectory()) walk(p);
      else out.push(p);
    } catch {
      err(terminalText(`smartplug validate: ${p} does not exist`));
      out.push(p);
    }
  }
  return out;
}
