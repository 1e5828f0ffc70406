/**
 * The platform as the CMS of seed 002: it sends a load action to a Thing (the do envelope on the
 * Thing's or a device's do topic) with a response topic of its own for this request, and waits for
 * the completion object there. The replica that sent the request is the one that waits, so any
 * replica can take the request.
 */
import { randomUUID } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import { parsePayload, type LoadCompletionMessage } from '../protocol';

export class LoadRequests {
  private readonly waiting = new Map<string, (payload: Buffer) => void>();

  constructor(private readonly mq: MqttClient) {
    mq.on('message', (topic, payload) => this.waiting.get(topic)?.(payload));
  }

  /** A response topic of its own for one request to this Thing. */
  static responseTopic(thingId: string): string {
    return `glp/0/${thingId}/ev/=cms/response/load/${randomUUID()}`;
  }

  /**
   * Publishes `{action: "load", args}` on `doTopic` and resolves with the completion that comes on
   * `args.response` within `waitMs`, or undefined when none came (the load may still complete: a
   * switchover later than the wait, a long download).
   */
  async send(doTopic: string, args: Record<string, unknown> & { response: string }, waitMs: number): Promise<LoadCompletionMessage | undefined> {
    const response = args.response;
    await this.mq.subscribeAsync(response, { qos: 1 });
    let timer: NodeJS.Timeout | undefined;
    const completion = new Promise<LoadCompletionMessage | undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), waitMs);
      this.waiting.set(response, (payload) => {
        const parsed = parsePayload('loadCompletion', payload, response);
        resolve(parsed.ok ? parsed.value : { url: args.url, method: args.method, protocol: null, type: null, flags: null, error: { cat: 'error', utc: '', message: `the Thing answered with a malformed completion: ${parsed.error}`, source: 'platform', topic: response, code: 'malformed' } });
      });
    });
    try {
      await this.mq.publishAsync(doTopic, JSON.stringify({ action: 'load', args }), { qos: 1 });
      return await completion;
    } finally {
      clearTimeout(timer);
      this.waiting.delete(response);
      await this.mq.unsubscribeAsync(response).catch(() => undefined);
    }
  }
}
