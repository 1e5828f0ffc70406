/**
 * What VS Code's own JSON language features do with our files. The extension contributes the
 * schemas through `jsonValidation`, so that service validates, completes and documents app.json,
 * manifests and load actions from them; the language server is told so and leaves that layer to
 * it, or every schema mistake and completion would appear twice.
 */
import * as vscode from 'vscode';
import type { SmartPlugInitializationOptions } from '../../server/protocol';

const JSON_EXTENSION = 'vscode.json-language-features';
const VALIDATE_SETTING = 'json.validate.enable';

/** Read at each start of the server: the user may have disabled the JSON extension or its validation. */
export function jsonServiceOptions(): SmartPlugInitializationOptions {
  if (!vscode.extensions.getExtension(JSON_EXTENSION)) return { editorValidatesSchemas: false, editorOffersSchemaItems: false };
  return {
    editorValidatesSchemas: vscode.workspace.getConfiguration().get<boolean>(VALIDATE_SETTING, true),
    editorOffersSchemaItems: true,
  };
}

/** Calls `changed` when what jsonServiceOptions() returns may have changed. */
export function onJsonServiceChange(changed: () => void): vscode.Disposable {
  const config = vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(VALIDATE_SETTING)) changed();
  });
  let present = vscode.extensions.getExtension(JSON_EXTENSION) !== undefined;
  const extensions = vscode.extensions.onDidChange(() => {
    const now = vscode.extensions.getExtension(JSON_EXTENSION) !== undefined;
    if (now !== present) changed();
    present = now;
  });
  return vscode.Disposable.from(config, extensions);
}
