/**
 * What a rollout (or a bulk action) changes: a Template's apps, or the own apps of chosen Things;
 * parsed from a request body, applied to one Thing's desired state, and diffed against what each
 * Thing has now (the dry run).
 */
import type { AppInstance, AppInstanceInput, DesiredState, PlatformStore } from '../store';
import type { AppRef, ThingDiff } from '../protocol/api-types';
import { HttpError, stringField } from './http-kit';
import { instanceInput, instanceList } from './service-context';

export interface TemplatePlan {
  kind: 'template';
  templateId: string;
  name: string;
  apps: AppInstanceInput[];
}

export type BulkAction = 'provision' | 'remove' | 'update';

export interface BulkPlan {
  kind: 'bulk';
  action: BulkAction;
  thingIds: string[];
  appId: number;
  /** provision: the instance to add */
  app?: AppInstanceInput;
  /** update: the version to move to (the latest when the plan was made) */
  version?: string;
}

export type RolloutPlan = TemplatePlan | BulkPlan;

export async function parseBulk(store: PlatformStore, body: Record<string, unknown>, where: string): Promise<BulkPlan> {
  const action = body.action;
  if (action !== 'provision' && action !== 'remove' && action !== 'update') throw new HttpError(400, 'bad_input', `${where}: "action" is provision, remove or update`);
  if (!Array.isArray(body.thingIds) || body.thingIds.length === 0 || body.thingIds.some((t) => typeof t !== 'string')) throw new HttpError(400, 'bad_input', `${where}: "thingIds" must be a non-empty array of Thing ids`);
  const app = action === 'provision' ? await instanceInput(store, body.app, `${where} app`) : undefined;
  const appId = app?.app_id ?? (Number.isInteger(body.app_id) ? (body.app_id as number) : undefined);
  if (appId === undefined) throw new HttpError(400, 'bad_input', `${where}: ${action} needs "app_id"`);
  const version = action === 'update' ? (await store.latestAppVersion(appId)).version : undefined;
  return { kind: 'bulk', action, thingIds: [...new Set(body.thingIds as string[])], appId, ...(app ? { app } : {}), ...(version ? { version } : {}) };
}

export async function parsePlan(store: PlatformStore, raw: unknown, where: string): Promise<RolloutPlan> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new HttpError(400, 'bad_input', `${where}: "plan" is {kind: "template", templateId, name?, apps} or {kind: "bulk", action, thingIds, app_id | app}`);
  const o = raw as Record<string, unknown>;
  if (o.kind === 'template') {
    const templateId = stringField(o, 'templateId', where);
    const current = await store.getTemplate(templateId);
    return { kind: 'template', templateId, name: typeof o.name === 'string' && o.name ? o.name : current.name, apps: await instanceList(store, o.apps, where) };
  }
  if (o.kind === 'bulk') return parseBulk(store, o, where);
  throw new HttpError(400, 'bad_input', `${where}: plan "kind" is template or bulk`);
}

/** A bulk plan applied to one Thing: its new own apps. */
export function bulkApps(state: DesiredState, plan: BulkPlan): AppInstanceInput[] {
  const own = state.apps.filter((a) => a.source.kind === 'thing').map(({ source: _source, ...a }) => a);
  // Idempotent: a batch applied again (after a replica took the rollout over) adds nothing twice.
  if (plan.action === 'provision') return own.some((a) => a.app_id === plan.appId && a.name === plan.app!.name) ? own : [...own, { ...plan.app! }];
  if (plan.action === 'remove') return own.filter((a) => a.app_id !== plan.appId);
  return own.map((a) => (a.app_id === plan.appId ? { ...a, version: plan.version! } : a));
}

/** The desired state of each listed Thing; not_found, naming the first one not enrolled, before anything changes. */
export async function desiredStatesOf(store: PlatformStore, thingIds: string[], where: string): Promise<DesiredState[]> {
  const states = await store.listDesiredStates(thingIds);
  if (states.length !== thingIds.length) {
    const found = new Set(states.map((s) => s.thingId));
    throw new HttpError(404, 'not_found', `${where}: no Thing "${thingIds.find((t) => !found.has(t))}"; nothing was changed`);
  }
  return states;
}

/** The dry run: for each Thing the plan touches, which apps it gains, loses or changes. Things it leaves as they are are not listed. */
export async function planDiff(store: PlatformStore, plan: RolloutPlan): Promise<ThingDiff[]> {
  const thingIds = plan.kind === 'template' ? (await store.listThings({ templateId: plan.templateId })).map((t) => t.thingId) : plan.thingIds;
  const states = await desiredStatesOf(store, thingIds, 'the dry run');
  const out: ThingDiff[] = [];
  for (const s of states) {
    const before: AppInstanceInput[] = plan.kind === 'template' ? s.apps.filter((a) => a.source.kind === 'template') : s.apps.filter((a) => a.source.kind === 'thing');
    const after = plan.kind === 'template' ? plan.apps : bulkApps(s, plan);
    const diff = diffApps(s.thingId, before, after);
    if (diff.gain.length || diff.lose.length || diff.change.length) out.push(diff);
  }
  return out;
}

function diffApps(thingId: string, before: AppInstanceInput[], after: AppInstanceInput[]): ThingDiff {
  const ref = (a: AppInstanceInput): AppRef => ({ ...(a.installation_id !== undefined ? { installation_id: a.installation_id } : {}), app_id: a.app_id, name: a.name, version: a.version });
  const old = new Map(before.filter((a) => a.installation_id !== undefined).map((a) => [a.installation_id!, a]));
  const kept = new Set<number>();
  const diff: ThingDiff = { thingId, gain: [], lose: [], change: [] };
  for (const a of after) {
    const prev = a.installation_id !== undefined ? old.get(a.installation_id) : undefined;
    if (!prev) {
      diff.gain.push(ref(a));
      continue;
    }
    kept.add(a.installation_id!);
    if (prev.version !== a.version || JSON.stringify(prev.config) !== JSON.stringify(a.config)) {
      diff.change.push({ installation_id: a.installation_id!, app_id: a.app_id, name: a.name, from: { version: prev.version, config: prev.config }, to: { version: a.version, config: a.config } });
    }
  }
  for (const a of before) if (a.installation_id === undefined || !kept.has(a.installation_id)) diff.lose.push(ref(a));
  return diff;
}

/** A Template's apps as a plan's input (to restore them when a rollout is stopped). */
export function asInputs(apps: AppInstance[]): AppInstanceInput[] {
  return apps.map((a) => ({ ...a }));
}
