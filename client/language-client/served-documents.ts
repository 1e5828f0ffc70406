/**
 * Which open documents are sent to the language server. The document selector has to be broad
 * (any JSON may name our schema in `$schema`), but sending every package-lock.json of many
 * megabytes over IPC would be work for nothing: a document is sent when its name is one of ours
 * (app.json, manifest.json, *.load.json, app.js, and the scenario runner's *.scenario.json,
 * instance.json and devices.json),
 * or when its start names one of our schemas. The server still decides what it serves (Expo's
 * app.json is sent, and left alone there). Pure.
 */
import { appFileKindFromName } from '../../server/service/app-file-kind';
import { kindFromName, kindFromSchema } from '../../server/service/document-kind';
import { isScriptPath } from '../activation/app-detection';

export function isServedDocument(path: string, head: string): boolean {
  return kindFromName(path) !== undefined || appFileKindFromName(path) !== undefined || isScriptPath(path) || kindFromSchema(head) !== undefined;
}
