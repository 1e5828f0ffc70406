/**
 * What the configuration guide's Save, Save As, Run, Debug and Install do with the instance the page made.
 * Save writes the instance file the values came from (an open editor of it is edited and saved,
 * so nothing the user typed there is overwritten behind their back); Save As asks for a new
 * named instance file; Run and Debug start the app with this config without writing the app's
 * own files; Install puts it on Things of the connected platform.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { InstanceObject, PageAction } from '../../guide/messages';
import { instanceFileText, namedInstanceFile } from './app-sources';
import type { GuideDevicesChoice } from '../platform/guide-devices';

export interface GuideActionHost {
  /** Starts the app in a Run App terminal with this instance file. */
  runApp(appDir: string, instanceFile: string): void;
  /** Installs the instance on Things of the connected platform (it asks which). */
  install(appDir: string, instance: InstanceObject): Promise<GuideActionResult>;
  /** Asks where the selectors' devices come from: devices.json, or a Thing of the connected platform. */
  chooseDevices(appName: string): Promise<GuideDevicesChoice | undefined>;
  /** A folder of the extension's own for files the user did not ask to keep (the instance Run uses). */
  scratchDir: string;
}

export interface GuideActionContext {
  appDir: string;
  instanceFile: string;
  instance: InstanceObject;
}

export interface GuideActionResult {
  ok: boolean;
  message: string;
  /** The instance file the panel now follows (after Save As). */
  instanceFile?: string;
}

export async function performGuideAction(action: PageAction, c: GuideActionContext, host: GuideActionHost): Promise<GuideActionResult> {
  const rel = (f: string) => vscode.workspace.asRelativePath(f);
  switch (action) {
    case 'save':
      await writeInstance(c.instanceFile, c.instance);
      return { ok: true, message: `Saved to ${rel(c.instanceFile)}.`, instanceFile: c.instanceFile };
    case 'saveAs': {
      const target = await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.file(path.join(c.appDir, namedInstanceFile(c.instance.name))),
        filters: { 'Instance files': ['json'] },
        title: 'Save the instance as',
        saveLabel: 'Save instance',
      });
      if (!target) return { ok: false, message: 'Not saved.' };
      await writeInstance(target.fsPath, c.instance);
      return { ok: true, message: `Saved to ${rel(target.fsPath)}.`, instanceFile: target.fsPath };
    }
    case 'run': {
      const file = scratchInstance(host, c);
      host.runApp(c.appDir, file);
      return { ok: true, message: `Running ${path.basename(c.appDir)} with this instance in the terminal "SmartPlug: ${path.basename(c.appDir)}".` };
    }
    case 'debug': {
      const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(c.appDir));
      const started = await vscode.debug.startDebugging(folder, { type: 'smartplug', request: 'launch', name: `Debug ${c.instance.name || path.basename(c.appDir)}`, app: c.appDir, instance: c.instance.config });
      return started ? { ok: true, message: `Debugging ${path.basename(c.appDir)} with this instance.` } : { ok: false, message: 'The debug session did not start: see the Debug Console.' };
    }
    case 'install':
      return host.install(c.appDir, c.instance);
  }
}

/** The instance Run uses, kept out of the app folder: Run must not change the app's own files. */
function scratchInstance(host: GuideActionHost, c: GuideActionContext): string {
  mkdirSync(host.scratchDir, { recursive: true });
  const file = path.join(host.scratchDir, `${path.basename(c.appDir)}.instance.json`);
  writeFileSync(file, instanceFileText(c.instance));
  return file;
}

async function writeInstance(file: string, instance: InstanceObject): Promise<void> {
  const text = instanceFileText(instance);
  const uri = vscode.Uri.file(file);
  const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file);
  if (open) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(open.positionAt(0), open.positionAt(open.getText().length)), text);
    if (!(await vscode.workspace.applyEdit(edit)) || !(await open.save())) throw new Error(`${vscode.workspace.asRelativePath(file)} could not be written`);
    return;
  }
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
}
