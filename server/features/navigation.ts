import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ErrorCodes, Location, LSPErrorCodes, ResponseError, type Range, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { appJsonParse, type ParsedDocument } from '../service/parsed-document';
import { appIndexOf, nameAt, type AppJsonIndex } from './app-index';
import { configKeyLocations } from './config-keys';
import type { FeatureContext } from './context';
import { settingsReferences, type SettingsReference } from './script-settings';

/**
 * Go to definition, find references and rename for input names, across app.json (the "input"
 * keys, guide pages' and repeats' input_fields), app.js (`settings.X`, `config.X`) and the config
 * keys of the app's instance files and scenarios (config-keys.ts).
 */

/** An app: its app.json and app.js, whichever of the two the request came from. */
interface AppPair {
  json: { uri: string; path: string; doc: TextDocument; index: AppJsonIndex };
  /** The app's other files (instance files, scenarios), the editor's buffers over the disk. */
  readFile: (path: string) => string | undefined;
  script?: { uri: string; doc: TextDocument; refs: SettingsReference[] };
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function pairFromJson(parsed: ParsedDocument, ctx: FeatureContext): AppPair {
  const scriptPath = path.join(path.dirname(parsed.path), 'app.js');
  const scriptText = ctx.readFile(scriptPath);
  return {
    json: { uri: parsed.uri, path: parsed.path, doc: ctx.document, index: appIndexOf(parsed) },
    readFile: (p) => ctx.readFile(p),
    script: scriptText === undefined ? undefined : { uri: pathToFileURL(scriptPath).href, doc: TextDocument.create(pathToFileURL(scriptPath).href, 'javascript', 0, scriptText), refs: settingsReferences(scriptText) },
  };
}

/** The pair seen from app.js; undefined when there is no app.json beside it. */
export function pairFromScript(scriptUri: string, scriptPath: string, ctx: FeatureContext): AppPair | undefined {
  const jsonPath = path.join(path.dirname(scriptPath), 'app.json');
  const jsonText = ctx.readFile(jsonPath);
  if (jsonText === undefined) return undefined;
  const jsonUri = pathToFileURL(jsonPath).href;
  return {
    json: { uri: jsonUri, path: jsonPath, doc: TextDocument.create(jsonUri, 'json', 0, jsonText), index: appIndexOf(appJsonParse(jsonPath, jsonText)) },
    readFile: (p) => ctx.readFile(p),
    script: { uri: scriptUri, doc: ctx.document, refs: settingsReferences(ctx.document.getText()) },
  };
}

const range = (doc: TextDocument, offset: number, length: number): Range => ({ start: doc.positionAt(offset), end: doc.positionAt(offset + length) });

function declaration(pair: AppPair, name: string): Location | undefined {
  const n = pair.json.index.inputs.get(name);
  return n ? Location.create(pair.json.uri, range(pair.json.doc, n.offset, n.length)) : undefined;
}

function referencesOf(pair: AppPair, name: string, includeDeclaration: boolean): Location[] {
  const out: Location[] = [];
  if (includeDeclaration) {
    const d = declaration(pair, name);
    if (d) out.push(d);
  }
  for (const r of pair.json.index.references) if (r.name === name) out.push(Location.create(pair.json.uri, range(pair.json.doc, r.offset, r.length)));
  if (pair.script) for (const r of pair.script.refs) if (r.name === name) out.push(Location.create(pair.script.uri, range(pair.script.doc, r.offset, r.length)));
  // Only a declared input is a config key elsewhere: a misspelt reference names nothing there.
  if (pair.json.index.inputs.has(name)) out.push(...configKeyLocations(path.dirname(pair.json.path), name, pair.json.index, pair.readFile));
  return out;
}

function scriptNameAt(pair: AppPair, offset: number): SettingsReference | undefined {
  return pair.script?.refs.find((r) => offset >= r.offset && offset <= r.offset + r.length);
}

// ------------------------------------------------------------------ requests on app.json

export function findDefinition(parsed: ParsedDocument, offset: number, ctx: FeatureContext): Location | null {
  if (parsed.kind !== 'app') return null;
  const pair = pairFromJson(parsed, ctx);
  const name = nameAt(pair.json.index, offset);
  return (name && declaration(pair, name)) || null;
}

export function findReferences(parsed: ParsedDocument, offset: number, ctx: FeatureContext, includeDeclaration: boolean): Location[] | null {
  if (parsed.kind !== 'app') return null;
  const pair = pairFromJson(parsed, ctx);
  const name = nameAt(pair.json.index, offset);
  return name ? referencesOf(pair, name, includeDeclaration) : null;
}

export function prepareRename(parsed: ParsedDocument, offset: number, ctx: FeatureContext): Range | null {
  if (parsed.kind !== 'app') return null;
  const pair = pairFromJson(parsed, ctx);
  const index = pair.json.index;
  const at = [...index.inputs.values(), ...index.references].find((n) => offset >= n.node.offset && offset <= n.node.offset + n.node.length);
  if (!at) return null;
  if (!index.inputs.has(at.name)) throw new ResponseError(LSPErrorCodes.RequestFailed, `"${at.name}" is not an input of this app.json, so there is nothing to rename; correct the name or create the input first`);
  return range(ctx.document, at.offset, at.length);
}

export function doRename(parsed: ParsedDocument, offset: number, newName: string, ctx: FeatureContext): WorkspaceEdit | null {
  if (parsed.kind !== 'app') return null;
  const pair = pairFromJson(parsed, ctx);
  const name = nameAt(pair.json.index, offset);
  return name ? renameEdit(pair, name, newName) : null;
}

// ------------------------------------------------------------------ requests on app.js

export function scriptDefinition(pair: AppPair, offset: number): Location | null {
  const ref = scriptNameAt(pair, offset);
  return (ref && declaration(pair, ref.name)) || null;
}

export function scriptReferences(pair: AppPair, offset: number, includeDeclaration: boolean): Location[] | null {
  const ref = scriptNameAt(pair, offset);
  return ref ? referencesOf(pair, ref.name, includeDeclaration) : null;
}

export function scriptPrepareRename(pair: AppPair, offset: number): Range | null {
  const ref = scriptNameAt(pair, offset);
  if (!ref) return null;
  if (!pair.json.index.inputs.has(ref.name)) throw new ResponseError(LSPErrorCodes.RequestFailed, `"${ref.name}" is not an input of app.json; there is nothing to rename`);
  return range(pair.script!.doc, ref.offset, ref.length);
}

export function scriptRename(pair: AppPair, offset: number, newName: string): WorkspaceEdit | null {
  const ref = scriptNameAt(pair, offset);
  return ref ? renameEdit(pair, ref.name, newName) : null;
}

// ------------------------------------------------------------------ the edit

function renameEdit(pair: AppPair, name: string, newName: string): WorkspaceEdit {
  if (!NAME.test(newName)) {
    throw new ResponseError(ErrorCodes.InvalidParams, `"${newName}" cannot be an input name: use letters, digits and _ , not starting with a digit (app.js reads it as settings.${newName})`);
  }
  if (newName !== name && pair.json.index.inputs.has(newName)) throw new ResponseError(ErrorCodes.InvalidParams, `an input named "${newName}" already exists`);
  const changes: Record<string, TextEdit[]> = {};
  for (const loc of referencesOf(pair, name, true)) (changes[loc.uri] ??= []).push({ range: loc.range, newText: newName });
  return { changes };
}
