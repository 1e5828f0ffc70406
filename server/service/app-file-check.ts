/**
 * The problems of a scenario, instance or devices file, found by the scenario runner's own checks
 * (runtime/scenario, runtime/app, runtime/devices) against the app the file belongs to, read
 * through the editor's buffers. Positions the runtime keeps as line and column only are widened to
 * the JSON value written there, and problems of the other files a scenario reads are shown where
 * the scenario names that file.
 */
import * as path from 'node:path';
import { findNodeAtOffset, parseTree, type Node } from 'jsonc-parser';
import { parseInstanceFile } from '../../runtime/app/instance-file';
import { parseJsonDocument } from '../../runtime/app/json-tree';
import { APP_JSON, type FileSource } from '../../runtime/app/load-app';
import type { SelectorCatalogue } from '../../runtime/app/config-types';
import { checkDevicesFile } from '../../runtime/devices/devices-file';
import { catalogueOf } from '../../runtime/app/instance-config';
import { lineColumnAt, type SourceProblem } from '../../runtime/errors';
import { diagnoseScenarioFile } from '../../runtime/scenario/diagnose';
import { parseScenarioFile } from '../../runtime/scenario/parse-scenario';
import type { AppFileKind } from './app-file-kind';
import { devicesRegistry } from './devices-file-registry';
import { appJsonParse } from './parsed-document';

export function checkAppFile(kind: AppFileKind, filePath: string, text: string, files: FileSource): SourceProblem[] | undefined {
  const problems = runtimeProblems(kind, filePath, text, files);
  return problems && placed(filePath, text, problems);
}

function runtimeProblems(kind: AppFileKind, filePath: string, text: string, files: FileSource): SourceProblem[] | undefined {
  switch (kind) {
    case 'scenario':
      return diagnoseScenarioFile(parseScenarioFile(text, filePath), files);
    case 'instance':
      return checkInstanceFile(filePath, text, files);
    case 'devices':
      // A devices.json of another tool is none of ours: only one in an app's folder is checked.
      return appFolderOf(filePath, files) === undefined ? undefined : checkDevicesFile(text, filePath).problems;
  }
}

/** The nearest folder, from the file's own upwards, that holds an app.json. */
export function appFolderOf(filePath: string, files: FileSource): string | undefined {
  for (let dir = path.dirname(filePath); ; dir = path.dirname(dir)) {
    if (files.exists(path.join(dir, APP_JSON))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * An instance.json against its app's app.json, and (when there is one beside it or in the app
 * folder) the devices.json its selectors choose from, as `smartplug run --config --devices` does.
 */
function checkInstanceFile(filePath: string, text: string, files: FileSource): SourceProblem[] | undefined {
  const appDir = appFolderOf(filePath, files);
  if (appDir === undefined) return undefined;
  const appJsonPath = path.join(appDir, APP_JSON);
  const appJson = appJsonParse(appJsonPath, files.readText(appJsonPath)).app?.appJson;
  // app.json cannot be read as an app: its own diagnostics say why; here only the syntax.
  if (!appJson) return parseJsonDocument(text.replace(/^\uFEFF/, ''), filePath, { allowComments: true }).problems;
  return parseInstanceFile(text, filePath, appJson, catalogueNear(filePath, appDir, files)).problems;
}

function catalogueNear(filePath: string, appDir: string, files: FileSource): SelectorCatalogue | undefined {
  for (const dir of new Set([path.dirname(filePath), appDir])) {
    const devicesPath = path.join(dir, 'devices.json');
    if (!files.exists(devicesPath)) continue;
    const registry = devicesRegistry(files.readText(devicesPath), devicesPath);
    return catalogueOf(registry);
  }
  return undefined;
}

/**
 * Problems of this file get an exact range: one kept as line and column covers the value that
 * starts there (an object or array only its first character). A problem of another file (the app's
 * app.json, a devices.json or instance.json it names) is shown on the string that names that file,
 * else at the top, saying where it is.
 */
function placed(filePath: string, text: string, problems: SourceProblem[]): SourceProblem[] {
  const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  return problems.map((p) => (p.file === filePath ? widened(text, root, p) : pointingAt(filePath, text, root, p)));
}

function widened(text: string, root: Node | undefined, p: SourceProblem): SourceProblem {
  if (p.offset !== undefined || p.line <= 0 || !root) return p;
  const offset = offsetOf(text, p.line, p.column);
  const node = findNodeAtOffset(root, offset, true);
  if (!node || node.offset !== offset) return { ...p, offset, length: 0 };
  const length = node.type === 'object' || node.type === 'array' ? 1 : node.length;
  return { ...p, offset, length };
}

function pointingAt(filePath: string, text: string, root: Node | undefined, p: SourceProblem): SourceProblem {
  const where = p.line > 0 ? `${path.relative(path.dirname(filePath), p.file)}:${p.line}:${Math.max(1, p.column)}` : path.relative(path.dirname(filePath), p.file);
  const naming = root ? stringNaming(root, path.dirname(filePath), p.file) : undefined;
  const at = naming ?? { offset: 0, length: 0 };
  // The runtime's replacement is for the other file's text, not this one's.
  const { replacement: _replacement, ...rest } = p;
  return { ...rest, file: filePath, message: `${where}: ${p.message}`, ...lineColumnAt(text, at.offset), offset: at.offset, length: at.length };
}

/** A string value naming `target` (or its folder: "app"), as a path relative to the scenario's folder. */
function stringNaming(root: Node, dir: string, target: string): Node | undefined {
  let folder: Node | undefined;
  const visit = (n: Node): Node | undefined => {
    if (n.type === 'string' && n.parent?.type === 'property' && n.parent.children?.[1] === n && typeof n.value === 'string') {
      const resolved = path.resolve(dir, n.value);
      if (resolved === target) return n;
      if (folder === undefined && resolved === path.dirname(target)) folder = n;
    }
    for (const c of n.children ?? []) {
      const found = visit(c);
      if (found) return found;
    }
    return undefined;
  };
  return visit(root) ?? folder;
}

function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return Math.min(text.length, offset + Math.max(0, column - 1));
}
