/**
 * The `response` topic of a load action: an MQTT topic the edge server publishes the load
 * completion object to. MQTT 3.1.1 forbids wildcards in topic names (only filters have them) and
 * the NUL character, and caps the length at 65535 bytes of UTF-8. IAP topics never start with a
 * slash or have empty levels. Seed 002 suggests the event channel (glp/0/{SID}/ev/…); the IAP
 * Import steps use the feedback channel. Either gets the channel's publication properties; any
 * other topic gets QoS 1, retain false, which is worth knowing but not wrong.
 */
import type { ValueIssue } from './value-issue';

const MAX_TOPIC_BYTES = 65535;
/** IAP/MQ SIDs: letters, digits, `.`, `-`, `_`; `.` alone is the local segment. */
const SID = /^[A-Za-z0-9][A-Za-z0-9._-]*$|^\.$/;

export type IapChannel = 'ev' | 'fb' | 'rq';

/** The IAP channel of a topic `glp/0/{SID}/{channel}/…`, or undefined when it is not one. */
export function iapChannel(topic: string): IapChannel | undefined {
  const m = /^glp\/0\/[^/]+\/(ev|fb|rq)(\/|$)/.exec(topic);
  return m ? (m[1] as IapChannel) : undefined;
}

function issue(severity: ValueIssue['severity'], code: string, index: number, length: number, message: string, fix: string, replacement?: string): ValueIssue {
  return { severity, code, index, length, message, fix, ...(replacement !== undefined ? { replacement } : {}) };
}

export function checkResponseTopic(topic: string): ValueIssue[] {
  const T = 'load-response-topic';
  if (topic === '') return [issue('error', T, 0, 0, 'response is empty: a topic to publish to has at least one character', 'write a topic such as glp/0/{SID}/ev/=cms/response/load, or remove response')];
  const out: ValueIssue[] = [];
  for (let i = 0; i < topic.length; i++) {
    const c = topic[i];
    if (c === '+' || c === '#') {
      out.push(issue('error', T, i, 1, `response contains the wildcard ${c}: wildcards are for subscribing, and the completion object is published to this topic`, 'write the exact topic, without + or #'));
    } else if (c === '\u0000') {
      out.push(issue('error', T, i, 1, 'response contains the NUL character, which MQTT forbids in topics', 'remove it', ''));
    }
  }
  if (Buffer.byteLength(topic, 'utf8') > MAX_TOPIC_BYTES) {
    out.push(issue('error', T, 0, topic.length, `response is longer than MQTT's ${MAX_TOPIC_BYTES} bytes`, 'shorten the topic'));
  }
  if (topic.startsWith('/')) {
    const n = /^\/+/.exec(topic)![0].length;
    out.push(issue('error', T, 0, n, 'response starts with a slash, which makes an empty first level; IAP topics start with glp/', 'remove the leading slash', ''));
  }
  const empty = /[^/]\/\/+/.exec(topic);
  if (empty) {
    out.push(issue('warning', T, empty.index + 1, empty[0].length - 1, 'response has an empty level (//); IAP topics have none', 'write a single /', '/'));
  }
  if (topic.length > 1 && topic.endsWith('/') && !topic.endsWith('//')) {
    out.push(issue('warning', T, topic.length - 1, 1, 'response ends with a slash, which makes an empty last level', 'remove the trailing slash', ''));
  }
  const placeholder = /\{[^{}/]*\}/.exec(topic);
  if (placeholder) {
    out.push(issue('warning', T, placeholder.index, placeholder[0].length, `response still contains the placeholder ${placeholder[0]}`, placeholder[0] === '{SID}' ? "write the segment's SID (or . for the local segment)" : 'replace it with the actual value'));
  }
  if (out.some((p) => p.severity === 'error')) return out;
  out.push(...channelIssues(topic));
  return out;
}

function channelIssues(topic: string): ValueIssue[] {
  const C = 'load-response-channel';
  const levels = topic.split('/');
  if (levels[0] !== 'glp' || levels.length < 4) {
    return [issue('info', C, 0, topic.length, 'response is not an IAP topic (glp/0/{SID}/ev/… or glp/0/{SID}/fb/…), so the completion object is published with QoS 1, retain false', 'to use the IAP event channel, write e.g. glp/0/{SID}/ev/=cms/response/load')];
  }
  const versionStart = 4;
  if (levels[1] !== '0') {
    return [issue('warning', C, versionStart, levels[1].length, `IAP topics are version 0 (glp/0/…); found ${JSON.stringify(levels[1])}`, 'write glp/0/', '0')];
  }
  const sidStart = versionStart + levels[1].length + 1;
  const sid = levels[2];
  if (!SID.test(sid) && !/^\{[^{}]*\}$/.test(sid)) {
    return [issue('warning', C, sidStart, sid.length, `${JSON.stringify(sid)} is not an IAP segment identifier (letters, digits, ., - and _, not starting with . - or _)`, "write the segment's SID, or . for the local segment")];
  }
  const channelStart = sidStart + sid.length + 1;
  const channel = levels[3];
  if (channel === 'ev' || channel === 'fb') return [];
  if (channel === 'rq') {
    return [issue('warning', C, channelStart, 2, 'response is in the request channel (rq), where subscribers take messages as requests to act on', 'use the event channel (ev) or the feedback channel (fb)', 'ev')];
  }
  return [issue('info', C, channelStart, channel.length, `response is not in the event (ev) or feedback (fb) channel, so the completion object is published with QoS 1, retain false`, 'write glp/0/{SID}/ev/… for an event, or glp/0/{SID}/fb/… for a retained response')];
}
