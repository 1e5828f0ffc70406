/**
 * A Thing's devices, read from the broker: the retained message its agent publishes on
 * glp/0/{SID}/fb/devices each time it connects. The configuration guide offers them in its
 * selectors instead of the app's devices.json. What arrives is another program's output, so each
 * entry is checked as a devices.json entry is (the same rules a running device applies), and
 * entries with problems are left out and said.
 */
import type { MqttClient } from 'mqtt';
import { checkDevicesFile } from '../../runtime/devices/devices-file';
import type { DeviceSpec } from '../../runtime/devices/types';
import { parsePayload } from '../protocol/validate';
import { topics } from '../protocol/topics';

export interface ThingDevices {
  devices: DeviceSpec[];
  /** When the agent published them (IAP time, as it said it). */
  mru: string;
  /** Entries left out, each with why. */
  problems: string[];
}

/** A retained message arrives with the subscription's acknowledgement or not at all; this is the wait for it. */
export const DEVICES_WAIT_MS = 5000;

/**
 * Subscribes to the Thing's devices topic, takes the retained message, and unsubscribes. Fails
 * with the Thing's name and the reason: no message (the Thing never connected, or its agent
 * predates devices), a malformed one, or a broker that refuses the subscription.
 */
export async function readThingDevices(client: MqttClient, thingId: string, waitMs = DEVICES_WAIT_MS): Promise<ThingDevices> {
  const topic = topics.devices(thingId);
  let onMessage: ((t: string, payload: Buffer) => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const arrived = new Promise<Buffer>((resolve, reject) => {
    onMessage = (t, payload) => {
      if (t === topic && payload.length > 0) resolve(payload);
    };
    client.on('message', onMessage);
    timer = setTimeout(() => reject(new Error(`${thingId} has not said which devices it has (nothing retained on ${topic} within ${waitMs / 1000} s): its agent has not connected since it was enrolled, or it is older than this IDE. Start the Thing, or choose devices.json.`)), waitMs);
  });
  try {
    const granted = await client.subscribeAsync(topic, { qos: 1 });
    if (granted.some((g) => g.qos === 128)) throw new Error(`the broker refused the subscription to ${topic}: the token lacks the read scope`);
    return devicesOf(thingId, await arrived, topic);
  } finally {
    clearTimeout(timer);
    if (onMessage) client.removeListener('message', onMessage);
    arrived.catch(() => undefined);
    void client.unsubscribeAsync(topic).catch(() => undefined);
  }
}

/** The devices of one devices message, each entry checked as devices.json's are. */
export function devicesOf(thingId: string, payload: Buffer, topic = topics.devices(thingId)): ThingDevices {
  const parsed = parsePayload('devices', payload, topic);
  if (!parsed.ok) throw new Error(`${thingId} sent devices the IDE cannot read: ${parsed.error}`);
  const entries = parsed.value.devices;
  // One entry per line, so a problem's line says which device it concerns.
  const text = `[\n${entries.map((d) => JSON.stringify(d)).join(',\n')}\n]`;
  const { devices, problems } = checkDevicesFile(text, `${thingId}'s devices`);
  const named = problems.filter((p) => p.severity === 'error').map((p) => {
    const entry = entries[p.line - 2];
    const fix = p.fix ? ` Fix: ${p.fix}` : '';
    return `${entry ? `device "${entry.id}"` : 'the list'}: ${p.message}${fix}`;
  });
  return { devices, mru: parsed.value.mru, problems: named };
}
