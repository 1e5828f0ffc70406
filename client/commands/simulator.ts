/**
 * Simulator controls of a running `smartplug` debug session, from the palette and the Simulator
 * view: each sends one of the adapter's custom requests (debugger/simulator-requests.ts).
 */
import * as vscode from 'vscode';
import type { JobSnapshot, SubscriptionSnapshot } from '../../runtime/engine/snapshot';
import type { SimulatorRequest, SimulatorRequests } from '../../debugger/simulator-requests';

export const SIMULATOR_COMMANDS = {
  injectEvent: 'smartplug.simulator.injectEvent',
  advanceClock: 'smartplug.simulator.advanceClock',
  setMode: 'smartplug.simulator.setMode',
  touch: 'smartplug.simulator.touch',
  callEndpoint: 'smartplug.simulator.callEndpoint',
  fireJob: 'smartplug.simulator.fireJob',
} as const;

function session(): vscode.DebugSession | undefined {
  const s = vscode.debug.activeDebugSession;
  if (s?.type === 'smartplug') return s;
  void vscode.window.showWarningMessage('SmartPlug: start a SmartPlug debug session first (F5 on app.js).');
  return undefined;
}

export async function simulatorRequest<K extends SimulatorRequest>(s: vscode.DebugSession, command: K, args: SimulatorRequests[K]['args']): Promise<SimulatorRequests[K]['body'] | undefined> {
  try {
    return (await s.customRequest(command, args)) as SimulatorRequests[K]['body'];
  } catch (e) {
    void vscode.window.showErrorMessage(`SmartPlug: ${(e as Error).message}`);
    return undefined;
  }
}

/** A value typed as JSON when it is JSON (40, true, "on"), as text otherwise. */
function valueOf(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function injectEvent(target?: SubscriptionSnapshot): Promise<void> {
  const s = session();
  if (!s) return;
  let sub = target;
  if (!sub) {
    const subs = (await simulatorRequest(s, 'smartplug/subscriptions', {}))?.subscriptions.filter((x) => x.kind === 'device') ?? [];
    if (subs.length === 0) {
      void vscode.window.showInformationMessage('SmartPlug: the app subscribes to no device event yet.');
      return;
    }
    const picked = await vscode.window.showQuickPick(subs.map((x) => ({ label: `${x.target} ${x.attribute}${x.value ? ` = ${x.value}` : ''}`, description: `→ ${x.handler}`, sub: x })), { placeHolder: 'Which event? (the app subscribes to these)' });
    sub = picked?.sub;
  }
  if (!sub) return;
  const value = sub.value ?? (await vscode.window.showInputBox({ prompt: `${sub.target} ${sub.attribute}: the value the device reports`, placeHolder: 'open, 21.5, true …' }));
  if (value === undefined) return;
  await simulatorRequest(s, 'smartplug/injectEvent', { device: sub.target, attribute: sub.attribute, value: sub.value ?? valueOf(value) });
}

async function fireJob(job?: JobSnapshot): Promise<void> {
  const s = session();
  if (!s) return;
  let chosen = job;
  if (!chosen) {
    const jobs = (await simulatorRequest(s, 'smartplug/pendingJobs', {}))?.jobs ?? [];
    if (jobs.length === 0) {
      void vscode.window.showInformationMessage('SmartPlug: the app has no pending runIn or schedule callback.');
      return;
    }
    chosen = (await vscode.window.showQuickPick(jobs.map((j) => ({ label: j.handler, description: new Date(j.at).toISOString(), job: j }))))?.job;
  }
  if (chosen) await simulatorRequest(s, 'smartplug/fireJob', { id: chosen.id });
}

export function registerSimulatorCommands(): vscode.Disposable[] {
  const c = SIMULATOR_COMMANDS;
  return [
    vscode.commands.registerCommand('smartplug.simulator.injectEvent' satisfies typeof c.injectEvent, (sub?: SubscriptionSnapshot) => injectEvent(sub)),
    // From the palette (asks which), the view's item (its job) or its inline button (the item).
    vscode.commands.registerCommand('smartplug.simulator.fireJob' satisfies typeof c.fireJob, (arg?: JobSnapshot | { job: JobSnapshot }) => fireJob(arg && 'job' in arg ? arg.job : arg)),
    vscode.commands.registerCommand('smartplug.simulator.advanceClock' satisfies typeof c.advanceClock, async () => {
      const s = session();
      const duration = s && (await vscode.window.showInputBox({ prompt: 'Move the virtual clock forward by', placeHolder: '90s, 10m, 1h30m', validateInput: (v) => (/^(\d+(\.\d+)?(ms|s|m|h|d))+$|^\d+$/.test(v.trim()) ? undefined : 'a duration like 90s, 10m or 1h30m') }));
      if (s && duration) await simulatorRequest(s, 'smartplug/advanceClock', { duration: duration.trim() });
    }),
    vscode.commands.registerCommand('smartplug.simulator.setMode' satisfies typeof c.setMode, async () => {
      const s = session();
      const mode = s && (await vscode.window.showInputBox({ prompt: 'The location mode', placeHolder: 'Home, Away, Night …' }));
      if (s && mode) await simulatorRequest(s, 'smartplug/setMode', { mode });
    }),
    vscode.commands.registerCommand('smartplug.simulator.touch' satisfies typeof c.touch, async () => {
      const s = session();
      if (s) await simulatorRequest(s, 'smartplug/touch', {});
    }),
    vscode.commands.registerCommand('smartplug.simulator.callEndpoint' satisfies typeof c.callEndpoint, async () => {
      const s = session();
      const line = s && (await vscode.window.showInputBox({ prompt: 'METHOD PATH [JSON body]', placeHolder: 'GET /status' }));
      const m = line ? /^(\w+)\s+(\S+)(?:\s+(.*))?$/.exec(line.trim()) : null;
      if (!s || !m) return;
      const r = await simulatorRequest(s, 'smartplug/callEndpoint', { method: m[1].toUpperCase(), path: m[2], ...(m[3] ? { body: valueOf(m[3]) } : {}) });
      if (r?.outcome === 'done') void vscode.window.showInformationMessage(`${m[1].toUpperCase()} ${m[2]} → ${r.status} ${JSON.stringify(r.body)}`);
    }),
  ];
}
