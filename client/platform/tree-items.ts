/**
 * How the platform's trees draw each thing: codicons coloured by status, descriptions that say the
 * essentials, and Markdown tooltips with the details. Pure functions of the model's objects.
 */
import * as vscode from 'vscode';
import { endpointUrl } from '../../platform/remote/endpoint-url';
import type { AppInstance, AppListing, AppVersion, Template, ThingAppView, ThingView } from '../../platform/protocol/api-types';

const passed = new vscode.ThemeColor('testing.iconPassed');
const failed = new vscode.ThemeColor('testing.iconFailed');
const muted = new vscode.ThemeColor('disabledForeground');

/** A Thing's one-word state, and its icon. */
export function thingState(thing: ThingView): { word: string; icon: vscode.ThemeIcon } {
  const apps = [...thing.apps, ...thing.inherited];
  if (!thing.connected) return { word: 'offline', icon: new vscode.ThemeIcon('circle-large-outline', muted) };
  if (apps.some((a) => a.status.state === 'failed')) return { word: 'app failed', icon: new vscode.ThemeIcon('error', failed) };
  if (!thing.inSync) return { word: 'syncing', icon: new vscode.ThemeIcon('sync~spin') };
  if (apps.some((a) => a.status.state !== 'running')) return { word: 'apps stopped', icon: new vscode.ThemeIcon('debug-pause') };
  return { word: 'running', icon: new vscode.ThemeIcon('pass-filled', passed) };
}

function statusIcon(status: ThingAppView['status']): vscode.ThemeIcon {
  switch (status.state) {
    case 'running':
      return new vscode.ThemeIcon('play-circle', passed);
    case 'failed':
      return new vscode.ThemeIcon('error', failed);
    case 'stopped':
      return new vscode.ThemeIcon('debug-stop', muted);
    default:
      return new vscode.ThemeIcon('loading~spin');
  }
}

function md(text: string): vscode.MarkdownString {
  const m = new vscode.MarkdownString(text);
  m.supportThemeIcons = true;
  return m;
}

/** Text for a Markdown table cell or line: no markup from names users chose. */
function plain(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}

function when(ms: number): string {
  return new Date(ms).toLocaleString();
}

export function storeAppItem(app: AppListing, id: string, things: ThingView[]): vscode.TreeItem {
  const item = new vscode.TreeItem(app.name, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = id;
  const installs = things.reduce((n, t) => n + [...t.apps, ...t.inherited].filter((a) => a.app_id === app.appId).length, 0);
  item.description = `${app.latestVersion} · ${app.versions.length} version${app.versions.length === 1 ? '' : 's'}`;
  item.iconPath = new vscode.ThemeIcon('package');
  item.contextValue = 'smartplug.storeApp';
  item.tooltip = md(
    `**${plain(app.name)}** — app ${app.appId}\n\n` +
      `| | |\n|---|---|\n| latest version | ${plain(app.latestVersion)} |\n| versions | ${app.versions.map((v) => plain(v.version)).join(', ') || 'none'} |\n| installed | ${installs} time${installs === 1 ? '' : 's'} on Things |\n| first deployed | ${when(app.createdAt)} |\n\n` +
      '_Drag it onto a Thing or a Template to provision it._',
  );
  return item;
}

export function versionItem(app: AppListing, version: AppVersion | undefined, id: string): vscode.TreeItem {
  const item = new vscode.TreeItem(version?.version ?? '(gone)', vscode.TreeItemCollapsibleState.None);
  item.id = id;
  if (!version) return item;
  item.description = `${(version.size / 1024).toFixed(1)} KB · ${version.sha256.slice(0, 12)}`;
  item.iconPath = new vscode.ThemeIcon(version.version === app.latestVersion ? 'tag' : 'history');
  item.contextValue = 'smartplug.storeVersion';
  item.tooltip = md(
    `**${plain(app.name)} ${plain(version.version)}**\n\n| | |\n|---|---|\n| deployed | ${when(version.createdAt)} |\n| size | ${version.size} bytes |\n| SHA-256 | \`${version.sha256}\` |\n| scripts | ${version.scriptNames.map(plain).join(', ')} |`,
  );
  return item;
}

export function thingItem(thing: ThingView, id: string): vscode.TreeItem {
  const apps = [...thing.apps, ...thing.inherited];
  const item = new vscode.TreeItem(thing.thingId, apps.length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = id;
  const state = thingState(thing);
  item.iconPath = state.icon;
  item.description = `${state.word} · ${apps.length} app${apps.length === 1 ? '' : 's'}${thing.templateId ? ` · ${thing.templateId}` : ''}`;
  item.contextValue = thing.connected ? 'smartplug.thing' : 'smartplug.thing.offline';
  item.tooltip = md(
    `**${plain(thing.thingId)}** — ${state.word}\n\n| | |\n|---|---|\n| model | ${plain(thing.model)} |\n| Template | ${thing.templateId ? plain(thing.templateId) : 'none'} |\n| connected | ${thing.connected ? 'yes' : 'no'} |\n` +
      `| revision | reached ${thing.reachedRevision} of ${thing.desiredRevision}${thing.inSync ? '' : ' (syncing)'} |\n| apps | ${thing.apps.length} own, ${thing.inherited.length} inherited |\n| enrolled | ${when(thing.enrolledAt)} |`,
  );
  item.accessibilityInformation = { label: `Thing ${thing.thingId}, ${state.word}, ${apps.length} apps` };
  return item;
}

export function thingAppItem(thing: ThingView, app: ThingAppView, listing: AppListing | undefined, id: string): vscode.TreeItem {
  const endpoints = app.status.state === 'running' ? (app.status.endpoints ?? []) : [];
  const item = new vscode.TreeItem(app.name, endpoints.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = id;
  const inherited = app.source.kind === 'template' ? app.source.templateId : undefined;
  // An offline Thing's app status is only what it said last: shown, but not as live.
  const seen = thing.connected ? '' : ' (last seen)';
  const status = (app.status.state === 'failed' ? `failed: ${app.status.error}` : app.status.state) + seen;
  item.description = `${listing?.name ?? `app ${app.app_id}`} ${app.version} · ${app.status.state}${seen}${inherited ? ` · from Template ${inherited}` : ''}`;
  item.iconPath = thing.connected ? statusIcon(app.status) : new vscode.ThemeIcon('circle-large-outline', muted);
  item.contextValue = inherited ? 'smartplug.inheritedApp' : 'smartplug.thingApp';
  item.tooltip = md(
    `**${plain(app.name)}** on ${plain(thing.thingId)}\n\n| | |\n|---|---|\n| app | ${plain(listing?.name ?? String(app.app_id))} ${plain(app.version)} |\n| installation | ${app.installation_id} |\n| status | ${plain(status)} |\n` +
      `| source | ${inherited ? `inherited from Template ${plain(inherited)}: remove it from the Template` : 'the Thing\'s own'} |\n\n` +
      '```json\n' + JSON.stringify(app.config, null, 2).slice(0, 2000) + '\n```',
  );
  return item;
}

export function endpointItem(thing: ThingView, app: ThingAppView, route: string, platformUrl: string, id: string): vscode.TreeItem {
  const item = new vscode.TreeItem(route, vscode.TreeItemCollapsibleState.None);
  item.id = id;
  const { url } = endpointUrl(platformUrl, thing.thingId, app.installation_id, route);
  item.description = url;
  item.iconPath = new vscode.ThemeIcon('globe');
  item.contextValue = 'smartplug.endpoint';
  item.tooltip = md(`**${plain(route)}** of ${plain(app.name)} on ${plain(thing.thingId)}\n\n${plain(url)}\n\n_Copy a curl line for it: it carries a token for this app's endpoints only._`);
  return item;
}

export function templateItem(template: Template, things: ThingView[], id: string): vscode.TreeItem {
  const item = new vscode.TreeItem(template.name, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = id;
  const running = things.filter((t) => thingState(t).word === 'running').length;
  item.description = `${template.templateId} · ${template.apps.length} app${template.apps.length === 1 ? '' : 's'} · ${running}/${things.length} Things running`;
  item.iconPath = new vscode.ThemeIcon('layers');
  item.contextValue = 'smartplug.template';
  item.tooltip = md(`**${plain(template.name)}** (${plain(template.templateId)}), revision ${template.revision}\n\n| | |\n|---|---|\n| apps | ${template.apps.map((a) => plain(a.name)).join(', ') || 'none'} |\n| Things | ${things.length} (${running} running) |\n| saved | ${when(template.updatedAt)} |\n\n_Drop an app here to provision it on every Thing of the Template._`);
  return item;
}

export function groupItem(label: string, count: number, id: string): vscode.TreeItem {
  const item = new vscode.TreeItem(label, count > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
  item.id = id;
  item.description = String(count);
  item.contextValue = `smartplug.templateGroup.${label.toLowerCase()}`;
  return item;
}

export function templateAppItem(template: Template, app: AppInstance, listing: AppListing | undefined, id: string): vscode.TreeItem {
  const item = new vscode.TreeItem(app.name, vscode.TreeItemCollapsibleState.None);
  item.id = id;
  item.description = `${listing?.name ?? `app ${app.app_id}`} ${app.version}`;
  item.iconPath = new vscode.ThemeIcon('package');
  item.contextValue = 'smartplug.templateApp';
  item.tooltip = md(`**${plain(app.name)}** on Template ${plain(template.templateId)}: inherited by each of its Things\n\n` + '```json\n' + JSON.stringify(app.config, null, 2).slice(0, 2000) + '\n```');
  return item;
}
