/**
 * Who may do what on the broker: the one rule set. The embedded broker's hooks ask mayPublish and
 * maySubscribe; a broker with its own ACLs gets the same rules as data (accessRules), e.g. mosquitto's
 * dynamic security roles (mosquitto-dynsec.ts). A Thing reads only its own request topics (its
 * desired state, its shell) and writes only its own feedback and events; the platform may do
 * anything; a tool holding an API token reads feedback and events and sends JS Shell requests.
 */
import { GLP, isThingId } from '../protocol/topics';

export type Account = { kind: 'platform' } | { kind: 'thing'; thingId: string } | { kind: 'tool'; scopes: readonly string[] };

/** The broker user names that are not Things. */
export const PLATFORM_USER = 'smartplug-platform';
export const TOOL_USER = 'smartplug-token';

/**
 * What an account may do, as MQTT topic filters: it may publish to a topic matched by one of
 * `publish`, and subscribe with a filter that one of `subscribe` matches as if it were a topic (so
 * `glp/0/+/fb/#` allows `glp/0/t1/fb/#` and `glp/0/+/fb/#` but not `glp/0/#`). That is how
 * mosquitto's ACLs match subscriptions too. Filters starting with `$` ($SYS, $share) are never
 * matched by these (MQTT: wildcards do not match a leading `$`), so they stay the platform's.
 */
export interface TopicRules {
  publish: readonly string[];
  subscribe: readonly string[];
}

/** 'everything' for the platform; the filters of a Thing or a tool. */
export function accessRules(account: Account): TopicRules | 'everything' {
  if (account.kind === 'platform') return 'everything';
  // A tool may also ask any Thing's JS Shell; only a caller holding that Thing's shell credential is answered.
  if (account.kind === 'tool') return { publish: [`${GLP}/+/rq/=shell/do`], subscribe: [`${GLP}/+/fb/#`, `${GLP}/+/ev/#`] };
  const own = `${GLP}/${account.thingId}`;
  return { publish: [`${own}/fb/#`, `${own}/ev/#`], subscribe: [`${own}/rq/#`] };
}

export function mayPublish(account: Account, topic: string): boolean {
  const rules = accessRules(account);
  return rules === 'everything' || rules.publish.some((f) => filterMatches(f, topic));
}

export function maySubscribe(account: Account, filter: string): boolean {
  const rules = accessRules(account);
  return rules === 'everything' || rules.subscribe.some((f) => filterMatches(f, filter));
}

/** Whether a client id may be used by this account: a Thing connects with its own id, so it cannot take over another's session. */
export function mayUseClientId(account: Account, clientId: string): boolean {
  return account.kind !== 'thing' || clientId === account.thingId;
}

export function isThingUser(username: string): boolean {
  return isThingId(username) && username !== PLATFORM_USER && username !== TOOL_USER;
}

/**
 * MQTT topic matching (MQTT 5 §4.7): `+` matches one level, a final `#` the parent level and any
 * below; a wildcard never matches a first level starting with `$`. A wildcard in `topic` is taken
 * as plain text, which is how a subscription filter is checked against a rule.
 */
export function filterMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  if (t[0].startsWith('$') && (f[0] === '+' || f[0] === '#')) return false;
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return i === f.length - 1;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}
