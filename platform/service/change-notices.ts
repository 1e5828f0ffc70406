/**
 * Change notices: the platform tells tools (the IDE's views) what changed on
 * glp/0/=platform/ev/changed, so they follow without polling. Notices of one kind are gathered for
 * a moment and sent as one, so a 1,000-Thing batch is a few messages, not a thousand. They are
 * hints to read again, not the data: a tool that missed one reads everything when it reconnects.
 */
import type { MqttClient } from 'mqtt';
import { iapNow } from '../protocol/events';
import type { ChangeKind, ChangeNotice } from '../protocol/messages';
import { topics } from '../protocol/topics';

/** How long notices of one kind gather before they go out. */
const GATHER_MS = 50;
/** Past this many ids a notice says "all of them" (an empty list): reading all is cheaper then. */
const MAX_IDS = 500;

export class ChangeNotices {
  /** kind → the ids gathered, or 'all' */
  private readonly pending = new Map<ChangeKind, Set<string> | 'all'>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly mqtt: MqttClient,
    private readonly log: (line: string) => void,
  ) {}

  /** These ids of `kind` changed; no ids: any of them may have. */
  changed(kind: ChangeKind, ids?: Iterable<string | number>): void {
    const gathered = this.pending.get(kind);
    if (gathered !== 'all') {
      if (ids === undefined) this.pending.set(kind, 'all');
      else {
        const set = gathered ?? new Set<string>();
        for (const id of ids) set.add(String(id));
        this.pending.set(kind, set.size > MAX_IDS ? 'all' : set);
      }
    }
    this.timer ??= setTimeout(() => this.flush(), GATHER_MS);
  }

  /** Sends what is gathered now (also on close, so the last change is not lost). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const [kind, ids] of this.pending) {
      const notice: ChangeNotice = { kind, ids: ids === 'all' ? [] : [...ids], utc: iapNow() };
      // QoS 0 would do for a hint, but QoS 1 keeps a busy broker from dropping it on the floor.
      this.mqtt.publishAsync(topics.changes, JSON.stringify(notice), { qos: 1 }).catch((e: Error) => this.log(`could not send a change notice: ${e.message}`));
    }
    this.pending.clear();
  }
}

/** Which kinds a successful change through an HTTP route touches: by the route's first segment after /api. */
export function changeOfRoute(pattern: string, params: Record<string, string>): Array<{ kind: ChangeKind; ids?: string[] }> {
  const [, api, resource] = pattern.split('/');
  if (api !== 'api' || pattern === '/api/rollouts/diff') return [];
  switch (resource) {
    case 'apps':
      return [{ kind: 'apps', ids: params.appId ? [params.appId] : undefined }];
    case 'templates':
      // A Template's apps are inherited by its Things; their desired states announce themselves.
      return [{ kind: 'templates', ids: params.templateId ? [params.templateId] : undefined }];
    case 'rollouts':
      // A Template rollout saves the Template at once.
      return [{ kind: 'rollouts', ids: params.rolloutId ? [params.rolloutId] : undefined }, { kind: 'templates' }];
    case 'things':
      // Enrolments and app changes publish desired states, which announce their Things; this covers
      // what publishes none (a removal), and the Templates' lists of Things.
      return [...(params.thingId ? [{ kind: 'things' as const, ids: [params.thingId] }] : []), { kind: 'templates' }];
    default:
      return [];
  }
}
