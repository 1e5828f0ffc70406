/**
 * Provisioning a Template safely: the dry-run diff first (which Things gain, lose or change which
 * apps), confirmed in a modal; then a staged rollout (batches, failure threshold and acknowledgement
 * time from the smartplug.rollout.* settings), shown in the Rollouts view and followed in a progress
 * notification until it ends: every Thing acknowledged, stopped past the threshold (the Template has
 * its previous apps back), or cancelled from the notification or the view.
 */
import * as vscode from 'vscode';
import type { InstanceInput } from '../../platform/protocol/api-types';
import type { LivePlatform } from '../../platform/remote/live-platform';
import { isActive, type RolloutDetail } from '../../platform/remote/live-rollouts';
import { rolloutProgress } from './rollouts-tree';
import { ROLLOUTS_VIEW } from './rollouts-tree';

/** How each Thing of a rollout ended. */
export interface RolloutOutcome {
  rolloutId: string;
  state: RolloutDetail['state'];
  running: string[];
  failed: Array<{ thingId: string; reason: string }>;
  /** Things the rollout did not reach (it stopped first) */
  silent: string[];
}

export async function provisionTemplate(live: LivePlatform, templateId: string, input: InstanceInput, label: string, log: vscode.LogOutputChannel): Promise<RolloutOutcome | undefined> {
  const template = live.templates.find((t) => t.templateId === templateId);
  if (!template) return undefined;
  const plan = { kind: 'template' as const, templateId, apps: [...template.apps.map((a) => ({ ...a })), input] };
  const diff = await live.api.diff(plan);
  const changed = [...diff.things].sort((a, b) => a.thingId.localeCompare(b.thingId, undefined, { numeric: true }));
  const lines = changed.slice(0, 12).map((t) => `${t.thingId}: ${[...t.gain.map((a) => `+ ${a.name} ${a.version}`), ...t.lose.map((a) => `− ${a.name} ${a.version}`), ...t.change.map((c) => `~ ${c.name} ${c.from.version} → ${c.to.version}`)].join(', ')}`);
  const more = diff.things.length > 12 ? `\n… and ${diff.things.length - 12} more Things` : '';
  const settings = vscode.workspace.getConfiguration('smartplug.rollout');
  const batchSize = settings.get<number>('batchSize', 10);
  const failureThreshold = settings.get<number>('failureThreshold', 0);
  const ackTimeoutMs = settings.get<number>('ackTimeoutSeconds', 60) * 1000;
  const stops = failureThreshold === 0 ? 'at the first Thing that fails' : `once more than ${failureThreshold} Thing${failureThreshold === 1 ? '' : 's'} failed`;
  const staging = `In batches of ${batchSize}; it stops ${stops}, and the Template then gets its previous apps back.`;
  const detail = `${diff.things.length === 0 ? 'No Thing of the Template changes.' : `${lines.join('\n')}${more}`}\n\n${staging}`;
  const sure = await vscode.window.showWarningMessage(
    `Provision Template "${template.name}" with ${label}? ${diff.summary.things} Thing${diff.summary.things === 1 ? '' : 's'} change: ${diff.summary.gain} app${diff.summary.gain === 1 ? '' : 's'} gained, ${diff.summary.lose} lost, ${diff.summary.change} changed.`,
    { modal: true, detail },
    'Save and Provision',
  );
  if (sure !== 'Save and Provision') return undefined;
  const rollout = await live.api.startRollout(plan, { batchSize, failureThreshold, ackTimeoutMs });
  log.info(`Rollout ${rollout.rolloutId}: Template ${templateId} gains ${label}; batches of ${rollout.batchSize}, stopping past ${rollout.failureThreshold} failures.`);
  void vscode.commands.executeCommand(`${ROLLOUTS_VIEW}.focus`);
  const title = `Provisioning Template "${template.name}"`;
  const end = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => followRollout(live, rollout.rolloutId, progress, token));
  return report(end, label, template.name, log);
}

/**
 * Follows a rollout in a progress notification until it ends (from the change notices the platform
 * sends at each step). Cancelling the notification cancels the rollout.
 */
export function followRollout(live: LivePlatform, rolloutId: string, progress: vscode.Progress<{ message?: string }>, token: vscode.CancellationToken): Promise<RolloutDetail> {
  return new Promise((resolve, reject) => {
    let last: RolloutDetail | undefined;
    const check = (ids?: string[]) => {
      if (ids && !ids.includes(rolloutId)) return;
      const detail = live.rollouts.detail(rolloutId);
      const listed = live.rollouts.all.find((r) => r.rolloutId === rolloutId);
      if (!detail) return;
      last = detail;
      progress.report({ message: rolloutProgress(listed ?? detail, detail) });
      if (!isActive(detail)) finish();
    };
    const finish = () => {
      live.off('rollouts', check);
      cancel.dispose();
      resolve(last!);
    };
    const cancel = token.onCancellationRequested(() => {
      progress.report({ message: 'cancelling…' });
      live.api.rolloutCommand(rolloutId, 'cancel').catch((e: Error) => void vscode.window.showErrorMessage(`Rollout ${rolloutId} was not cancelled: ${e.message}`));
    });
    live.on('rollouts', check);
    live.rollouts.watch(rolloutId).then(() => check(), (e: unknown) => {
      live.off('rollouts', check);
      cancel.dispose();
      reject(e);
    });
  });
}

function report(end: RolloutDetail, label: string, templateName: string, log: vscode.LogOutputChannel): RolloutOutcome {
  const outcome: RolloutOutcome = {
    rolloutId: end.rolloutId,
    state: end.state,
    running: end.things.filter((t) => t.status === 'succeeded').map((t) => t.thingId),
    failed: end.things.filter((t) => t.status === 'failed').map((t) => ({ thingId: t.thingId, reason: t.error ?? 'failed' })),
    silent: end.things.filter((t) => t.status === 'pending' || t.status === 'sent').map((t) => t.thingId),
  };
  const what = `${label} on Template "${templateName}"`;
  for (const f of outcome.failed) log.error(`${what} failed on ${f.thingId}: ${f.reason}`);
  const show = (choice: string | undefined) => choice && vscode.commands.executeCommand(`${ROLLOUTS_VIEW}.focus`);
  if (end.state === 'succeeded' && outcome.failed.length === 0) {
    void vscode.window.showInformationMessage(`${what} runs on each of the ${outcome.running.length} Things: every one acknowledged.`);
  } else if (end.state === 'succeeded') {
    void vscode.window.showWarningMessage(`${what}: ${outcome.running.length} of ${end.things.length} Things run it; ${outcome.failed.length} failed (within the threshold of ${end.failureThreshold}). ${outcome.failed[0].thingId}: ${outcome.failed[0].reason}`, 'Show Rollout').then(show);
  } else if (end.state === 'failed') {
    const first = outcome.failed[0];
    void vscode.window
      .showErrorMessage(`Rollout stopped: ${outcome.failed.length} Thing${outcome.failed.length === 1 ? '' : 's'} failed, past the threshold of ${end.failureThreshold}${first ? ` (${first.thingId}: ${first.reason})` : ''}. Template "${templateName}" has its previous apps again.`, 'Show Rollout')
      .then(show);
  } else {
    void vscode.window.showWarningMessage(`Rollout of ${what} was ${end.state}: ${outcome.running.length} of ${end.things.length} Things had it; the Template has its previous apps again.`, 'Show Rollout').then(show);
  }
  return outcome;
}
