/**
 * The iapmq pseudo-protocol of seed 002: a small image hosted in the broker. `iapmq:TOPIC` (or
 * `iapmq://TOPIC`) names a retained message whose payload is the image. A Thing may only read its
 * own request channel (platform/broker/access.ts), so the topic lies under `glp/0/{SID}/rq/`; the
 * platform's load route publishes images there (`topics.hostedImage`).
 */
import type { MqttClient } from 'mqtt';
import { LoadFailure } from './load-failure';

/** The largest image hosted in the broker: iapmq is for small images (seed 002). */
export const MAX_IAPMQ_BYTES = 256 * 1024;
const WAIT_MS = 10_000;

/** The topic an iapmq: URL names, or undefined when `url` is not one. */
export function iapmqTopic(url: string): string | undefined {
  const m = /^iapmq:(?:\/\/)?(.*)$/i.exec(url);
  return m ? m[1] : undefined;
}

export async function downloadFromBroker(client: MqttClient, thingId: string, url: string, waitMs = WAIT_MS, signal?: AbortSignal): Promise<Buffer> {
  const topic = iapmqTopic(url) ?? '';
  const own = `glp/0/${thingId}/rq/`;
  if (!topic.startsWith(own) || /[+#\u0000]/.test(topic)) {
    throw new LoadFailure('fetch', `${url}: this Thing reads images hosted in the broker from its own request channel only`, { reason: 'iapmq-topic', fix: `write iapmq:${own}=loader/image/NAME, where the image is published retained` });
  }
  return new Promise<Buffer>((resolve, reject) => {
    const done = (e: LoadFailure | undefined, payload?: Buffer) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      client.removeListener('message', onMessage);
      client.unsubscribe(topic);
      if (e) reject(e);
      else resolve(payload!);
    };
    const onMessage = (t: string, payload: Buffer) => {
      if (t !== topic) return;
      if (payload.length === 0) return done(new LoadFailure('fetch', `${url}: the broker holds no image there (an empty message)`, { reason: 'iapmq-missing' }));
      if (payload.length > MAX_IAPMQ_BYTES) return done(new LoadFailure('fetch', `${url}: the image is ${payload.length} bytes, over the ${MAX_IAPMQ_BYTES} bytes an image hosted in the broker may have`, { reason: 'too-large', fix: 'host a larger image on an http or https server' }));
      done(undefined, payload);
    };
    const timer = setTimeout(() => done(new LoadFailure('fetch', `${url}: the broker holds no retained image on ${topic} (nothing came within ${waitMs / 1000} s)`, { reason: 'iapmq-missing', fix: 'publish the image there, retained, before the load action' })), waitMs);
    const onAbort = () => done(new LoadFailure('fetch', `${url}: the Thing stopped while it waited for the image`, { reason: 'stopped' }));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    client.on('message', onMessage);
    client.subscribe(topic, { qos: 1 }, (err, granted) => {
      if (err || granted?.[0]?.qos === 128) done(new LoadFailure('fetch', `${url}: the broker refused to let this Thing read ${topic}`, { reason: 'iapmq-topic' }));
    });
  });
}
