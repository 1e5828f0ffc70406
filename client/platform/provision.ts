/**
 * Provisioning from the views: an app (its latest version) or one version of it, dropped onto one
 * Thing, several selected Things (one bulk action), or a Template (template-rollout.ts: a dry-run
 * diff, confirmed, then a staged rollout). The instance config comes from the app's folder in the workspace:
 * instance.json, or a named *.instance.json picked in a quick pick. Progress shows until every
 * Thing reports the app running; each failure is reported with its reason.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { InstanceInput, ThingView } from '../../platform/protocol/api-types';
import type { LivePlatform } from '../../platform/remote/live-platform';
import { readInstanceFile } from '../../platform/deploy/instance-file';
import { readAppJson } from '../guide/app-sources';
import { provisionTemplate, type RolloutOutcome } from './template-rollout';

export interface DroppedApp {
  appId: number;
  /** a version dragged; undefined: the app's latest */
  version?: string;
}

export type DropTarget = { kind: 'things'; thingIds: string[] } | { kind: 'template'; templateId: string };

/** How each Thing ended: running, or failed with why. */
export interface ProvisionOutcome {
  running: string[];
  failed: Array<{ thingId: string; reason: string }>;
  /** Things that said nothing in time */
  silent: string[];
}

/** Waits this long for Things to report the app running. */
const SETTLE_MS = 120_000;

export async function provisionDrop(live: LivePlatform, dropped: DroppedApp, target: DropTarget, appFolders: () => Promise<vscode.Uri[]>, log: vscode.LogOutputChannel): Promise<ProvisionOutcome | RolloutOutcome | undefined> {
  const app = live.apps.find((a) => a.appId === dropped.appId);
  if (!app) return undefined;
  const version = dropped.version ?? app.latestVersion;
  const instance = await chooseInstance(app.name, appFolders);
  if (!instance) return undefined;
  const input: InstanceInput = { app_id: app.appId, version, config: instance.config, name: instance.name };
  const label = `${instance.name} (${app.name} ${version})`;
  try {
    if (target.kind === 'template') return await provisionTemplate(live, target.templateId, input, label, log);
    return await provisionThings(live, target.thingIds, input, label, log);
  } catch (e) {
    void vscode.window.showErrorMessage(`${label} was not provisioned: ${(e as Error).message}`);
    return undefined;
  }
}

/** Adds the instance to these Things' own apps (one call, or one bulk action), then follows them until each runs it. */
async function provisionThings(live: LivePlatform, thingIds: string[], input: InstanceInput, label: string, log: vscode.LogOutputChannel): Promise<ProvisionOutcome> {
  const title = `Provisioning ${label} on ${thingIds.length === 1 ? thingIds[0] : `${thingIds.length} Things`}`;
  const outcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    if (thingIds.length === 1) await live.api.addThingApp(thingIds[0], input);
    else await live.api.bulkProvision(thingIds, input);
    return settle(live, thingIds, input, progress, token);
  });
  return report(outcome, label, log);
}

/**
 * The configuration guide's "Install on a Thing": the instance the guide made, on Things picked in
 * a quick pick, with the app's latest version in the App Store (deployed first, when it is not
 * there yet). Says how it went in words the guide page shows.
 */
export async function installInstance(live: LivePlatform, appDir: string, instance: { name: string; config: Record<string, unknown> }, log: vscode.LogOutputChannel): Promise<{ ok: boolean; message: string }> {
  const appJsonFile = path.join(appDir, 'app.json');
  const appName = readAppJson(readFileText(appJsonFile), appJsonFile).appJson?.name;
  if (!appName) return { ok: false, message: `${appJsonFile} has no name: it cannot be installed.` };
  let app = live.apps.find((a) => a.name === appName);
  if (!app) {
    const choice = await vscode.window.showWarningMessage(`"${appName}" is not in the App Store of ${live.api.url} yet: deploy it first.`, 'Deploy App to Store');
    if (!choice) return { ok: false, message: `Not installed: "${appName}" is not in the App Store.` };
    await vscode.commands.executeCommand('smartplug.deployApp', vscode.Uri.file(appDir));
    app = live.apps.find((a) => a.name === appName);
    if (!app) return { ok: false, message: `Not installed: "${appName}" was not deployed.` };
  }
  if (live.things.length === 0) return { ok: false, message: `The platform ${live.api.url} has no Thing to install on.` };
  const picks = await vscode.window.showQuickPick(
    live.things.sort((a, b) => a.thingId.localeCompare(b.thingId, undefined, { numeric: true })).map((t) => ({ label: t.thingId, description: `${t.connected ? 'online' : 'offline'} · ${t.model}${t.templateId ? ` · Template ${t.templateId}` : ''}`, thingId: t.thingId })),
    { title: `Install "${instance.name}" (${app.name} ${app.latestVersion}) on which Things?`, canPickMany: true, placeHolder: 'Pick one or more Things' },
  );
  if (!picks || picks.length === 0) return { ok: false, message: 'Not installed: no Thing was picked.' };
  const input: InstanceInput = { app_id: app.appId, version: app.latestVersion, config: instance.config, name: instance.name };
  const label = `${instance.name} (${app.name} ${app.latestVersion})`;
  try {
    const outcome = await provisionThings(live, picks.map((p) => p.thingId), input, label, log);
    const total = picks.length;
    if (outcome.failed.length === 0 && outcome.silent.length === 0) return { ok: true, message: `Installed: ${label} runs on ${total === 1 ? outcome.running[0] : `each of the ${total} Things`}.` };
    return { ok: false, message: `${outcome.running.length} of ${total} Things run it${outcome.failed[0] ? `; ${outcome.failed[0].thingId}: ${outcome.failed[0].reason}` : ''}.` };
  } catch (e) {
    return { ok: false, message: `Not installed: ${(e as Error).message}` };
  }
}

/** Follows the Things' feedback (from the broker) until each runs the app, failed, or the time is up. */
function settle(live: LivePlatform, thingIds: string[], input: InstanceInput, progress: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken): Promise<ProvisionOutcome> {
  return new Promise((resolve) => {
    const done = new Map<string, { ok: boolean; reason?: string }>();
    const check = () => {
      for (const id of thingIds) {
        if (done.has(id)) continue;
        const thing = live.thing(id);
        const state = thing && appState(thing, input);
        if (state) done.set(id, state);
      }
      const ok = [...done.values()].filter((d) => d.ok).length;
      progress.report({ message: `${ok} of ${thingIds.length} running${done.size > ok ? `, ${done.size - ok} failed` : ''}` });
      if (done.size === thingIds.length) finish();
    };
    const finish = () => {
      clearTimeout(timer);
      live.off('things', check);
      cancel.dispose();
      resolve({
        running: thingIds.filter((id) => done.get(id)?.ok),
        failed: thingIds.flatMap((id) => (done.get(id) && !done.get(id)!.ok ? [{ thingId: id, reason: done.get(id)!.reason ?? 'failed' }] : [])),
        silent: thingIds.filter((id) => !done.has(id)),
      });
    };
    const timer = setTimeout(finish, SETTLE_MS);
    const cancel = token.onCancellationRequested(finish);
    live.on('things', check);
    check();
  });
}

/** Whether a Thing has settled on the app: running (in sync), or failed with a reason; undefined while it works. */
function appState(thing: ThingView, input: InstanceInput): { ok: boolean; reason?: string } | undefined {
  const app = thing.apps.find((a) => a.app_id === input.app_id && a.name === input.name && a.version === input.version);
  if (!app) return undefined;
  if (app.status.state === 'failed') return { ok: false, reason: app.status.error };
  if (!thing.inSync) return undefined;
  return app.status.state === 'running' ? { ok: true } : undefined;
}

function report(outcome: ProvisionOutcome, label: string, log: vscode.LogOutputChannel): ProvisionOutcome {
  for (const f of outcome.failed) log.error(`${label} failed on ${f.thingId}: ${f.reason}`);
  if (outcome.silent.length) log.warn(`${label}: no answer yet from ${outcome.silent.join(', ')}`);
  const total = outcome.running.length + outcome.failed.length + outcome.silent.length;
  if (outcome.failed.length === 0 && outcome.silent.length === 0) {
    void vscode.window.showInformationMessage(`${label} runs on ${total === 1 ? outcome.running[0] : `each of the ${total} Things`}.`);
  } else {
    const first = outcome.failed[0];
    void vscode.window
      .showErrorMessage(`${label}: ${outcome.running.length} of ${total} Things run it. ${first ? `${first.thingId}: ${first.reason}` : ''}${outcome.silent.length ? ` ${outcome.silent.length} did not answer in time (offline Things get it when they connect).` : ''}`, 'Show Details')
      .then((c) => c && log.show());
  }
  return outcome;
}

/**
 * The instance config to provision with, from the app's folders in the workspace (those whose
 * app.json names the app): one instance file is used as it is (instance.json, or a named
 * *.instance.json); several are offered in a quick pick. With none, the app's defaults.
 */
async function chooseInstance(appName: string, appFolders: () => Promise<vscode.Uri[]>): Promise<{ name: string; config: Record<string, unknown> } | undefined> {
  const folders = (await appFolders()).filter((f) => readAppJson(readFileText(path.join(f.fsPath, 'app.json')), path.join(f.fsPath, 'app.json')).appJson?.name === appName);
  const files = folders.flatMap((f) =>
    readdirSync(f.fsPath)
      .filter((n) => n === 'instance.json' || n.endsWith('.instance.json'))
      .sort((a, b) => (a === 'instance.json' ? -1 : b === 'instance.json' ? 1 : a.localeCompare(b)))
      .map((n) => path.join(f.fsPath, n)),
  );
  if (files.length === 0) return { name: appName, config: {} };
  let file = files[0];
  if (files.length > 1) {
    const pick = await vscode.window.showQuickPick(files.map((f) => ({ label: path.basename(f), description: vscode.workspace.asRelativePath(f), file: f })), { title: `Provision ${appName} with which instance config?` });
    if (!pick) return undefined;
    file = pick.file;
  }
  try {
    return readInstanceFile(file);
  } catch (e) {
    void vscode.window.showErrorMessage(`${appName} was not provisioned: ${file} is not a valid instance config: ${(e as Error).message}`);
    return undefined;
  }
}

function readFileText(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}
