/**
 * The Rollouts view: the platform's staged rollouts, newest first, each with its batches and, in
 * each batch, every Thing's acknowledgement (pending, sent and waiting, succeeded, failed with the
 * reason). A rollout under way is open at its current batch. Live: the platform announces each
 * step of a rollout on its change notices, and LivePlatform reads it again.
 */
import * as vscode from 'vscode';
import { batchesOf, currentBatch, isActive, planOf, type RolloutDetail } from '../../platform/remote/live-rollouts';
import type { Rollout, RolloutThing } from '../../platform/protocol/api-types';
import { PlatformTree, type LiveKind, type PlatformNode } from './platform-trees';

export const ROLLOUTS_VIEW = 'smartplug.rollouts';

/** Ended rollouts shown beside those under way (the rest are in the platform's history). */
const ENDED_SHOWN = 10;
/** A rollout of this many Things or fewer shows every batch open. */
const SMALL_ROLLOUT = 60;

const passed = new vscode.ThemeColor('testing.iconPassed');
const failedColour = new vscode.ThemeColor('testing.iconFailed');
const muted = new vscode.ThemeColor('disabledForeground');

export class RolloutsTree extends PlatformTree {
  protected onLive(kind: LiveKind, ids?: string[]): void {
    if (kind !== 'rollouts') return;
    // A rollout's step changes its node and its batches; the list itself may have grown.
    if (!ids) return this.redraw();
    const nodes = ids.map((id) => this.known(`rollout/${id}`));
    if (nodes.some((n) => !n)) this.redraw();
    else this.redraw(nodes as PlatformNode[]);
  }

  /** The rollouts shown: every one under way, then the latest ended ones. */
  shown(): Rollout[] {
    const all = this.live?.rollouts.all ?? [];
    return [...all.filter(isActive), ...all.filter((r) => !isActive(r)).slice(0, ENDED_SHOWN)];
  }

  async getChildren(node?: PlatformNode): Promise<PlatformNode[]> {
    const live = this.live;
    if (!live) return [];
    if (!node) return this.shown().map((r) => this.node({ kind: 'rollout', id: `rollout/${r.rolloutId}`, rolloutId: r.rolloutId }));
    if (node.kind !== 'rollout' && node.kind !== 'rolloutBatch') return [];
    // Opened: its Things are read now and kept current from here on.
    const detail = live.rollouts.detail(node.rolloutId) ?? (await live.rollouts.watch(node.rolloutId).catch(() => undefined));
    if (!detail) return [];
    if (node.kind === 'rollout') {
      return batchesOf(detail).map((b) => this.node({ kind: 'rolloutBatch', id: `rollout/${detail.rolloutId}/${b[0].batch}`, rolloutId: detail.rolloutId, batch: b[0].batch }));
    }
    return detail.things
      .filter((t) => t.batch === node.batch)
      .sort((a, b) => a.thingId.localeCompare(b.thingId, undefined, { numeric: true }))
      .map((t) => this.node({ kind: 'rolloutThing', id: `rollout/${detail.rolloutId}/${node.batch}/${t.thingId}`, rolloutId: detail.rolloutId, thingId: t.thingId }));
  }

  getTreeItem(node: PlatformNode): vscode.TreeItem {
    const live = this.live;
    const rollout = live && 'rolloutId' in node ? live.rollouts.all.find((r) => r.rolloutId === node.rolloutId) : undefined;
    if (!live || !rollout) return new vscode.TreeItem('(gone)');
    const detail = live.rollouts.detail(rollout.rolloutId);
    if (node.kind === 'rollout') return rolloutItem(rollout, detail, node.id, (id) => live.templates.find((t) => t.templateId === id)?.name);
    if (!detail) return new vscode.TreeItem('…');
    if (node.kind === 'rolloutBatch') return batchItem(detail, node.batch, node.id);
    if (node.kind === 'rolloutThing') {
      const thing = detail.things.find((t) => t.thingId === node.thingId);
      return thing ? ackItem(thing, node.id) : new vscode.TreeItem('(gone)');
    }
    return new vscode.TreeItem('?');
  }
}

/** "Template "Home"", "provision Hall light on 3 Things". */
export function rolloutTitle(r: Rollout, templateName: (id: string) => string | undefined): string {
  const plan = planOf(r);
  if (plan.kind === 'template') return `Template "${templateName(plan.templateId) ?? plan.templateId}"`;
  if (plan.kind === 'bulk') return `${plan.action}${plan.app ? ` ${plan.app}` : ''} on ${plan.thingIds} Thing${plan.thingIds === 1 ? '' : 's'}`;
  return r.rolloutId;
}

/** One line of where a rollout stands: its state, its batch, and its Things' acknowledgements. */
export function rolloutProgress(r: Rollout, detail: RolloutDetail | undefined): string {
  const total = r.counts.pending + r.counts.sent + r.counts.succeeded + r.counts.failed;
  const batches = Math.max(1, Math.ceil(total / r.batchSize));
  const batch = detail ? currentBatch(detail) + 1 : undefined;
  const acknowledged = r.counts.succeeded + r.counts.failed;
  const parts: string[] = [r.state];
  if (isActive(r) && batch) parts.push(`batch ${batch} of ${batches}`);
  parts.push(`${acknowledged} of ${total} acknowledged`);
  if (r.counts.failed) parts.push(`${r.counts.failed} failed (stops past ${r.failureThreshold})`);
  return parts.join(' · ');
}

function rolloutIcon(r: Rollout): vscode.ThemeIcon {
  switch (r.state) {
    case 'running':
      return new vscode.ThemeIcon('sync~spin');
    case 'paused':
      return new vscode.ThemeIcon('debug-pause');
    case 'succeeded':
      return new vscode.ThemeIcon('pass-filled', passed);
    case 'failed':
      return new vscode.ThemeIcon('error', failedColour);
    default:
      return new vscode.ThemeIcon('circle-slash', muted);
  }
}

function rolloutItem(r: Rollout, detail: RolloutDetail | undefined, id: string, templateName: (id: string) => string | undefined): vscode.TreeItem {
  const item = new vscode.TreeItem(rolloutTitle(r, templateName), isActive(r) ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
  item.id = id;
  item.description = rolloutProgress(r, detail);
  item.iconPath = rolloutIcon(r);
  item.contextValue = `smartplug.rollout.${r.state}`;
  const md = new vscode.MarkdownString(
    `**Rollout ${r.rolloutId}** — ${r.state}\n\n| | |\n|---|---|\n| batches of | ${r.batchSize} Things |\n| stops when | more than ${r.failureThreshold} Thing${r.failureThreshold === 1 ? '' : 's'} failed |\n` +
      `| pending | ${r.counts.pending} |\n| sent, waiting | ${r.counts.sent} |\n| succeeded | ${r.counts.succeeded} |\n| failed | ${r.counts.failed} |\n| started | ${new Date(r.createdAt).toLocaleString()} |\n| last step | ${new Date(r.updatedAt).toLocaleString()} |` +
      (r.state === 'failed' || r.state === 'cancelled' ? '\n\n_A stopped Template rollout gave the Template its previous apps back._' : ''),
  );
  item.tooltip = md;
  return item;
}

function batchItem(detail: RolloutDetail, batch: number, id: string): vscode.TreeItem {
  const things = detail.things.filter((t) => t.batch === batch);
  const count = (s: RolloutThing['status']) => things.filter((t) => t.status === s).length;
  const current = isActive(detail) && currentBatch(detail) === batch;
  // Open at first sight: the batch under way, one with failures, or every batch of a small rollout
  // (VS Code keeps what the user opened or closed from then on).
  const open = current || count('failed') > 0 || detail.things.length <= SMALL_ROLLOUT;
  const item = new vscode.TreeItem(`Batch ${batch + 1}`, open ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
  item.id = id;
  const parts = (['succeeded', 'failed', 'sent', 'pending'] as const).filter((s) => count(s) > 0).map((s) => `${count(s)} ${s === 'sent' ? 'waiting' : s}`);
  item.description = `${things.length} Thing${things.length === 1 ? '' : 's'} · ${parts.join(', ')}`;
  item.iconPath = count('failed') ? new vscode.ThemeIcon('error', failedColour) : count('sent') ? new vscode.ThemeIcon('loading~spin') : count('pending') ? new vscode.ThemeIcon('circle-large-outline', muted) : new vscode.ThemeIcon('pass', passed);
  item.contextValue = 'smartplug.rolloutBatch';
  return item;
}

const ACK_WORDS: Record<RolloutThing['status'], string> = {
  pending: 'pending: its batch has not started',
  sent: 'sent: waiting for its acknowledgement',
  succeeded: 'acknowledged: every app running',
  failed: 'failed',
};

function ackItem(t: RolloutThing, id: string): vscode.TreeItem {
  const item = new vscode.TreeItem(t.thingId, vscode.TreeItemCollapsibleState.None);
  item.id = id;
  item.description = t.status === 'failed' ? `failed: ${t.error ?? 'no reason given'}` : t.status === 'succeeded' ? 'acknowledged' : t.status === 'sent' ? 'waiting' : 'pending';
  item.iconPath = t.status === 'succeeded' ? new vscode.ThemeIcon('pass', passed) : t.status === 'failed' ? new vscode.ThemeIcon('error', failedColour) : t.status === 'sent' ? new vscode.ThemeIcon('loading~spin') : new vscode.ThemeIcon('circle-large-outline', muted);
  item.tooltip = `${t.thingId}: ${t.status === 'failed' ? `failed: ${t.error ?? ''}` : ACK_WORDS[t.status]} (${new Date(t.updatedAt).toLocaleTimeString()})`;
  item.contextValue = 'smartplug.rolloutThing';
  item.accessibilityInformation = { label: `${t.thingId}, ${ACK_WORDS[t.status]}` };
  return item;
}
