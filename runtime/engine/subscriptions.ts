import type { SubscriptionSnapshot } from './snapshot';

export interface Subscription extends SubscriptionSnapshot {
  appId: string;
}

/**
 * All subscriptions of a Thing, indexed by what they listen to, so an event finds its handlers with
 * one map lookup however many apps are installed.
 */
export class SubscriptionIndex {
  private readonly byKey = new Map<string, Subscription[]>();

  private static key(kind: string, target: string, attribute: string): string {
    return kind + '\u0000' + target + '\u0000' + attribute;
  }

  add(sub: Subscription): boolean {
    const key = SubscriptionIndex.key(sub.kind, sub.target, sub.attribute);
    const list = this.byKey.get(key);
    if (list?.some((s) => s.appId === sub.appId && s.handler === sub.handler && s.value === sub.value)) return false;
    if (list) list.push(sub);
    else this.byKey.set(key, [sub]);
    return true;
  }

  /** Subscriptions to an exact attribute plus those to every attribute ('') of the target. */
  find(kind: string, target: string, attribute: string): readonly Subscription[] {
    const exact = this.byKey.get(SubscriptionIndex.key(kind, target, attribute));
    const all = attribute === '' ? undefined : this.byKey.get(SubscriptionIndex.key(kind, target, ''));
    if (!all) return exact ?? EMPTY;
    if (!exact) return all;
    return exact.concat(all);
  }

  remove(predicate: (s: Subscription) => boolean): number {
    let removed = 0;
    for (const [key, list] of this.byKey) {
      const kept = list.filter((s) => !predicate(s));
      removed += list.length - kept.length;
      if (kept.length) this.byKey.set(key, kept);
      else this.byKey.delete(key);
    }
    return removed;
  }

  ofApp(appId: string): Subscription[] {
    const out: Subscription[] = [];
    for (const list of this.byKey.values()) for (const s of list) if (s.appId === appId) out.push(s);
    return out;
  }

  has(kind: string, target: string): boolean {
    for (const list of this.byKey.values()) if (list.some((s) => s.kind === kind && s.target === target)) return true;
    return false;
  }
}

const EMPTY: readonly Subscription[] = Object.freeze([]);
