/**
 * The Simulator view in Run and Debug: while a `smartplug` session runs, the events the app
 * subscribes to (click one to inject it) and its pending callbacks (each with "fire now").
 * It asks the adapter when the app runs on (the engine thread does not answer while paused).
 */
import * as vscode from 'vscode';
import type { JobSnapshot, SubscriptionSnapshot } from '../../runtime/engine/snapshot';
import { SIMULATOR_COMMANDS } from '../commands/simulator';

export const SIMULATOR_VIEW = 'smartplug.simulator';

type Node =
  | { kind: 'group'; label: string; children: Node[] }
  | { kind: 'subscription'; sub: SubscriptionSnapshot }
  | { kind: 'job'; job: JobSnapshot }
  | { kind: 'note'; text: string };

class SimulatorTree implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: Node[] = [];
  private timer: NodeJS.Timeout | undefined;
  paused = false;

  /** Asks again soon (many events come in a burst). */
  refreshSoon(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), 150);
  }

  async refresh(): Promise<void> {
    const s = vscode.debug.activeDebugSession;
    if (s?.type !== 'smartplug') this.roots = [];
    else if (this.paused) {
      // Kept as they were; the note says why they are not fresh.
      this.roots = [{ kind: 'note', text: 'paused: continue to refresh' }, ...this.roots.filter((r) => r.kind !== 'note')];
    } else {
      const subs = await s.customRequest('smartplug/subscriptions', {}).then((b: { subscriptions: SubscriptionSnapshot[] }) => b.subscriptions, () => undefined);
      const jobs = await s.customRequest('smartplug/pendingJobs', {}).then((b: { jobs: JobSnapshot[] }) => b.jobs, () => undefined);
      this.roots = subs === undefined || jobs === undefined
        ? [{ kind: 'note', text: 'the app is not running (yet)' }]
        : [
            { kind: 'group', label: `Events the app subscribes to (${subs.length})`, children: subs.filter((x) => x.kind === 'device').map((sub) => ({ kind: 'subscription', sub }) as Node) },
            { kind: 'group', label: `Pending callbacks (${jobs.length})`, children: jobs.map((job) => ({ kind: 'job', job }) as Node) },
          ];
    }
    this.changed.fire();
  }

  getChildren(node?: Node): Node[] {
    return node ? (node.kind === 'group' ? node.children : []) : this.roots;
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'group':
        return { label: node.label, collapsibleState: vscode.TreeItemCollapsibleState.Expanded };
      case 'note':
        return { label: node.text, iconPath: new vscode.ThemeIcon('info') };
      case 'subscription': {
        const x = node.sub;
        return {
          label: `${x.target} ${x.attribute}${x.value ? ` = ${x.value}` : ''}`,
          description: `→ ${x.handler}`,
          tooltip: `Inject this event: ${x.target} reports ${x.attribute}${x.value ? ` = ${x.value}` : ''} (handled by ${x.handler})`,
          iconPath: new vscode.ThemeIcon('zap'),
          contextValue: 'smartplug.subscription',
          command: { command: SIMULATOR_COMMANDS.injectEvent, title: 'Inject Event', arguments: [x] },
        };
      }
      case 'job':
        return {
          label: node.job.handler,
          description: new Date(node.job.at).toISOString().replace('.000Z', 'Z'),
          tooltip: `${node.job.kind} callback ${node.job.handler}, due ${new Date(node.job.at).toISOString()}`,
          iconPath: new vscode.ThemeIcon('clock'),
          contextValue: 'smartplug.job',
          command: { command: SIMULATOR_COMMANDS.fireJob, title: 'Fire Now', arguments: [node.job] },
        };
    }
  }
}

export function registerSimulatorView(): vscode.Disposable[] {
  const tree = new SimulatorTree();
  return [
    vscode.window.registerTreeDataProvider(SIMULATOR_VIEW, tree),
    vscode.debug.registerDebugAdapterTrackerFactory('smartplug', {
      createDebugAdapterTracker: () => ({
        onDidSendMessage: (m: { type?: string; event?: string }) => {
          if (m.type !== 'event') return;
          if (m.event === 'stopped') tree.paused = true;
          else if (m.event === 'continued' || m.event === 'output') {
            if (m.event === 'continued') tree.paused = false;
          } else return;
          tree.refreshSoon();
        },
        onWillReceiveMessage: (m: { command?: string }) => {
          if (m.command === 'continue' || m.command === 'next' || m.command === 'stepIn' || m.command === 'stepOut') tree.paused = false;
        },
      }),
    }),
    vscode.debug.onDidChangeActiveDebugSession(() => tree.refreshSoon()),
    vscode.debug.onDidTerminateDebugSession(() => tree.refreshSoon()),
  ];
}
