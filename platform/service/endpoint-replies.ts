/**
 * The platform's side of an app endpoint call over MQTT: the request goes to the Thing's endpoint do
 * topic with a respond topic naming this replica, which subscribed once to every Thing's replies to
 * it (no subscription per call: a call costs one message each way).
 */
import { randomUUID } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import { endpointRepliesTo, parsePayload, topics, type EndpointReply, type EndpointRequest } from '../protocol';

export class EndpointReplies {
  private readonly waiting = new Map<string, (reply: EndpointReply | string) => void>();
  private next = 0;
  /** this replica's name in respond topics */
  private readonly replica = randomUUID().slice(0, 8);

  constructor(private readonly mq: MqttClient) {
    mq.on('message', (topic, payload) => {
      const done = this.waiting.get(topic);
      if (!done) return;
      const parsed = parsePayload('endpointReply', payload, topic);
      done(parsed.ok ? parsed.value : `the Thing answered with a malformed reply: ${parsed.error}`);
    });
  }

  async start(): Promise<void> {
    await this.mq.subscribeAsync(endpointRepliesTo(this.replica), { qos: 1 });
  }

  /** The Thing's reply; undefined when none came within `timeoutMs`, text when it was malformed. */
  ask(thingId: string, args: EndpointRequest['args'], timeoutMs: number): Promise<EndpointReply | string | undefined> {
    const respond = `glp/0/${thingId}/ev/=endpoint/${this.replica}/${++this.next}`;
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      const finish = (reply: EndpointReply | string | undefined) => {
        clearTimeout(timer);
        this.waiting.delete(respond);
        resolve(reply);
      };
      this.waiting.set(respond, finish);
      const request: EndpointRequest = { action: 'call', args, respond };
      this.mq.publish(topics.endpointRequest(thingId), JSON.stringify(request), { qos: 1 }, (e) => e && finish(`the platform could not send the request: ${e.message}`));
    });
  }
}
