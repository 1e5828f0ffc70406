/**
 * Who may do what on the broker: the one rule set, used by the embedded broker's hooks and written
 * out as mosquitto's ACL file. A Thing reads only its own request topics (its desired state, its
 * shell) and writes only its own feedback and events; the platform may do anything; a tool holding
 * an API token reads feedback and events.
 */
import { GLP, isThingId } from '../protocol';

export type Account = { kind: 'platform' } | { kind: 'thing'; thingId: string } | { kind: 'tool'; scopes: readonly string[] };

/** The broker user names that are not Things. */
export const PLATFORM_USER = 'smartplug-platform';
export const TOOL_USER = 'smartplug-token';

export function mayPublish(account: Account, topic: string): boolean {
  if (account.kind === 'platform') return true;
  if (account.kind === 'tool') return false;
  const own = `${GLP}/${account.thingId}/`;
  return topic.startsWith(own + 'fb/') || topic.startsWith(own + 'ev/');
}

export function maySubscribe(account: Account, filter: string): boolean {
  if (account.kind === 'platform') return true;
  if (filter.startsWith('$')) return false; // $SYS, $share: not for Things or tools
  if (account.kind === 'tool') return /^glp\/0\/(\+|[A-Za-z0-9][A-Za-z0-9._-]*)\/(fb|ev)(\/|$)/.test(filter) || filter === `${GLP}/+/fb/#` || filter === `${GLP}/+/ev/#`;
  // A Thing: filters inside its own request channel only (no wildcard in place of its SID).
  return filter === `${GLP}/${account.thingId}/rq/#` || filter.startsWith(`${GLP}/${account.thingId}/rq/`);
}

/** Whether a client id may be used by this account: a Thing connects with its own id, so it cannot take over another's session. */
export function mayUseClientId(account: Account, clientId: string): boolean {
  return account.kind !== 'thing' || clientId === account.thingId;
}

export function isThingUser(username: string): boolean {
  return isThingId(username) && username !== PLATFORM_USER && username !== TOOL_USER;
}
