import * as path from 'node:path';
import type { SourceProblem } from '../../runtime/errors';
import { checkAppFile } from './app-file-check';
import { appFileKindFromName } from './app-file-kind';
import { documentKind } from './document-kind';
import { editorFiles } from './editor-files';
import { appJsonParse, parseDocument } from './parsed-document';
import { checkScript } from './script-check';
import { validateDocument } from './validation';

/** One file checked by Validate Workspace: its text (for positions) and every problem. */
export interface CheckedFile {
  readonly uri: string;
  readonly path: string;
  readonly text: string;
  readonly problems: SourceProblem[];
}

/**
 * Validate Workspace: checks files that need not be open (the buffer when open, else the disk).
 * Files of none of our kinds are skipped. Everything is reported, schema errors included: an
 * editor's JSON service checks only open files.
 */
export function checkFiles(files: readonly { uri: string; path: string }[], readFile: (path: string) => string | undefined): CheckedFile[] {
  const out: CheckedFile[] = [];
  for (const { uri, path: filePath } of files) {
    const text = readFile(filePath);
    if (text === undefined) continue;
    const problems = problemsOfFile(uri, filePath, text, readFile);
    if (problems) out.push({ uri, path: filePath, text, problems });
  }
  return out;
}

/** A file's problems by its kind; undefined when it is none of ours. */
function problemsOfFile(uri: string, filePath: string, text: string, readFile: (path: string) => string | undefined): SourceProblem[] | undefined {
  if (path.basename(filePath) === 'app.js') return checkScript(filePath, text, readFile);
  const appFile = appFileKindFromName(filePath);
  if (appFile) return checkAppFile(appFile, filePath, text, editorFiles(readFile));
  const kind = documentKind(filePath, text);
  if (!kind) return undefined;
  // An app.json's parse is shared with the checks of its app.js and instance files in the same batch.
  return validateDocument(kind === 'app' ? appJsonParse(filePath, text) : parseDocument(uri, filePath, 0, kind, text));
}

/** How many files, errors and warnings: what Validate Workspace reports. */
export function countProblems(files: readonly CheckedFile[]): { files: number; errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const f of files) {
    for (const p of f.problems) {
      if (p.severity === 'error') errors++;
      else if (p.severity === 'warning') warnings++;
    }
  }
  return { files: files.length, errors, warnings };
}
