/**
 * The load completion object (seed 002, "Load Action and Manifest Properties"): published on the
 * load action's `response` topic once the image is retrieved, validated and prepared (for setup and
 * system: installed; for hybrid: every step done; for native: handed to the edge processor). Its
 * publication properties follow the topic's IAP channel: event QoS 1 not retained, feedback QoS 1
 * retained, anything else QoS 1 not retained.
 */
import { iapChannel } from './response-topic';

export interface LoadCompletion {
  /** As received with the load action request; null when it was absent. */
  readonly url: unknown;
  readonly method: unknown;
  readonly protocol: unknown;
  readonly type: unknown;
  readonly flags: unknown;
  /** null for success, otherwise an IAP error event object. */
  readonly error: unknown;
}

/** The completion object for a load action's args and its outcome (null error for success). */
export function loadCompletion(args: Readonly<Record<string, unknown>>, error: unknown = null): LoadCompletion {
  const echo = (k: string): unknown => (k in args ? args[k] : null);
  return { url: echo('url'), method: echo('method'), protocol: echo('protocol'), type: echo('type'), flags: echo('flags'), error };
}

/** QoS and retain for publishing the completion object on this topic. */
export function completionPublishOptions(topic: string): { qos: 1; retain: boolean } {
  return { qos: 1, retain: iapChannel(topic) === 'fb' };
}
