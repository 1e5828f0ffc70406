/**
 * Every MQTT topic of the platform, built in one place. They follow IAP/MQ's grammar
 * (`glp/{version}/{SID}/{channel}/…`, channels rq/fb/ev, `=` for a service rather than an object);
 * the SID of a Thing is its id. docs/protocol.md lists them with their payloads, QoS and retain flags.
 */

export const GLP = 'glp/0';

/** What a Thing id (an IAP SID) may be: IAP's SID characters, not starting with a special one. */
export const THING_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function isThingId(id: string): boolean {
  return THING_ID_PATTERN.test(id);
}

export const topics = {
  /** Platform → Thing: the Thing's desired state (retained, QoS 1). */
  desired: (thingId: string) => `${GLP}/${thingId}/rq/=agent/desired`,
  /** Thing → platform: the revision reached and each app's status (retained, QoS 1). */
  status: (thingId: string) => `${GLP}/${thingId}/fb/=agent/status`,
  /** Thing → platform: online/offline; the offline message is the agent's MQTT last will (retained, QoS 1). */
  connection: (thingId: string) => `${GLP}/${thingId}/fb/=agent/connection`,
  /** Thing: its About object (retained, QoS 1), published when its agent starts. */
  about: (thingId: string) => `${GLP}/${thingId}/fb/about`,
  /** Thing: its devices as devices.json describes them (retained, QoS 1), published when its agent connects. */
  devices: (thingId: string) => `${GLP}/${thingId}/fb/devices`,
  /** Platform → Thing: an HTTP request for an app's web-service route (an IAP do envelope; QoS 1, not retained). Only the platform may publish here. */
  endpointRequest: (thingId: string) => `${GLP}/${thingId}/rq/=endpoint/do`,
  /** Thing → platform: an app's HTTP response, on the request's `respond` topic, which must lie under this filter (QoS 1, not retained). */
  endpointReplies: (thingId: string) => `${GLP}/${thingId}/ev/=endpoint/#`,
  /** Thing: what load actions installed on it, and the loads waiting for their switchover (retained, QoS 1). */
  images: (thingId: string) => `${GLP}/${thingId}/fb/=agent/images`,
  /** Platform → Thing: a do action for the Thing itself, such as a load (IAP; QoS 1, not retained). */
  thingDo: (thingId: string) => `${GLP}/${thingId}/rq/do`,
  /** Platform → Thing: a do action for one of its devices (IAP; QoS 1, not retained). */
  deviceDo: (thingId: string, protocol: string, handle: string) => `${GLP}/${thingId}/rq/dev/${protocol}/${handle}/do`,
  /** Platform → Thing: a small image hosted in the broker for an iapmq: load (retained, QoS 1; emptied after the load). */
  hostedImage: (thingId: string, name: string) => `${GLP}/${thingId}/rq/=loader/image/${name}`,
  /** Thing → platform: load completion objects of seed 002 (event channel: QoS 1, not retained). */
  loadResponse: (thingId: string) => `${GLP}/${thingId}/ev/=cms/response/load`,
  /** Thing → anyone allowed: app logs and the agent's own events, IAP event objects (QoS 1, not retained). */
  event: (thingId: string, category: EventCategory) => `${GLP}/${thingId}/ev/${category}`,
  /** A tool → the Thing's JS Shell: IAP do envelopes with the shell credential (QoS 1, not retained). */
  shellRequest: (thingId: string) => `${GLP}/${thingId}/rq/=shell/do`,
  /** Thing → the caller: shell responses, on the request's `respond` topic, which must lie under this filter (QoS 1, not retained). */
  shellResponses: (thingId: string) => `${GLP}/${thingId}/ev/=shell/#`,
  /**
   * Platform → tools: what changed in the App Store, the Things, the Templates or the rollouts, so
   * an IDE's views follow without polling (QoS 1, not retained). `=platform` is a service segment,
   * never a Thing id, so no Thing can publish here.
   */
  changes: `${GLP}/=platform/ev/changed`,
} as const;

/** Whether `topic` may carry a Thing's shell responses: a topic (no wildcard) below its ev/=shell. */
export function isShellRespondTopic(thingId: string, topic: string): boolean {
  const prefix = `${GLP}/${thingId}/ev/=shell/`;
  return topic.length > prefix.length && topic.startsWith(prefix) && !/[+#\u0000]/.test(topic) && topic.length <= 512;
}

export type EventCategory = 'debug' | 'info' | 'warning' | 'error';
export const EVENT_CATEGORIES: readonly EventCategory[] = ['debug', 'info', 'warning', 'error'];

/** The subscriptions the platform service makes: every Thing's feedback and load completions. */
export const platformSubscriptions = {
  status: `${GLP}/+/fb/=agent/status`,
  connection: `${GLP}/+/fb/=agent/connection`,
  loadResponse: `${GLP}/+/ev/=cms/response/load`,
} as const;

/** The endpoint replies to one platform replica (their respond topics name it), which it subscribes to once. */
export function endpointRepliesTo(replica: string): string {
  return `${GLP}/+/ev/=endpoint/${replica}/+`;
}

/** Whether `topic` may carry a Thing's endpoint reply: a topic (no wildcard) below its ev/=endpoint. */
export function isEndpointRespondTopic(thingId: string, topic: string): boolean {
  const prefix = `${GLP}/${thingId}/ev/=endpoint/`;
  return topic.length > prefix.length && topic.startsWith(prefix) && !/[+#\u0000]/.test(topic) && topic.length <= 512;
}

/** MQTT 5 shared subscription: each message goes to one platform replica of the group. */
export function shared(group: string, filter: string): string {
  return `$share/${group}/${filter}`;
}

/** The Thing a `glp/0/{SID}/…` topic is about, or undefined. */
export function thingOfTopic(topic: string): string | undefined {
  if (!topic.startsWith(`${GLP}/`)) return undefined;
  const end = topic.indexOf('/', GLP.length + 1);
  if (end < 0) return undefined;
  const id = topic.slice(GLP.length + 1, end);
  return isThingId(id) ? id : undefined;
}
