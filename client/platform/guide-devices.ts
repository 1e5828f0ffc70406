/**
 * Where the configuration guide's selectors take their devices from: the app's devices.json, or a
 * Thing of the connected platform (the devices its agent said it has, with their values). A quick
 * pick of the two; a platform not yet connected can be connected from it.
 */
import * as vscode from 'vscode';
import type { DeviceSpec } from '../../runtime/devices/types';
import type { PlatformConnection } from './connection';
import { ensureConnected } from './deploy';

/** The user's choice: back to devices.json, or a Thing's devices (with where they are from, said on the page). */
export type GuideDevicesChoice = { kind: 'file' } | { kind: 'thing'; thingId: string; devices: DeviceSpec[]; from: string };

interface Item extends vscode.QuickPickItem {
  choice: 'file' | 'connect' | { thingId: string };
}

/**
 * Asks, then reads the Thing's devices (progress in the window). Undefined when the user cancels
 * or the devices cannot be read (the error is shown, with the reason).
 */
export async function chooseGuideDevices(connection: PlatformConnection, appName: string): Promise<GuideDevicesChoice | undefined> {
  for (;;) {
    const live = connection.live && connection.status.state !== 'none' ? connection.live : undefined;
    const items: Item[] = [{ label: '$(file) devices.json', description: "the app folder's simulated devices", choice: 'file' }];
    if (live) {
      items.push({ label: 'Things', kind: vscode.QuickPickItemKind.Separator, choice: 'file' });
      const things = [...live.things].sort((a, b) => a.thingId.localeCompare(b.thingId, undefined, { numeric: true }));
      for (const t of things) items.push({ label: `$(${t.connected ? 'vm-active' : 'vm-outline'}) ${t.thingId}`, description: `${t.connected ? 'online' : 'offline'} · ${t.model}${t.templateId ? ` · Template ${t.templateId}` : ''}`, choice: { thingId: t.thingId } });
    } else {
      items.push({ label: '$(plug) Connect to a platform…', description: "to offer a Thing's devices", choice: 'connect' });
    }
    const pick = await vscode.window.showQuickPick(items, { title: `Devices for ${appName}'s guide`, placeHolder: 'The devices the selectors offer: devices.json, or the devices of a Thing', matchOnDescription: true });
    if (!pick) return undefined;
    if (pick.choice === 'file') return { kind: 'file' };
    if (pick.choice === 'connect') {
      if (!(await ensureConnected(connection))) return undefined;
      continue;
    }
    const { thingId } = pick.choice;
    try {
      const read = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Reading ${thingId}'s devices` }, () => live!.devicesOf(thingId));
      if (read.problems.length > 0) {
        void vscode.window.showWarningMessage(`${read.problems.length} of ${thingId}'s devices are left out of the guide: ${read.problems.slice(0, 3).join('; ')}${read.problems.length > 3 ? '; …' : ''}`);
      }
      const status = connection.status;
      const where = 'kind' in status && status.kind === 'local' ? 'the local platform' : status.state === 'none' || !('platformUrl' in status) ? 'the platform' : status.platformUrl;
      return { kind: 'thing', thingId, devices: read.devices, from: `${thingId} on ${where} (as it said on connecting, ${read.mru})` };
    } catch (e) {
      void vscode.window.showErrorMessage(`SmartPlug: ${(e as Error).message}`);
      return undefined;
    }
  }
}
