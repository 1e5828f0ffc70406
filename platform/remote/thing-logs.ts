/**
 * A Thing's logs as they happen: its apps' log lines and the agent's own events, which the agent
 * publishes as IAP event objects on glp/0/{SID}/ev/{debug,info,warning,error}. A tool with a read
 * token may follow them (no shell credential needed). A plain event emitter: "Show Thing Logs"
 * writes what it emits into a LogOutputChannel.
 */
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { TOOL_USER } from '../broker/access';
import type { IapError } from '../protocol/messages';
import { EVENT_CATEGORIES, topics } from '../protocol/topics';
import { parsePayload } from '../protocol/validate';

export interface ThingLogLine extends IapError {
  thingId: string;
  /** the app's instance name when the line is an app's (`source` `app:<name>`), else undefined */
  app?: string;
}

export interface ThingLogsEvents {
  line: [ThingLogLine];
  /** a malformed event was ignored */
  refused: [message: string];
}

export interface ThingLogsOptions {
  brokerUrl: string;
  token: string;
  thingId: string;
  brokerCa?: Buffer;
}

export class ThingLogs extends EventEmitter<ThingLogsEvents> {
  private constructor(private readonly client: MqttClient) {
    super();
  }

  /** Connects and subscribes; rejects with the broker's reason when it refuses. */
  static async follow(o: ThingLogsOptions): Promise<ThingLogs> {
    const client = await mqtt.connectAsync(o.brokerUrl, {
      username: TOOL_USER, password: o.token, clientId: `smartplug-logs-${randomBytes(4).toString('hex')}`,
      reconnectPeriod: 2000, connectTimeout: 10_000, protocolVersion: 4, ...(o.brokerCa ? { ca: o.brokerCa } : {}),
    });
    const logs = new ThingLogs(client);
    const wanted = new Set(EVENT_CATEGORIES.map((c) => topics.event(o.thingId, c)));
    client.on('message', (topic, payload) => {
      if (!wanted.has(topic)) return;
      const parsed = parsePayload('event', payload, topic);
      if (!parsed.ok) return void logs.emit('refused', parsed.error);
      const app = /^app:(.+)$/.exec(parsed.value.source)?.[1];
      logs.emit('line', { ...parsed.value, thingId: o.thingId, ...(app ? { app } : {}) });
    });
    const granted = await client.subscribeAsync([...wanted], { qos: 1 });
    if (granted.some((g) => g.qos === 128)) {
      await client.endAsync(true);
      throw new Error(`${o.brokerUrl}: the broker refused to let this token follow ${o.thingId}'s events`);
    }
    return logs;
  }

  async close(): Promise<void> {
    await this.client.endAsync(true).catch(() => undefined);
  }
}
