/**
 * Our files have a language of their own, `smartplug-json` (package.json `contributes.languages`:
 * app.json, manifest.json, *.load.json; JSON's grammar and editing rules). VS Code's JSON extension
 * serves only `json` and `jsonc`, so it stays away from them and every problem, completion, hover
 * and outline comes from our server alone, once.
 *
 * The file name is not the whole story: another tool's app.json or manifest.json (Expo, a web app
 * manifest) goes back to `json`, where VS Code's JSON support serves it as before; and a JSON file
 * of any name that names one of our schemas in `$schema` becomes ours.
 */
import * as vscode from 'vscode';
import { LANGUAGE_HEAD, languageFor, SMARTPLUG_JSON } from './language-id';

/** Follows every document opened from now on, and those open already. */
export function followDocumentLanguages(log: vscode.LogOutputChannel): vscode.Disposable {
  const follow = (document: vscode.TextDocument): void => {
    if (document.uri.scheme !== 'file' && document.uri.scheme !== 'untitled') return;
    const head = document.getText(new vscode.Range(new vscode.Position(0, 0), document.positionAt(LANGUAGE_HEAD)));
    const wanted = languageFor(document.uri.fsPath, head, document.languageId);
    if (!wanted) return;
    log.info(`${vscode.workspace.asRelativePath(document.uri)}: ${wanted === SMARTPLUG_JSON ? 'names a SmartPlug schema' : "is another tool's file"}, so its language is ${wanted}.`);
    vscode.languages.setTextDocumentLanguage(document, wanted).then(undefined, (e: unknown) => log.warn(`Could not set the language of ${document.uri.fsPath}: ${e instanceof Error ? e.message : String(e)}`));
  };
  vscode.workspace.textDocuments.forEach(follow);
  return vscode.workspace.onDidOpenTextDocument(follow);
}
