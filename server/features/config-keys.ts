/**
 * Where an input's name is written as a config key outside app.json: the app's instance files
 * (instance.json, *.instance.json) and its scenarios' configs (`"config"` of the file and of each
 * scenario, `"update"` steps, and the instance files they name). Rename and find references use
 * it, so renaming an input keeps the app's tests and configs working.
 */
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseTree, type Node } from 'jsonc-parser';
import { Location } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { propertyValue } from '../../runtime/app/json-tree';
import { appFileKindFromName } from '../service/app-file-kind';
import type { AppJsonIndex } from './app-index';
import { rangeAt } from './context';

/** Folders never searched for an app's files. */
const SKIPPED = new Set(['node_modules', '.git', '.smartplug']);
const MAX_DEPTH = 4;

export function configKeyLocations(appDir: string, name: string, index: AppJsonIndex, readFile: (path: string) => string | undefined): Location[] {
  const { instances, scenarios } = appFilesUnder(appDir);
  const out: Location[] = [];
  const configFiles = new Set(instances);
  // A repeat's member is a key of the repeat's entries, not of the config itself.
  const repeat = index.references.find((r) => r.owner === 'repeat' && r.name === name)?.ownerName;
  const keysIn = (config: Node | undefined, doc: TextDocument): void => {
    for (const key of configKeys(config, name, repeat)) out.push(Location.create(doc.uri, rangeAt(doc, key.offset + 1, key.length - 2)));
  };
  for (const file of scenarios) {
    const doc = documentOf(file, readFile);
    const root = doc && parseTree(doc.getText(), [], { allowTrailingComma: true });
    if (!doc || root?.type !== 'object') continue;
    const configs: (Node | undefined)[] = [propertyValue(root, 'config')];
    for (const scenario of arrayItems(propertyValue(root, 'scenarios'))) {
      configs.push(propertyValue(scenario, 'config'));
      for (const step of arrayItems(propertyValue(scenario, 'steps'))) configs.push(propertyValue(step, 'update'));
    }
    for (const config of configs) {
      if (config?.type === 'object') keysIn(config, doc);
      else if (config?.type === 'string' && typeof config.value === 'string') configFiles.add(path.resolve(path.dirname(file), config.value));
    }
  }
  for (const file of configFiles) {
    const doc = documentOf(file, readFile);
    const root = doc && parseTree(doc.getText(), [], { allowTrailingComma: true });
    if (doc && root) keysIn(instanceConfig(root, index), doc);
  }
  return out;
}

/** The key nodes naming `name` in a config object (or in the entries of its repeat). */
function configKeys(config: Node | undefined, name: string, repeat: string | undefined): Node[] {
  if (config?.type !== 'object') return [];
  const objects = repeat === undefined ? [config] : arrayItems(propertyValue(config, repeat));
  const keys: Node[] = [];
  for (const object of objects) {
    for (const prop of object.type === 'object' ? (object.children ?? []) : []) {
      const key = prop.children?.[0];
      if (key?.value === name) keys.push(key);
    }
  }
  return keys;
}

/**
 * The config of an instance file: seed 003's API body `{ …, "config": { … } }` or the bare config,
 * told apart as the runtime does (runtime/app/instance-file.ts).
 */
function instanceConfig(root: Node, index: AppJsonIndex): Node | undefined {
  if (root.type !== 'object') return undefined;
  const config = propertyValue(root, 'config');
  const hasApiIds = propertyValue(root, 'app_id') !== undefined || propertyValue(root, 'installation_id') !== undefined;
  return config?.type === 'object' && (!index.inputs.has('config') || hasApiIds) ? config : root;
}

function arrayItems(node: Node | undefined): Node[] {
  return node?.type === 'array' ? (node.children ?? []) : [];
}

function documentOf(file: string, readFile: (path: string) => string | undefined): TextDocument | undefined {
  const text = readFile(file);
  return text === undefined ? undefined : TextDocument.create(pathToFileURL(file).href, 'jsonc', 0, text);
}

/** The instance and scenario files in the app folder and its subfolders (not in another app's). */
function appFilesUnder(appDir: string): { instances: string[]; scenarios: string[] } {
  const instances: string[] = [];
  const scenarios: string[] = [];
  const walk = (dir: string, depth: number): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    if (depth > 0 && entries.some((e) => e.isFile() && e.name === 'app.json')) return;
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (depth < MAX_DEPTH && !SKIPPED.has(e.name)) walk(full, depth + 1);
      } else if (e.isFile()) {
        const kind = appFileKindFromName(e.name);
        if (kind === 'scenario') scenarios.push(full);
        else if (kind === 'instance') instances.push(full);
      }
    }
  };
  walk(appDir, 0);
  return { instances, scenarios };
}
