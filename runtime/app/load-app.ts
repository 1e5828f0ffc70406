/**
 * Reads an app folder: app.json (the configuration wizard), app.js (the script) and optionally
 * manifest.json. The only module of runtime/app that touches the file system; everything else
 * works on text so the editor can check unsaved buffers.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import { basename, join, resolve } from 'path';
import { hasErrors, SourceError, SourceProblem } from '../errors';
import type { AppJson } from './app-json-types';
import { nodeValue, parseJsonDocument, sortByPosition } from './json-tree';
import { AppJsonParse, parseAppJson } from './parse-app-json';

export { parseAppJson };
export type { AppJsonParse };

export interface AppPackage {
  /** Absolute path of the folder. */
  dir: string;
  /** app.json's `name`, else the folder's name. */
  name: string;
  /** app.json's `version`, else `0.0.0`. */
  version: string;
  appJsonFile: string;
  appJsonText: string;
  appJson: AppJson;
  scriptFile: string;
  /** app.js as text; not parsed here. */
  script: string;
  manifestFile?: string;
  manifest?: unknown;
  /** Problems that did not stop loading (there are no errors, or loading would have thrown). */
  warnings: SourceProblem[];
}

/**
 * Where an app's files are read from: the disk, or (in the editor) the open buffers over it, so
 * unsaved work is what gets checked.
 */
export interface FileSource {
  /** The file's text; throws like readFileSync (an error with `code`, ENOENT when absent). */
  readText(path: string): string;
  isDirectory(path: string): boolean;
  exists(path: string): boolean;
}

export const DISK_FILES: FileSource = {
  readText: (path) => readFileSync(path, 'utf8'),
  isDirectory: (path) => {
    try {
      return statSync(path).isDirectory();
    } catch {
      return false;
    }
  },
  exists: (path) => existsSync(path),
};

export const APP_JSON = 'app.json';
export const APP_SCRIPT = 'app.js';
export const MANIFEST = 'manifest.json';

/** Throws SourceError carrying every problem found when any of them is an error. */
export function loadAppFolder(dir: string, files: FileSource = DISK_FILES): AppPackage {
  const absDir = resolve(dir);
  if (!files.isDirectory(absDir)) {
    throw new SourceError([wholeFile(absDir, 'app-folder-missing', `${absDir} is not a folder`, 'give the path of the folder holding app.json and app.js')]);
  }
  const problems: SourceProblem[] = [];
  const appJsonFile = join(absDir, APP_JSON);
  const scriptFile = join(absDir, APP_SCRIPT);
  const manifestFile = join(absDir, MANIFEST);

  const appJsonRead = readText(files, appJsonFile);
  let parsed: AppJsonParse | undefined;
  if (appJsonRead.text !== undefined) {
    parsed = parseAppJson(appJsonRead.text, appJsonFile);
    problems.push(...parsed.problems);
  } else {
    problems.push(appJsonRead.missing
      ? wholeFile(appJsonFile, 'app-json-missing', `the app has no ${APP_JSON}`, `create ${APP_JSON} with { "input": {}, "guide": [] }`)
      : wholeFile(appJsonFile, 'app-json-unreadable', `cannot read ${APP_JSON}: ${appJsonRead.error}`));
  }

  const scriptRead = readText(files, scriptFile);
  if (scriptRead.text === undefined) {
    problems.push(scriptRead.missing
      ? wholeFile(scriptFile, 'app-script-missing', `the app has no ${APP_SCRIPT}`, `create ${APP_SCRIPT} with the app's script`)
      : wholeFile(scriptFile, 'app-script-unreadable', `cannot read ${APP_SCRIPT}: ${scriptRead.error}`));
  }

  const manifestRead = readText(files, manifestFile);
  let manifest: unknown;
  if (manifestRead.text !== undefined) {
    const doc = parseJsonDocument(manifestRead.text, manifestFile, { allowComments: false });
    problems.push(...doc.problems);
    if (doc.root && !hasErrors(doc.problems)) manifest = nodeValue(doc.root);
  } else if (!manifestRead.missing) {
    problems.push(wholeFile(manifestFile, 'manifest-unreadable', `cannot read ${MANIFEST}: ${manifestRead.error}`));
  }

  if (hasErrors(problems) || !parsed?.appJson || scriptRead.text === undefined || appJsonRead.text === undefined) {
    throw new SourceError(problems);
  }
  const appJson = parsed.appJson;
  return {
    dir: absDir,
    name: appJson.name ?? basename(absDir),
    version: appJson.version ?? '0.0.0',
    appJsonFile,
    appJsonText: appJsonRead.text,
    appJson,
    scriptFile,
    script: scriptRead.text,
    ...(manifestRead.text !== undefined ? { manifestFile, manifest } : {}),
    warnings: sortByPosition(problems),
  };
}

interface TextRead {
  text?: string;
  missing: boolean;
  error?: string;
}

function readText(files: FileSource, file: string): TextRead {
  try {
    // An editor's byte order mark is not part of the JSON or script; keeping it would shift
    // every column on line 1 and make JSON parsers reject the file.
    return { text: files.readText(file).replace(/^\uFEFF/, ''), missing: false };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return { missing: err.code === 'ENOENT', error: err.message };
  }
}

function wholeFile(file: string, code: string, message: string, fix?: string): SourceProblem {
  return { file, line: 0, column: 0, severity: 'error', code, message, ...(fix ? { fix } : {}) };
}

/** Child apps a parent may add with addChildApp: the app folders under APPDIR/children/ (none if it has none). */
export function loadChildPackages(dir: string): AppPackage[] {
  const root = join(dir, 'children');
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return [];
  }
  return names.map((n) => loadAppFolder(join(root, n)));
}
